package auth_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
)

func TestRefreshRotates(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	paths := []string{"/api/auth/token/refresh/", "/api/auth/token/refresh", "/api/v1/auth/token/refresh/", "/api/v1/auth/token/refresh"}
	current := owner.Refresh
	// Refresh tokens must never repeat. Access tokens may: they carry no id, so two issued for
	// the same session in the same second are byte-identical.
	seen := map[string]bool{owner.Refresh: true}
	for _, path := range paths {
		r := call(t, srv, http.MethodPost, path, "", map[string]string{"refresh": current})
		s, members := decode[session](t, r, http.StatusOK)
		if !slices.Equal(members, refreshKeys) {
			t.Errorf("%s: body members %v, want %v", path, members, refreshKeys)
		}
		if s.Access == "" || s.Refresh == "" || seen[s.Refresh] {
			t.Fatalf("%s: tokens %q / %q, want a new refresh token", path, s.Access, s.Refresh)
		}
		seen[s.Refresh] = true
		if got := profile(t, srv, s.Access); got.ID != owner.ID {
			t.Errorf("%s: new access token is for %s, want %s", path, got.ID, owner.ID)
		}
		current = s.Refresh
	}
	// The access tokens of earlier rotations stay valid until they expire: the session is live.
	wantTokenWorks(t, srv, owner.Access)
}

func TestRefreshReuseRevokesSession(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)
	other := login(t, srv, owner.Username, goodPassword) // a second session of the same user

	first, _ := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
	wantTokenWorks(t, srv, first.Access)

	// Presenting the rotated token again is evidence of theft: 401, and the session ends.
	wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)
	wantUnauthorized(t, refresh(t, srv, first.Refresh), msgBadRefresh)
	wantTokenRefused(t, srv, first.Access)
	wantTokenRefused(t, srv, owner.Access)
	// And it stays refused.
	wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)

	// The user's other session is not the stolen one and keeps working.
	wantTokenWorks(t, srv, other.Access)
	decode[session](t, refresh(t, srv, other.Refresh), http.StatusOK)
}

func TestRefreshConcurrentReuse(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	// Several clients present the same refresh token at once: at most one may get a new pair,
	// none may see a server error, and the session must end (it is a reuse).
	const n = 6
	var wg sync.WaitGroup
	results := make([]response, n)
	for i := range n {
		wg.Go(func() { results[i] = refresh(t, srv, owner.Refresh) })
	}
	wg.Wait()
	var issued []session
	for _, r := range results {
		switch r.StatusCode {
		case http.StatusOK:
			s, _ := decode[session](t, r, http.StatusOK)
			issued = append(issued, s)
		case http.StatusUnauthorized:
			wantUnauthorized(t, r, msgBadRefresh)
		default:
			t.Errorf("concurrent refresh: status %d, want 200 or 401; body %s", r.StatusCode, r.body)
		}
	}
	if len(issued) > 1 {
		t.Fatalf("one refresh token was exchanged %d times", len(issued))
	}
	wantTokenRefused(t, srv, owner.Access)
	for _, s := range issued {
		wantTokenRefused(t, srv, s.Access)
		wantUnauthorized(t, refresh(t, srv, s.Refresh), msgBadRefresh)
	}
}

func TestRefreshRefusesBadTokens(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	tests := []struct {
		name, token string
	}{
		{"garbage", "not-a-refresh-token"},
		{"random of the right shape", "q3v1d0oZCzVJ0m8S1u9y7Qm4H5Lw3bRkVt0sXcYp2aE"},
		{"the access token", owner.Access},
		{"refresh with a character changed", owner.Refresh[:len(owner.Refresh)-1] + flip(owner.Refresh[len(owner.Refresh)-1])},
		{"refresh with padding", owner.Refresh + "="},
		{"refresh with surrounding spaces", " " + owner.Refresh + " "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantUnauthorized(t, refresh(t, srv, tt.token), msgBadRefresh)
		})
	}

	t.Run("missing refresh", func(t *testing.T) {
		t.Parallel()
		r := call(t, srv, http.MethodPost, "/api/auth/token/refresh/", "", map[string]string{})
		p := wantValidation(t, r, map[string][]string{"refresh": {msgRequired}})
		wantDetails(t, r, p, map[string][]string{"refresh": {msgRequired}})
	})
	t.Run("unknown field", func(t *testing.T) {
		t.Parallel()
		r := call(t, srv, http.MethodPost, "/api/auth/token/refresh/", "", map[string]string{"refresh": owner.Refresh, "access": owner.Access})
		wantValidation(t, r, map[string][]string{"access": {msgUnknownField}})
	})
}

// flip returns another base64url character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestRefreshAfterLogoutOrDeactivation(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	t.Run("after logout", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		wantNoContent(t, call(t, srv, http.MethodPost, "/api/auth/logout/", s.Access, nil))
		wantUnauthorized(t, refresh(t, srv, s.Refresh), msgBadRefresh)
	})
	t.Run("after deactivation", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "manager")
		wantNoContent(t, call(t, srv, http.MethodDelete, "/api/firm/users/"+member.ID+"/", owner.Access, nil))
		wantUnauthorized(t, refresh(t, srv, member.Refresh), msgBadRefresh)
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	paths := []string{"/api/auth/logout/", "/api/auth/logout", "/api/v1/auth/logout/", "/api/v1/auth/logout"}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			s := login(t, srv, owner.Username, goodPassword)
			other := login(t, srv, owner.Email, goodPassword)
			wantTokenWorks(t, srv, s.Access)

			wantNoContent(t, call(t, srv, http.MethodPost, path, s.Access, nil))

			// The session's access and refresh tokens stop working at once.
			wantTokenRefused(t, srv, s.Access)
			wantUnauthorized(t, refresh(t, srv, s.Refresh), msgBadRefresh)
			wantUnauthorized(t, call(t, srv, http.MethodPost, path, s.Access, nil), msgBadToken)
			// Other sessions of the same user keep working.
			wantTokenWorks(t, srv, other.Access)
			wantTokenWorks(t, srv, owner.Access)
			next, _ := decode[session](t, refresh(t, srv, other.Refresh), http.StatusOK)
			wantTokenWorks(t, srv, next.Access)
			// The user can simply log in again.
			wantTokenWorks(t, srv, login(t, srv, owner.Username, goodPassword).Access)
		})
	}

	t.Run("needs credentials", func(t *testing.T) {
		t.Parallel()
		r := call(t, srv, http.MethodPost, "/api/auth/logout/", "", nil)
		wantProblem(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth, msgNotAuth)
	})
	t.Run("refresh token is no access token", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/logout/", s.Refresh, nil), msgBadToken)
		wantTokenWorks(t, srv, s.Access)
	})
}
