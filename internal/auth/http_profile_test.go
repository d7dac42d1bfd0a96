package auth_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestChangePassword(t *testing.T) {
	t.Parallel()
	srv := startServer(t)

	t.Run("success", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		current := login(t, srv, owner.Username, goodPassword)
		other := login(t, srv, owner.Email, goodPassword)

		r := call(t, srv, http.MethodPost, "/api/auth/change-password/", current.Access,
			map[string]string{"old_password": goodPassword, "new_password": otherPassword})
		wantNoContent(t, r)

		// The old password no longer logs in; the new one does.
		wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
			map[string]string{"username": owner.Username, "password": goodPassword}), msgBadLogin)
		wantTokenWorks(t, srv, login(t, srv, owner.Username, otherPassword).Access)

		// Every other session ends, tokens and refresh tokens alike; the current one keeps working.
		wantTokenRefused(t, srv, other.Access)
		wantTokenRefused(t, srv, owner.Access)
		wantUnauthorized(t, refresh(t, srv, other.Refresh), msgBadRefresh)
		wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)
		wantTokenWorks(t, srv, current.Access)
		next, _ := decode[session](t, refresh(t, srv, current.Refresh), http.StatusOK)
		wantTokenWorks(t, srv, next.Access)
	})

	t.Run("every path form", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		passwords := []string{goodPassword, otherPassword, "Amber-Finch-Meadow-31", "Copper-Lynx-Valley-58", "Silent-Quartz-Ember-64"}
		for i, path := range []string{"/api/auth/change-password/", "/api/auth/change-password", "/api/v1/auth/change-password/", "/api/v1/auth/change-password"} {
			wantNoContent(t, call(t, srv, http.MethodPost, path, owner.Access,
				map[string]string{"old_password": passwords[i], "new_password": passwords[i+1]}))
		}
		login(t, srv, owner.Username, passwords[4])
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		// A username of at least 7 characters, so that a 12-character password can be 0.7 similar.
		owner, _ := registerAs(t, srv, uniq("harbor-owner"))
		other := login(t, srv, owner.Username, goodPassword)
		tests := []struct {
			name string
			body map[string]string
			want map[string][]string
		}{
			{"wrong old password", map[string]string{"old_password": otherPassword, "new_password": "Amber-Finch-Meadow-31"},
				map[string][]string{"old_password": {msgWrongPassword}}},
			{"old password in another case", map[string]string{"old_password": strings.ToLower(goodPassword), "new_password": "Amber-Finch-Meadow-31"},
				map[string][]string{"old_password": {msgWrongPassword}}},
			{"new password too short", map[string]string{"old_password": goodPassword, "new_password": "Qh-7-lamp"},
				map[string][]string{"new_password": {pwShort}}},
			{"new password too long", map[string]string{"old_password": goodPassword, "new_password": strings.Repeat("Amber-Finch-Meadow-31-", 6)[:129]},
				map[string][]string{"new_password": {pwLong}}},
			{"new password common", map[string]string{"old_password": goodPassword, "new_password": "password1234"},
				map[string][]string{"new_password": {pwCommon}}},
			{"new password numeric", map[string]string{"old_password": goodPassword, "new_password": "948372615093"},
				map[string][]string{"new_password": {pwNumeric}}},
			// The username is the email's local part (harbor-owner7@example.com), so both rules fire.
			{"new password like the username", map[string]string{"old_password": goodPassword, "new_password": strings.ToUpper(owner.Username) + "!"},
				map[string][]string{"new_password": {pwUsername, pwEmail}}},
			{"new password like the email", map[string]string{"old_password": goodPassword, "new_password": "Example.com-" + owner.Email},
				map[string][]string{"new_password": {pwEmail}}},
			{"new password same as old", map[string]string{"old_password": goodPassword, "new_password": goodPassword},
				map[string][]string{"new_password": {msgSamePassword}}},
			{"missing fields", map[string]string{},
				map[string][]string{"old_password": {msgRequired}, "new_password": {msgRequired}}},
		}
		for _, tt := range tests {
			r := call(t, srv, http.MethodPost, "/api/auth/change-password/", owner.Access, tt.body)
			p := wantValidation(t, r, tt.want)
			wantDetails(t, r, p, tt.want)
		}
		// Nothing changed: the password still logs in and no session ended.
		login(t, srv, owner.Username, goodPassword)
		wantTokenWorks(t, srv, other.Access)
		wantTokenWorks(t, srv, owner.Access)

		r := call(t, srv, http.MethodPost, "/api/auth/change-password/", owner.Access,
			map[string]string{"old_password": goodPassword, "new_password": otherPassword, "confirm": otherPassword})
		wantValidation(t, r, map[string][]string{"confirm": {msgUnknownField}})
	})
}

