package auth_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// areaNames names the areas of the role matrix in failure messages.
var areaNames = map[auth.Area]string{
	auth.FirmSettings: "firm settings", auth.CRM: "CRM", auth.Projects: "projects", auth.TimeEntries: "time entries",
	auth.Finance: "finance", auth.Documents: "documents", auth.Assets: "assets",
}

// allRoles are the five roles.
var allRoles = []auth.Role{auth.Owner, auth.Admin, auth.Manager, auth.Consultant, auth.Accountant}

// wantAllowed checks that a permission check passed or refused with 403 and the standard message.
func wantAllowed(t *testing.T, what string, err error, allowed bool) {
	t.Helper()
	switch {
	case allowed && err != nil:
		t.Errorf("%s: refused (%v), want allowed", what, err)
	case !allowed && err == nil:
		t.Errorf("%s: allowed, want refused", what)
	case !allowed:
		fe := fault.As(err)
		if fe.Kind != fault.Forbidden || fe.Message != msgForbidden || len(fe.Details) != 0 {
			t.Errorf("%s: error kind %v message %q details %v, want Forbidden %q", what, fe.Kind, fe.Message, fe.Details, msgForbidden)
		}
	}
}

// TestRoleMatrix is SPEC §1's table. "Read" cells with an extra right ("update clients they
// own", "own entries", "upload", "create/send invoices", "read own assigned") are Read here: the
// extra right is an object rule or a module's own check on top.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	const (
		N = auth.NoAccess
		R = auth.Read
		W = auth.Write
	)
	matrix := map[auth.Role]map[auth.Area]auth.Access{
		auth.Owner:      {auth.FirmSettings: W, auth.CRM: W, auth.Projects: W, auth.TimeEntries: W, auth.Finance: W, auth.Documents: W, auth.Assets: W},
		auth.Admin:      {auth.FirmSettings: W, auth.CRM: W, auth.Projects: W, auth.TimeEntries: W, auth.Finance: W, auth.Documents: W, auth.Assets: W},
		auth.Manager:    {auth.FirmSettings: N, auth.CRM: W, auth.Projects: W, auth.TimeEntries: W, auth.Finance: R, auth.Documents: W, auth.Assets: R},
		auth.Consultant: {auth.FirmSettings: N, auth.CRM: R, auth.Projects: R, auth.TimeEntries: R, auth.Finance: N, auth.Documents: R, auth.Assets: R},
		auth.Accountant: {auth.FirmSettings: N, auth.CRM: R, auth.Projects: R, auth.TimeEntries: R, auth.Finance: W, auth.Documents: R, auth.Assets: W},
		"":              {auth.FirmSettings: N, auth.CRM: N, auth.Projects: N, auth.TimeEntries: N, auth.Finance: N, auth.Documents: N, auth.Assets: N},
		"superuser":     {auth.FirmSettings: N, auth.CRM: N, auth.Projects: N, auth.TimeEntries: N, auth.Finance: N, auth.Documents: N, auth.Assets: N},
	}
	for _, role := range slices.Sorted(maps.Keys(matrix)) {
		for _, area := range slices.Sorted(maps.Keys(matrix[role])) {
			want := matrix[role][area]
			t.Run(fmt.Sprintf("%q/%s", role, areaNames[area]), func(t *testing.T) {
				t.Parallel()
				if got := role.AccessTo(area); got != want {
					t.Errorf("AccessTo = %v, want %v", got, want)
				}
				a := auth.Actor{UserID: "u1", FirmID: "f1", Role: role}
				wantAllowed(t, "CanRead", auth.CanRead(a, area), want >= auth.Read)
				wantAllowed(t, "CanWrite", auth.CanWrite(a, area), want >= auth.Write)
			})
		}
	}
	if len(areaNames) != len(matrix[auth.Owner]) {
		t.Errorf("the test covers %d areas, the matrix %d", len(areaNames), len(matrix[auth.Owner]))
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	if got := auth.RoleNames(); !slices.Equal(got, roles) {
		t.Errorf("RoleNames() = %v, want %v", got, roles)
	}
	tests := []struct {
		role         auth.Role
		valid, admin bool
	}{
		{auth.Owner, true, true}, {auth.Admin, true, true}, {auth.Manager, true, false},
		{auth.Consultant, true, false}, {auth.Accountant, true, false},
		{"", false, false}, {"Owner", false, false}, {"superuser", false, false},
	}
	for _, tt := range tests {
		if tt.role.Valid() != tt.valid || tt.role.IsAdmin() != tt.admin {
			t.Errorf("%q: Valid %v IsAdmin %v, want %v %v", tt.role, tt.role.Valid(), tt.role.IsAdmin(), tt.valid, tt.admin)
		}
	}
}

// objectRuleCase is one actor and object relation for the object-rule tables.
type objectRuleCase struct {
	role    auth.Role
	mine    bool // the object's owner / creator / assignee is the actor
	allowed bool
}

func TestIsOwnerOrReadOnly(t *testing.T) {
	t.Parallel()
	tests := []objectRuleCase{
		{auth.Owner, false, true}, {auth.Owner, true, true},
		{auth.Admin, false, true}, {auth.Admin, true, true},
		{auth.Manager, false, true}, {auth.Manager, true, true},
		{auth.Consultant, false, false}, {auth.Consultant, true, true},
		{auth.Accountant, false, false}, {auth.Accountant, true, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s mine=%v", tt.role, tt.mine), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: tt.role}
			owner := "someone-else"
			if tt.mine {
				owner = "me"
			}
			wantAllowed(t, "IsOwnerOrReadOnly", auth.IsOwnerOrReadOnly(a, owner), tt.allowed)
		})
	}
	t.Run("no owner never matches", func(t *testing.T) {
		t.Parallel()
		wantAllowed(t, "empty ids", auth.IsOwnerOrReadOnly(auth.Actor{FirmID: "f1", Role: auth.Consultant}, ""), false)
		wantAllowed(t, "unowned client", auth.IsOwnerOrReadOnly(auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}, ""), false)
	})
}

