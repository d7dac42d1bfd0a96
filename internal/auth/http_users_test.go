package auth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// userPath is the detail path of a firm user.
func userPath(id string) string { return "/api/firm/users/" + id + "/" }

func TestFirmUsersCreate(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, firm := register(t, srv)

	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			name := uniq("New" + role)
			r := call(t, srv, http.MethodPost, "/api/firm/users/", owner.Access, map[string]any{
				"username": name, "email": strings.ToUpper(name) + "@Example.com", "password": goodPassword,
				"first_name": "New", "last_name": "Member", "role": role,
			})
			u, keys := decode[userJSON](t, r, http.StatusCreated)
			if !slices.Equal(keys, userKeys) {
				t.Errorf("members %v, want %v", keys, userKeys)
			}
			if loc := r.Header.Get("Location"); loc != "/api/v1/firm/users/"+u.ID+"/" {
				t.Errorf("Location %q, want /api/v1/firm/users/%s/", loc, u.ID)
			}
			want := userJSON{ID: u.ID, Username: name, Email: strings.ToLower(name) + "@example.com", FirstName: "New",
				LastName: "Member", FullName: "New Member", Role: role, IsActive: true, Firm: firm.ID,
				CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
			if d := userDiff(u, want); d != "" {
				t.Errorf("created user: %s", d)
			}
			if strings.Contains(string(r.body), goodPassword) || strings.Contains(string(r.body), "argon2") {
				t.Errorf("body shows the password or its hash: %s", r.body)
			}
			// The Location serves the user; the new user can log in and has the role.
			got, _ := decode[userJSON](t, call(t, srv, http.MethodGet, r.Header.Get("Location"), owner.Access, nil), http.StatusOK)
			if d := userDiff(got, u); d != "" {
				t.Errorf("GET Location: %s", d)
			}
			s := login(t, srv, name, goodPassword)
			if me := profile(t, srv, s.Access); me.Role != role || me.Firm != firm.ID {
				t.Errorf("new user's profile %+v, want role %s in firm %s", me, role, firm.ID)
			}
		})
	}

	t.Run("validation", func(t *testing.T) {
		t.Parallel()
		valid := func(changes map[string]any) map[string]any {
			name := uniq("valid")
			b := map[string]any{"username": name, "email": name + "@example.com", "password": goodPassword, "role": "consultant"}
			for k, v := range changes {
				if v == nil {
					delete(b, k)
				} else {
					b[k] = v
				}
			}
			return b
		}
		tests := []struct {
			name string
			body map[string]any
			want map[string][]string
		}{
			{"missing username", valid(map[string]any{"username": nil}), map[string][]string{"username": {msgRequired}}},
			{"missing email", valid(map[string]any{"email": nil}), map[string][]string{"email": {msgRequired}}},
			{"missing password", valid(map[string]any{"password": nil}), map[string][]string{"password": {msgRequired}}},
			{"missing role", valid(map[string]any{"role": nil}), map[string][]string{"role": {msgRequired}}},
			{"invalid email", valid(map[string]any{"email": "bad@"}), map[string][]string{"email": {msgEmail}}},
			{"short password", valid(map[string]any{"password": "Qh-7-lamp"}), map[string][]string{"password": {pwShort}}},
			{"common password", valid(map[string]any{"password": "password1234"}), map[string][]string{"password": {pwCommon}}},
			{"numeric password", valid(map[string]any{"password": "948372615093"}), map[string][]string{"password": {pwNumeric}}},
			{"taken username", valid(map[string]any{"username": strings.ToUpper(owner.Username)}), map[string][]string{"username": {msgUsernameTaken}}},
			{"taken email", valid(map[string]any{"email": strings.ToUpper(owner.Email)}), map[string][]string{"email": {msgEmailTaken}}},
			{"unknown field", valid(map[string]any{"is_superuser": true}), map[string][]string{"is_superuser": {msgUnknownField}}},
		}
		for _, tt := range tests {
			r := call(t, srv, http.MethodPost, "/api/firm/users/", owner.Access, tt.body)
			p := wantValidation(t, r, tt.want)
			wantDetails(t, r, p, tt.want)
		}
		r := call(t, srv, http.MethodPost, "/api/firm/users/", owner.Access, valid(map[string]any{"role": "superuser"}))
		p := wantValidation(t, r, map[string][]string{"role": {msgRole}})
		wantDetails(t, r, p, map[string][]string{"role": {msgRole}})
		// The firm in the body is not the caller's to choose.
		_, other := register(t, srv)
		r = call(t, srv, http.MethodPost, "/api/firm/users/", owner.Access, valid(map[string]any{"firm": other.ID}))
		wantValidation(t, r, map[string][]string{"firm": {msgUnknownField}})
	})
}

