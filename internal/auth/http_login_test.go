package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestLoginSucceeds(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	tests := []struct {
		name, login, path string
	}{
		{"username", owner.Username, "/api/auth/login/"},
		{"username in upper case", strings.ToUpper(owner.Username), "/api/auth/login/"},
		{"username with surrounding spaces", "  " + owner.Username + " ", "/api/auth/login/"},
		{"email", owner.Email, "/api/auth/login/"},
		{"email in mixed case", strings.ToUpper(owner.Email[:3]) + owner.Email[3:], "/api/auth/login"},
		{"canonical path", owner.Username, "/api/v1/auth/login/"},
		{"canonical path without slash", owner.Email, "/api/v1/auth/login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := time.Now().UTC().Add(-time.Second)
			r := call(t, srv, http.MethodPost, tt.path, "", map[string]string{"username": tt.login, "password": goodPassword})
			s, members := decode[session](t, r, http.StatusOK)
			if !slices.Equal(members, loginKeys) {
				t.Errorf("body members %v, want %v", members, loginKeys)
			}
			if strings.Contains(string(r.body), goodPassword) || strings.Contains(string(r.body), "argon2") {
				t.Errorf("body shows the password or its hash: %s", r.body)
			}
			if s.User.ID != owner.ID || s.User.Username != owner.Username || s.User.Role != "owner" {
				t.Errorf("user %+v, want the owner %s", s.User, owner.ID)
			}
			if s.User.LastLogin == nil || s.User.LastLogin.Before(before) || s.User.LastLogin.After(time.Now().Add(time.Second)) {
				t.Errorf("last_login %v, want now (after %v)", s.User.LastLogin, before)
			}
			// Each login is its own session with its own tokens.
			if s.Access == owner.Access || s.Refresh == owner.Refresh {
				t.Error("login handed out the registration's tokens again")
			}
			got := profile(t, srv, s.Access)
			if got.LastLogin == nil || got.LastLogin.Before(before) {
				t.Errorf("profile last_login %v, want the login's time", got.LastLogin)
			}
		})
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	gone := addUser(t, srv, owner, "consultant")
	wantNoContent(t, call(t, srv, http.MethodDelete, "/api/firm/users/"+gone.ID+"/", owner.Access, nil))

	tests := []struct {
		name, login, password string
	}{
		{"wrong password", owner.Username, otherPassword},
		{"wrong password by email", owner.Email, otherPassword},
		{"password in another case", owner.Username, strings.ToUpper(goodPassword)},
		{"unknown user", uniq("nobody"), goodPassword},
		{"unknown email", uniq("nobody") + "@example.com", goodPassword},
		{"deactivated user, right password", gone.Username, goodPassword},
		{"deactivated user, wrong password", gone.Username, otherPassword},
		{"deactivated user by email", gone.Email, goodPassword},
		{"empty-looking login", "   ", goodPassword},
	}
	var bodies []string
	for _, tt := range tests {
		r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": tt.login, "password": tt.password})
		wantUnauthorized(t, r, msgBadLogin)
		p := envelope(t, r, http.StatusUnauthorized)
		// Everything but the request id must be the same, whatever the cause.
		bodies = append(bodies, strings.Replace(string(r.body), p.RequestID, "<id>", 1))
		if r.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: failed login sets a cookie", tt.name)
		}
	}
	for i := range bodies {
		if bodies[i] != bodies[0] {
			t.Errorf("%s: body %s\ndiffers from %s: %s", tests[i].name, bodies[i], tests[0].name, bodies[0])
		}
	}

	t.Run("failed logins leave sessions alone", func(t *testing.T) {
		wantTokenWorks(t, srv, owner.Access)
	})

	t.Run("missing fields are validation errors", func(t *testing.T) {
		r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{})
		p := wantValidation(t, r, map[string][]string{"username": {msgRequired}, "password": {msgRequired}})
		wantDetails(t, r, p, map[string][]string{"username": {msgRequired}, "password": {msgRequired}})
	})
}

// TestLoginTimingDoesNotRevealUsers checks SPEC §3's "similar timing for unknown users": with the
// production password cost, a login for a user that does not exist must cost about as much as one
// with a wrong password for a user that does. The bound is deliberately coarse (a factor of 3 on
// medians of interleaved samples): without the dummy hash the ratio is in the hundreds. It does
// not run in parallel, so that other tests do not add noise.
func TestLoginTimingDoesNotRevealUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("measures production-cost password hashing")
	}
	cfg := testkit.Config(t)
	a, err := app.New(context.Background(), cfg, logging.Discard(), "test")
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	srv := &testkit.Server{Server: httptest.NewServer(a.Handler()), App: a}
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	owner, _ := register(t, srv)

	measure := func(username string) time.Duration {
		start := time.Now()
		r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": username, "password": otherPassword})
		took := time.Since(start)
		wantUnauthorized(t, r, msgBadLogin)
		return took
	}
	// Warm up both paths (connections, statement caches, the common-password set).
	measure(owner.Username)
	measure("nobody-at-all")

	const samples = 15
	var known, unknown []time.Duration
	for i := range samples {
		// Alternate which goes first, so drift hits both sides alike.
		if i%2 == 0 {
			known = append(known, measure(owner.Username))
			unknown = append(unknown, measure(uniq("nobody")))
		} else {
			unknown = append(unknown, measure(uniq("nobody")))
			known = append(known, measure(owner.Username))
		}
	}
	median := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	k, u := median(known), median(unknown)
	ratio := float64(u) / float64(k)
	t.Logf("median login time: known user, wrong password %v; unknown user %v; ratio %.2f", k, u, ratio)
	if ratio < 0.33 || ratio > 3 {
		t.Errorf("unknown-user logins take %v, wrong-password logins %v (ratio %.2f): timing reveals which users exist", u, k, ratio)
	}
}