func TestProfile(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, firm := register(t, srv)

	t.Run("get", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/api/auth/profile/", "/api/auth/profile", "/api/v1/auth/profile/", "/api/v1/auth/profile"} {
			r := call(t, srv, http.MethodGet, path, owner.Access, nil)
			u, members := decode[userJSON](t, r, http.StatusOK)
			if !slices.Equal(members, userKeys) {
				t.Errorf("%s: members %v, want %v", path, members, userKeys)
			}
			if u.ID != owner.ID || u.Username != owner.Username || u.Email != owner.Email || u.Role != "owner" ||
				!u.IsActive || u.Firm != firm.ID || u.FullName != "Ada Lovelace" {
				t.Errorf("%s: profile %+v, want the owner's", path, u)
			}
			if strings.Contains(string(r.body), "argon2") || strings.Contains(string(r.body), "password") {
				t.Errorf("%s: profile shows the password hash: %s", path, r.body)
			}
		}
	})

	t.Run("patch names and email", func(t *testing.T) {
		t.Parallel()
		me := addUser(t, srv, owner, "consultant")
		newEmail := uniq("renamed") + "@Example.com"
		r := call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access,
			map[string]any{"first_name": "  Katherine ", "last_name": "Johnson", "email": newEmail})
		u, _ := decode[userJSON](t, r, http.StatusOK)
		want := me.userJSON
		want.FirstName, want.LastName, want.FullName, want.Email = "Katherine", "Johnson", "Katherine Johnson", strings.ToLower(newEmail)
		want.LastLogin, want.UpdatedAt = u.LastLogin, u.UpdatedAt
		if d := userDiff(u, want); d != "" {
			t.Errorf("patched profile: %s", d)
		}
		if !u.UpdatedAt.After(me.UpdatedAt) {
			t.Errorf("updated_at %v, want later than %v", u.UpdatedAt, me.UpdatedAt)
		}
		if d := userDiff(profile(t, srv, me.Access), u); d != "" {
			t.Errorf("profile after PATCH: %s", d)
		}
		// The new email logs in; the user's sessions are untouched.
		login(t, srv, newEmail, me.Password)

		// Only first_name changes when only first_name is sent.
		u2, _ := decode[userJSON](t, call(t, srv, http.MethodPatch, "/api/auth/profile", me.Access, map[string]any{"first_name": "Kate"}), http.StatusOK)
		if u2.FirstName != "Kate" || u2.LastName != "Johnson" || u2.Email != strings.ToLower(newEmail) {
			t.Errorf("profile after partial PATCH %+v", u2)
		}
	})

	t.Run("send back what GET returned", func(t *testing.T) {
		t.Parallel()
		me := addUser(t, srv, owner, "consultant")
		r := call(t, srv, http.MethodGet, "/api/auth/profile/", me.Access, nil)
		wantStatus(t, r, http.StatusOK)
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		body["first_name"] = "Dorothy"
		r = call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access, body)
		u, _ := decode[userJSON](t, r, http.StatusOK)
		if u.FirstName != "Dorothy" || u.Role != "consultant" || u.Username != me.Username || u.ID != me.ID || !u.IsActive {
			t.Errorf("profile after sending it back %+v", u)
		}
	})

	t.Run("read-only fields change nothing", func(t *testing.T) {
		t.Parallel()
		me := addUser(t, srv, owner, "consultant")
		_, otherFirm := register(t, srv)
		body := map[string]any{
			"id": "01900000-0000-7000-8000-000000000000", "username": "hijacked", "role": "owner", "is_active": false,
			"firm": otherFirm.ID, "full_name": "Someone Else", "last_login": "2020-01-01T00:00:00Z",
			"created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
		}
		r := call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access, body)
		u, _ := decode[userJSON](t, r, http.StatusOK)
		got := profile(t, srv, me.Access)
		for _, v := range []userJSON{u, got} {
			if v.ID != me.ID || v.Username != me.Username || v.Role != "consultant" || !v.IsActive || v.Firm != me.Firm ||
				v.FullName != me.FullName || !v.CreatedAt.Equal(me.CreatedAt) {
				t.Errorf("read-only fields changed: %+v, was %+v", v, me.userJSON)
			}
		}
		// Still a consultant: the firm's users stay out of reach.
		wantForbidden(t, call(t, srv, http.MethodGet, "/api/firm/users/", me.Access, nil), msgForbidden)
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		me := addUser(t, srv, owner, "manager")
		_, _ = register(t, srv)
		tests := []struct {
			name string
			body map[string]any
			want map[string][]string
		}{
			{"email of a user of this firm", map[string]any{"email": owner.Email}, map[string][]string{"email": {msgEmailTaken}}},
			{"email of a user in another case", map[string]any{"email": strings.ToUpper(owner.Email)}, map[string][]string{"email": {msgEmailTaken}}},
			{"invalid email", map[string]any{"email": "nope@"}, map[string][]string{"email": {msgEmail}}},
			{"unknown field", map[string]any{"nickname": "x"}, map[string][]string{"nickname": {msgUnknownField}}},
			{"password is not a profile field", map[string]any{"password": otherPassword}, map[string][]string{"password": {msgUnknownField}}},
		}
		for _, tt := range tests {
			r := call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access, tt.body)
			p := wantValidation(t, r, tt.want)
			wantDetails(t, r, p, tt.want)
		}
		if got := profile(t, srv, me.Access); got.Email != me.Email {
			t.Errorf("email %q after refused PATCHes, want %q", got.Email, me.Email)
		}
		// The own email, in another case, is no conflict.
		u, _ := decode[userJSON](t, call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access,
			map[string]any{"email": strings.ToUpper(me.Email)}), http.StatusOK)
		if u.Email != me.Email {
			t.Errorf("email %q, want %q", u.Email, me.Email)
		}
	})

	t.Run("email of a user in another firm", func(t *testing.T) {
		t.Parallel()
		stranger, _ := register(t, srv)
		me := addUser(t, srv, owner, "accountant")
		r := call(t, srv, http.MethodPatch, "/api/auth/profile/", me.Access, map[string]any{"email": stranger.Email})
		p := wantValidation(t, r, map[string][]string{"email": {msgEmailTaken}})
		wantDetails(t, r, p, map[string][]string{"email": {msgEmailTaken}})
	})
}