func TestFirmUsersList(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	stranger, _ := register(t, srv) // another firm: never listed
	all := map[string]account{owner.ID: owner}
	for _, role := range []string{"admin", "manager", "consultant", "consultant", "accountant"} {
		a := addUser(t, srv, owner, role)
		all[a.ID] = a
	}
	searchable := addUser(t, srv, owner, "manager")
	all[searchable.ID] = searchable
	decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(searchable.ID), owner.Access,
		map[string]any{"first_name": "Zebulon", "last_name": "Quartermaine"}), http.StatusOK)

	list := func(t *testing.T, query string) page[userJSON] {
		t.Helper()
		p, _ := decode[page[userJSON]](t, call(t, srv, http.MethodGet, "/api/firm/users/"+query, owner.Access, nil), http.StatusOK)
		return p
	}
	ids := func(users []userJSON) []string {
		var out []string
		for _, u := range users {
			out = append(out, u.ID)
		}
		return out
	}

	t.Run("everyone, every path", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/api/firm/users/", "/api/firm/users", "/api/v1/firm/users/", "/api/v1/firm/users"} {
			p, keys := decode[page[userJSON]](t, call(t, srv, http.MethodGet, path, owner.Access, nil), http.StatusOK)
			if want := []string{"count", "next", "previous", "results"}; !slices.Equal(keys, want) {
				t.Errorf("%s: members %v, want %v", path, keys, want)
			}
			if p.Count != len(all) || len(p.Results) != len(all) || p.Next != nil || p.Previous != nil {
				t.Errorf("%s: count %d, %d results, next %v, previous %v; want %d users on one page",
					path, p.Count, len(p.Results), p.Next, p.Previous, len(all))
			}
			for _, u := range p.Results {
				if _, ok := all[u.ID]; !ok || u.ID == stranger.ID {
					t.Errorf("%s: lists %s (%s), not a member of the firm", path, u.ID, u.Username)
				}
			}
		}
	})

	t.Run("pagination", func(t *testing.T) {
		t.Parallel()
		var seen []string
		first := list(t, "?page_size=3")
		if first.Count != len(all) || len(first.Results) != 3 || first.Next == nil || first.Previous != nil {
			t.Fatalf("page 1: count %d, %d results, next %v, previous %v", first.Count, len(first.Results), first.Next, first.Previous)
		}
		seen = append(seen, ids(first.Results)...)
		next, err := url.Parse(*first.Next)
		if err != nil || next.Query().Get("page") != "2" {
			t.Fatalf("next %q, want page=2", *first.Next)
		}
		second := list(t, "?"+next.RawQuery)
		third := list(t, "?page_size=3&page=3")
		if second.Previous == nil || second.Next == nil || third.Next != nil || len(third.Results) != len(all)-6 {
			t.Errorf("pages 2 and 3: %+v / %+v", second, third)
		}
		seen = append(seen, ids(second.Results)...)
		seen = append(seen, ids(third.Results)...)
		slices.Sort(seen)
		if len(slices.Compact(seen)) != len(all) {
			t.Errorf("pages list %d distinct users, want %d", len(seen), len(all))
		}
		r := call(t, srv, http.MethodGet, "/api/firm/users/?page_size=3&page=4", owner.Access, nil)
		wantProblem(t, r, http.StatusNotFound, typeNotFound, codeNotFound, "Invalid page.")
		for q, want := range map[string]map[string][]string{
			"?page_size=0":   {"page_size": {"Page size must be an integer from 1 to 200."}},
			"?page_size=201": {"page_size": {"Page size must be an integer from 1 to 200."}},
			"?page_size=-1":  {"page_size": {"Page size must be an integer from 1 to 200."}},
			"?page=0":        {"page": {"A page number must be a positive integer."}},
			"?page=x":        {"page": {"A page number must be a positive integer."}},
		} {
			wantParseError(t, call(t, srv, http.MethodGet, "/api/firm/users/"+q, owner.Access, nil), want)
		}
	})

	t.Run("default ordering is by username", func(t *testing.T) {
		t.Parallel()
		p := list(t, "")
		names := make([]string, len(p.Results))
		for i, u := range p.Results {
			names[i] = strings.ToLower(u.Username)
		}
		if !slices.IsSorted(names) {
			t.Errorf("usernames %v, want them sorted", names)
		}
	})

	t.Run("filter by role", func(t *testing.T) {
		t.Parallel()
		for _, role := range roles {
			p := list(t, "?role="+role)
			want := 0
			for _, a := range all {
				if a.Role == role {
					want++
				}
			}
			if p.Count != want {
				t.Errorf("role=%s: count %d, want %d", role, p.Count, want)
			}
			for _, u := range p.Results {
				if u.Role != role {
					t.Errorf("role=%s lists %s with role %s", role, u.Username, u.Role)
				}
			}
		}
		wantParseError(t, call(t, srv, http.MethodGet, "/api/firm/users/?role=superuser", owner.Access, nil), map[string][]string{
			"role": {`Select a valid choice. "superuser" is not one of the available choices (owner, admin, manager, consultant, accountant).`},
		})
		wantParseError(t, call(t, srv, http.MethodGet, "/api/firm/users/?is_active=maybe", owner.Access, nil), map[string][]string{
			"is_active": {"Must be true or false."},
		})
	})

	t.Run("search", func(t *testing.T) {
		t.Parallel()
		for _, q := range []string{"zebulon", "QUARTER", "zeb quarter", searchable.Username, searchable.Email} {
			p := list(t, "?search="+url.QueryEscape(q))
			if p.Count != 1 || len(p.Results) != 1 || p.Results[0].ID != searchable.ID {
				t.Errorf("search=%q: %v, want only %s", q, ids(p.Results), searchable.Username)
			}
		}
		if p := list(t, "?search="+url.QueryEscape("zebulon nobody")); p.Count != 0 {
			t.Errorf("every term must match: %v", ids(p.Results))
		}
		if p := list(t, "?search="+url.QueryEscape(stranger.Username)); p.Count != 0 {
			t.Errorf("search finds another firm's user: %v", ids(p.Results))
		}
	})
}

