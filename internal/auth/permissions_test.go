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
	if got := auth.Roles(); !slices.Equal(got, allRoles) {
		t.Errorf("Roles() = %v, want %v", got, allRoles)
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