func TestIsCreatorOrReadOnly(t *testing.T) {
	t.Parallel()
	tests := []objectRuleCase{
		{auth.Owner, false, true}, {auth.Owner, true, true},
		{auth.Admin, false, true}, {auth.Admin, true, true},
		{auth.Manager, false, true}, {auth.Manager, true, true},
		{auth.Consultant, false, false}, {auth.Consultant, true, true},
		{auth.Accountant, false, false}, {auth.Accountant, true, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s mine=%v", tt.role, tt.mine), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: tt.role}
			creator := "someone-else"
			if tt.mine {
				creator = "me"
			}
			wantAllowed(t, "IsCreatorOrReadOnly", auth.IsCreatorOrReadOnly(a, creator), tt.allowed)
		})
	}
	t.Run("no creator never matches", func(t *testing.T) {
		t.Parallel()
		wantAllowed(t, "empty ids", auth.IsCreatorOrReadOnly(auth.Actor{FirmID: "f1", Role: auth.Consultant}, ""), false)
	})
}

// assignCase is one row of TestIsAssignedUserOrReadOnly.
type assignCase struct {
	role    auth.Role
	area    auth.Area
	rel     int // 0 nobody, 1 the actor is the assignee (or the entry's user), 2 the project manager
	allowed bool
}

func TestIsAssignedUserOrReadOnly(t *testing.T) {
	t.Parallel()
	const nobody, assignee, manager = 0, 1, 2
	var tests []assignCase
	for _, area := range []auth.Area{auth.Projects, auth.TimeEntries} {
		for _, r := range []int{nobody, assignee, manager} {
			tests = append(tests,
				assignCase{auth.Owner, area, r, true},
				assignCase{auth.Admin, area, r, true},
				assignCase{auth.Manager, area, r, true},
				assignCase{auth.Consultant, area, r, r != nobody},
				// Accountants read projects, tasks and time entries; they edit none.
				assignCase{auth.Accountant, area, r, false},
			)
		}
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/rel%d", tt.role, areaNames[tt.area], tt.rel), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: tt.role}
			assigned, pm := "someone", "someone-else"
			switch tt.rel {
			case assignee:
				assigned = "me"
			case manager:
				pm = "me"
			}
			wantAllowed(t, "IsAssignedUserOrReadOnly", auth.IsAssignedUserOrReadOnly(a, tt.area, assigned, pm), tt.allowed)
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		a := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		wantAllowed(t, "no user, no assignee", auth.IsAssignedUserOrReadOnly(a, auth.TimeEntries, "", ""), false)
		a.UserID = "me"
		wantAllowed(t, "unassigned task", auth.IsAssignedUserOrReadOnly(a, auth.Projects, "", ""), false)
	})
	// The rule lets those who read an area edit what is assigned to them; in an area the role
	// cannot even read, an assignment must not open writes.
	t.Run("no rights where the role cannot read", func(t *testing.T) {
		t.Parallel()
		a := auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}
		for _, area := range []auth.Area{auth.Finance, auth.FirmSettings} {
			wantAllowed(t, areaNames[area]+" assigned", auth.IsAssignedUserOrReadOnly(a, area, "me", ""), false)
			wantAllowed(t, areaNames[area]+" managed", auth.IsAssignedUserOrReadOnly(a, area, "", "me"), false)
		}
	})
}

func TestCannotModifyInvoicedItems(t *testing.T) {
	t.Parallel()
	// The rule binds everyone, owners and admins included: it does not even look at the actor.
	want := map[string][]string{"non_field_errors": {"Cannot modify invoiced time entries"}}
	for _, role := range allRoles {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			if err := auth.CannotModifyInvoicedItems(false); err != nil {
				t.Errorf("not invoiced: %v, want nil", err)
			}
			fe := fault.As(auth.CannotModifyInvoicedItems(true))
			if fe.Kind != fault.Invalid || fe.Message != msgValidation || !maps.EqualFunc(fe.Details, want, slices.Equal) {
				t.Errorf("invoiced: kind %v message %q details %v, want Invalid %q %v", fe.Kind, fe.Message, fe.Details, msgValidation, want)
			}
		})
	}
}

func TestIsPaymentAuthorized(t *testing.T) {
	t.Parallel()
	type rel int
	const (
		nobody rel = iota
		clientOwner
		projectManager
	)
	tests := []struct {
		role    auth.Role
		rel     rel
		allowed bool
	}{
		{auth.Owner, nobody, true}, {auth.Admin, nobody, true}, {auth.Accountant, nobody, true},
		{auth.Manager, nobody, false}, {auth.Consultant, nobody, false},
		{auth.Manager, clientOwner, true}, {auth.Consultant, clientOwner, true},
		{auth.Manager, projectManager, true}, {auth.Consultant, projectManager, true},
		{auth.Owner, clientOwner, true}, {auth.Accountant, projectManager, true},
		{"", nobody, false}, {"superuser", nobody, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q/rel%d", tt.role, tt.rel), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: tt.role}
			owner, pm := "client-owner", "project-manager"
			switch tt.rel {
			case clientOwner:
				owner = "me"
			case projectManager:
				pm = "me"
			}
			wantAllowed(t, "IsPaymentAuthorized", auth.IsPaymentAuthorized(a, owner, pm), tt.allowed)
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		a := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		wantAllowed(t, "no client owner, no manager", auth.IsPaymentAuthorized(a, "", ""), false)
	})
}