func TestFirmUsersOfAnotherFirmAreNotFound(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ownerA, _ := register(t, srv)
	ownerB, _ := register(t, srv)
	memberB := addUser(t, srv, ownerB, "consultant")

	for _, target := range []account{ownerB, memberB} {
		for _, path := range []string{userPath(target.ID), "/api/v1/firm/users/" + target.ID} {
			wantNotFound(t, call(t, srv, http.MethodGet, path, ownerA.Access, nil))
			wantNotFound(t, call(t, srv, http.MethodPatch, path, ownerA.Access, map[string]any{"first_name": "Owned"}))
			wantNotFound(t, call(t, srv, http.MethodPatch, path, ownerA.Access, map[string]any{"role": "consultant"}))
			wantNotFound(t, call(t, srv, http.MethodPatch, path, ownerA.Access, map[string]any{"is_active": false}))
			wantNotFound(t, call(t, srv, http.MethodDelete, path, ownerA.Access, nil))
		}
	}
	// Nothing happened to them.
	wantTokenWorks(t, srv, memberB.Access)
	wantTokenWorks(t, srv, ownerB.Access)
	if me := profile(t, srv, memberB.Access); me.FirstName == "Owned" || me.Role != "consultant" || !me.IsActive {
		t.Errorf("firm B's user changed by firm A: %+v", me)
	}
	// Unknown and malformed ids are not found either.
	for _, id := range []string{"01900000-0000-7000-8000-000000000000", "not-a-uuid", "1"} {
		wantNotFound(t, call(t, srv, http.MethodGet, userPath(id), ownerA.Access, nil))
		wantNotFound(t, call(t, srv, http.MethodDelete, userPath(id), ownerA.Access, nil))
	}
}

func TestFirmUsersNeedOwnerOrAdmin(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	target := addUser(t, srv, owner, "consultant")

	// The group returns when its parallel subtests are done, so the check after it sees the
	// outcome of every refused call.
	t.Run("roles", func(t *testing.T) {
		for _, role := range []string{"manager", "consultant", "accountant"} {
			t.Run(role, func(t *testing.T) {
				t.Parallel()
				me := addUser(t, srv, owner, role)
				name := uniq("sneaky")
				calls := []struct {
					method, path string
					body         any
				}{
					{http.MethodGet, "/api/firm/users/", nil},
					{http.MethodGet, "/api/firm/users/?role=owner", nil},
					{http.MethodPost, "/api/firm/users/", map[string]any{"username": name, "email": name + "@example.com", "password": goodPassword, "role": "owner"}},
					{http.MethodGet, userPath(target.ID), nil},
					{http.MethodGet, userPath(me.ID), nil},
					{http.MethodPatch, userPath(target.ID), map[string]any{"first_name": "Changed"}},
					{http.MethodPatch, userPath(me.ID), map[string]any{"role": "admin"}},
					{http.MethodDelete, userPath(target.ID), nil},
					{http.MethodDelete, userPath(owner.ID), nil},
				}
				for _, c := range calls {
					wantForbidden(t, call(t, srv, c.method, c.path, me.Access, c.body), msgForbidden)
				}
				if got := profile(t, srv, me.Access); got.Role != role {
					t.Errorf("role %s after refused calls, want %s", got.Role, role)
				}
				wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
					map[string]string{"username": name, "password": goodPassword}), msgBadLogin)
			})
		}
	})
	// The refused DELETE ended no session of the target.
	if got := profile(t, srv, target.Access); got.FirstName == "Changed" || !got.IsActive || got.Role != "consultant" {
		t.Errorf("target after refused calls: %+v", got)
	}
	list, _ := decode[page[userJSON]](t, call(t, srv, http.MethodGet, "/api/firm/users/?role=owner", owner.Access, nil), http.StatusOK)
	if list.Count != 1 {
		t.Errorf("%d owners after refused calls, want 1", list.Count)
	}
}

func TestFirmUsersOwnerRules(t *testing.T) {
	t.Parallel()
	srv := startServer(t)

	t.Run("admin cannot touch owners", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		admin := addUser(t, srv, owner, "admin")
		member := addUser(t, srv, owner, "manager")
		name := uniq("wannabe")

		wantForbidden(t, call(t, srv, http.MethodPost, "/api/firm/users/", admin.Access, map[string]any{
			"username": name, "email": name + "@example.com", "password": goodPassword, "role": "owner",
		}), msgOwnerOnly)
		for _, body := range []map[string]any{{"role": "admin"}, {"role": "consultant"}, {"is_active": false}, {"email": uniq("taken") + "@example.com"}, {"first_name": "Mallory"}} {
			wantForbidden(t, call(t, srv, http.MethodPatch, userPath(owner.ID), admin.Access, body), msgOwnerOnly)
		}
		wantForbidden(t, call(t, srv, http.MethodDelete, userPath(owner.ID), admin.Access, nil), msgOwnerOnly)
		wantForbidden(t, call(t, srv, http.MethodPatch, userPath(member.ID), admin.Access, map[string]any{"role": "owner"}), msgOwnerOnly)
		wantForbidden(t, call(t, srv, http.MethodPatch, userPath(admin.ID), admin.Access, map[string]any{"role": "owner"}), msgOwnerOnly)

		// Nothing changed; the admin may still read the owner and manage everyone else.
		got, _ := decode[userJSON](t, call(t, srv, http.MethodGet, userPath(owner.ID), admin.Access, nil), http.StatusOK)
		if got.Role != "owner" || !got.IsActive || got.Email != owner.Email || got.FirstName != owner.FirstName {
			t.Errorf("owner after the admin's attempts: %+v", got)
		}
		if r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": name, "password": goodPassword}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the refused owner was created: login status %d", r.StatusCode)
		}
		u, _ := decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(member.ID), admin.Access, map[string]any{"role": "admin"}), http.StatusOK)
		if u.Role != "admin" {
			t.Errorf("admin promoting a manager: role %s", u.Role)
		}
		decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(member.ID), admin.Access, map[string]any{"role": "accountant"}), http.StatusOK)
		wantNoContent(t, call(t, srv, http.MethodDelete, userPath(member.ID), admin.Access, nil))
	})

	t.Run("owner manages owners", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		second := addUser(t, srv, owner, "owner")
		promoted := addUser(t, srv, owner, "consultant")
		u, _ := decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(promoted.ID), owner.Access, map[string]any{"role": "owner"}), http.StatusOK)
		if u.Role != "owner" {
			t.Fatalf("promotion: role %s", u.Role)
		}
		// The second owner demotes the first one; the first is an admin from the next request on.
		u, _ = decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(owner.ID), second.Access, map[string]any{"role": "admin"}), http.StatusOK)
		if u.Role != "admin" {
			t.Fatalf("demotion: role %s", u.Role)
		}
		wantForbidden(t, call(t, srv, http.MethodPatch, userPath(promoted.ID), owner.Access, map[string]any{"role": "consultant"}), msgOwnerOnly)
		wantNoContent(t, call(t, srv, http.MethodDelete, userPath(promoted.ID), second.Access, nil))
	})

	t.Run("last active owner", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		for _, role := range []string{"admin", "manager", "consultant", "accountant"} {
			r := call(t, srv, http.MethodPatch, userPath(owner.ID), owner.Access, map[string]any{"role": role})
			p := wantValidation(t, r, map[string][]string{"non_field_errors": {msgLastOwner}})
			wantDetails(t, r, p, map[string][]string{"non_field_errors": {msgLastOwner}})
		}
		// Deactivating oneself is refused whatever the role count.
		r := call(t, srv, http.MethodDelete, userPath(owner.ID), owner.Access, nil)
		wantValidation(t, r, map[string][]string{"non_field_errors": {msgSelfDeactivate}})
		r = call(t, srv, http.MethodPatch, userPath(owner.ID), owner.Access, map[string]any{"is_active": false})
		wantValidation(t, r, map[string][]string{"is_active": {msgSelfDeactivate}})
		if me := profile(t, srv, owner.Access); me.Role != "owner" || !me.IsActive {
			t.Fatalf("the last owner changed: %+v", me)
		}

		// With a second owner, one may step down; then the other is the last one.
		second := addUser(t, srv, owner, "owner")
		decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(owner.ID), owner.Access, map[string]any{"role": "admin"}), http.StatusOK)
		r = call(t, srv, http.MethodPatch, userPath(second.ID), second.Access, map[string]any{"role": "manager"})
		wantValidation(t, r, map[string][]string{"non_field_errors": {msgLastOwner}})

		// A deactivated owner does not count: with owners {second, third(deactivated)}, second
		// is the last active owner.
		third := addUser(t, srv, second, "owner")
		wantNoContent(t, call(t, srv, http.MethodDelete, userPath(third.ID), second.Access, nil))
		r = call(t, srv, http.MethodPatch, userPath(second.ID), second.Access, map[string]any{"role": "admin"})
		wantValidation(t, r, map[string][]string{"non_field_errors": {msgLastOwner}})
	})

	t.Run("deactivating yourself", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		admin := addUser(t, srv, owner, "admin")
		r := call(t, srv, http.MethodDelete, userPath(admin.ID), admin.Access, nil)
		p := wantValidation(t, r, map[string][]string{"non_field_errors": {msgSelfDeactivate}})
		wantDetails(t, r, p, map[string][]string{"non_field_errors": {msgSelfDeactivate}})
		r = call(t, srv, http.MethodPatch, userPath(admin.ID), admin.Access, map[string]any{"is_active": false})
		wantValidation(t, r, map[string][]string{"is_active": {msgSelfDeactivate}})
		wantTokenWorks(t, srv, admin.Access)
	})
}

func TestFirmUsersDeactivate(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	for _, path := range []func(string) string{
		userPath,
		func(id string) string { return "/api/v1/firm/users/" + id },
	} {
		member := addUser(t, srv, owner, "consultant")
		second := login(t, srv, member.Email, member.Password)
		wantTokenWorks(t, srv, member.Access)

		wantNoContent(t, call(t, srv, http.MethodDelete, path(member.ID), owner.Access, nil))

		// Every session of the user ends at once, and the user can no longer sign in.
		wantTokenRefused(t, srv, member.Access)
		wantTokenRefused(t, srv, second.Access)
		wantUnauthorized(t, refresh(t, srv, second.Refresh), msgBadRefresh)
		wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
			map[string]string{"username": member.Username, "password": member.Password}), msgBadLogin)
		// The account stays, deactivated.
		got, _ := decode[userJSON](t, call(t, srv, http.MethodGet, userPath(member.ID), owner.Access, nil), http.StatusOK)
		if got.IsActive || got.Role != "consultant" {
			t.Errorf("after DELETE: %+v, want an inactive consultant", got)
		}
		p, _ := decode[page[userJSON]](t, call(t, srv, http.MethodGet, "/api/firm/users/?is_active=false", owner.Access, nil), http.StatusOK)
		if !slices.ContainsFunc(p.Results, func(u userJSON) bool { return u.ID == member.ID }) {
			t.Errorf("is_active=false does not list the deactivated user")
		}
		// DELETE again is harmless.
		wantNoContent(t, call(t, srv, http.MethodDelete, path(member.ID), owner.Access, nil))
	}
	// The owner is unaffected.
	wantTokenWorks(t, srv, owner.Access)
}

func TestFirmUsersUpdate(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	t.Run("fields", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "consultant")
		r := call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, map[string]any{
			"first_name": "Mae", "last_name": "Jemison", "email": "MAE." + member.Email, "role": "manager",
		})
		u, _ := decode[userJSON](t, r, http.StatusOK)
		want := member.userJSON
		want.FirstName, want.LastName, want.FullName, want.Email, want.Role = "Mae", "Jemison", "Mae Jemison", "mae."+member.Email, "manager"
		want.UpdatedAt, want.LastLogin = u.UpdatedAt, u.LastLogin
		if d := userDiff(u, want); d != "" {
			t.Errorf("PATCH: %s", d)
		}
		// The user's session survives a role change and sees the new role.
		if me := profile(t, srv, member.Access); me.Role != "manager" || me.Email != want.Email {
			t.Errorf("member's profile after PATCH: %+v", me)
		}
	})

	t.Run("send back what GET returned", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "accountant")
		r := call(t, srv, http.MethodGet, userPath(member.ID), owner.Access, nil)
		wantStatus(t, r, http.StatusOK)
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		body["last_name"] = "Sent-Back"
		body["username"] = "renamed-by-body"
		u, _ := decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, body), http.StatusOK)
		if u.LastName != "Sent-Back" || u.Username != member.Username || u.Role != "accountant" || u.ID != member.ID {
			t.Errorf("user after sending it back: %+v", u)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "consultant")
		tests := []struct {
			name string
			body map[string]any
			want map[string][]string
		}{
			{"taken email", map[string]any{"email": strings.ToUpper(owner.Email)}, map[string][]string{"email": {msgEmailTaken}}},
			{"invalid email", map[string]any{"email": "x@"}, map[string][]string{"email": {msgEmail}}},
			{"unknown field", map[string]any{"password": otherPassword}, map[string][]string{"password": {msgUnknownField}}},
		}
		for _, tt := range tests {
			r := call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, tt.body)
			p := wantValidation(t, r, tt.want)
			wantDetails(t, r, p, tt.want)
		}
		r := call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, map[string]any{"role": "superuser"})
		p := wantValidation(t, r, map[string][]string{"role": {msgRole}})
		wantDetails(t, r, p, map[string][]string{"role": {msgRole}})
		login(t, srv, member.Username, member.Password) // the password was not changed by the body
	})
}

func TestActorRoleIsReadEachRequest(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	member := addUser(t, srv, owner, "consultant")

	steps := []struct {
		role   string
		status int
	}{
		{"admin", http.StatusOK},
		{"manager", http.StatusForbidden},
		{"owner", http.StatusOK},
		{"accountant", http.StatusForbidden},
	}
	wantForbidden(t, call(t, srv, http.MethodGet, "/api/firm/users/", member.Access, nil), msgForbidden)
	for _, step := range steps {
		decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, map[string]any{"role": step.role}), http.StatusOK)
		// The same access token, issued when the member was a consultant.
		r := call(t, srv, http.MethodGet, "/api/firm/users/", member.Access, nil)
		if r.StatusCode != step.status {
			t.Errorf("as %s: GET /api/firm/users/ status %d, want %d; body %s", step.role, r.StatusCode, step.status, r.body)
		}
		r = call(t, srv, http.MethodPatch, "/api/firm/", member.Access, map[string]any{"invoice_prefix": "R" + step.role[:1]})
		if r.StatusCode != step.status {
			t.Errorf("as %s: PATCH /api/firm/ status %d, want %d; body %s", step.role, r.StatusCode, step.status, r.body)
		}
	}
}

func TestFirmKeepsAnOwnerUnderConcurrentDemotions(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	// Two owners demote each other at the same moment, in several firms at once: each request
	// alone is allowed (the other owner remains), but both together would leave the firm without
	// an owner. At least one must be refused, and no answer may be a server error.
	const firms = 6
	type pair struct {
		firm   string
		ra, rb response
	}
	pairs := make([]pair, firms)
	var wg sync.WaitGroup
	for i := range pairs {
		a, firm := register(t, srv)
		b := addUser(t, srv, a, "owner")
		pairs[i].firm = firm.ID
		wg.Go(func() {
			pairs[i].ra = call(t, srv, http.MethodPatch, userPath(b.ID), a.Access, map[string]any{"role": "admin"})
		})
		wg.Go(func() {
			pairs[i].rb = call(t, srv, http.MethodPatch, userPath(a.ID), b.Access, map[string]any{"role": "admin"})
		})
	}
	wg.Wait()
	for _, p := range pairs {
		for _, r := range []response{p.ra, p.rb} {
			switch r.StatusCode {
			case http.StatusOK:
			case http.StatusForbidden: // the other demotion came first: the actor is an admin now
				wantForbidden(t, r, msgOwnerOnly)
			default:
				wantValidation(t, r, map[string][]string{"non_field_errors": {msgLastOwner}})
			}
		}
		if p.ra.StatusCode == http.StatusOK && p.rb.StatusCode == http.StatusOK {
			t.Errorf("both owners of firm %s demoted each other: the firm has no owner left", p.firm)
		}
	}
}
