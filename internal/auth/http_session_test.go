package auth_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
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

// reuseInterval is the default REFRESH_REUSE_INTERVAL.
const reuseInterval = 10 * time.Second

// startFrozenServer starts a server whose clock stands still until the test moves it.
func startFrozenServer(t *testing.T, configure func(*config.Config)) (*testkit.Server, *testkit.Clock) {
	t.Helper()
	a := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Configure: configure})
	return a.Srv, a.Clock
}

func TestRefreshReuseRevokesSession(t *testing.T) {
	t.Parallel()
	srv, clock := startFrozenServer(t, nil)
	owner, _ := register(t, srv)
	other := login(t, srv, owner.Username, goodPassword) // a second session of the same user

	first, _ := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
	wantTokenWorks(t, srv, first.Access)

	// Presenting the rotated token again once the reuse interval is over is evidence of theft:
	// 401, and the session ends.
	clock.Advance(reuseInterval)
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

// TestRefreshReuseInterval checks both sides of REFRESH_REUSE_INTERVAL: within it a rotated token
// gets the very pair its rotation issued, and the session lives on; after it, reuse detection
// revokes the session as before.
func TestRefreshReuseInterval(t *testing.T) {
	t.Parallel()
	srv, clock := startFrozenServer(t, nil)
	owner, _ := register(t, srv)

	clock.Advance(time.Second) // so that the rotation's access token differs from the login's
	first, _ := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
	if first.Access == owner.Access || first.Refresh == owner.Refresh {
		t.Fatal("rotation handed out the registration's tokens again")
	}
	for _, wait := range []time.Duration{0, time.Second, reuseInterval - 2*time.Second} {
		clock.Advance(wait)
		again, members := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
		if !slices.Equal(members, refreshKeys) {
			t.Errorf("body members %v, want %v", members, refreshKeys)
		}
		if again.Access != first.Access || again.Refresh != first.Refresh {
			t.Fatalf("the rotated token presented again got another pair")
		}
	}
	wantTokenWorks(t, srv, owner.Access)
	wantTokenWorks(t, srv, first.Access)

	// The new refresh token is the session's current one: it rotates normally, once.
	second, _ := decode[session](t, refresh(t, srv, first.Refresh), http.StatusOK)
	if second.Refresh == first.Refresh || second.Refresh == owner.Refresh {
		t.Fatal("the second rotation repeated a refresh token")
	}
	wantTokenWorks(t, srv, second.Access)

	// One second past the first rotation's interval: the first token is a reuse.
	clock.Advance(2 * time.Second)
	wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)
	wantTokenRefused(t, srv, second.Access)
	wantUnauthorized(t, refresh(t, srv, second.Refresh), msgBadRefresh)
}

func TestRefreshReuseIntervalTurnedOff(t *testing.T) {
	t.Parallel()
	srv, _ := startFrozenServer(t, func(cfg *config.Config) { cfg.RefreshReuseInterval = 0 })
	owner, _ := register(t, srv)
	first, _ := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
	wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)
	wantTokenRefused(t, srv, first.Access)
}

func TestRefreshConcurrentWithinReuseInterval(t *testing.T) {
	t.Parallel()
	srv, clock := startFrozenServer(t, nil)
	owner, _ := register(t, srv)
	clock.Advance(time.Second)

	// A page fires several requests at once, all refreshing with the same token: every one gets
	// the same new pair, nobody sees an error, and the session lives on.
	const n = 6
	var wg sync.WaitGroup
	results := make([]response, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i] = refresh(t, srv, owner.Refresh)
		})
	}
	close(start)
	wg.Wait()
	var issued []session
	for _, r := range results {
		s, _ := decode[session](t, r, http.StatusOK)
		issued = append(issued, s)
	}
	for _, s := range issued[1:] {
		if s != issued[0] {
			t.Fatalf("concurrent refreshes with one token got different pairs")
		}
	}
	wantTokenWorks(t, srv, owner.Access)
	wantTokenWorks(t, srv, issued[0].Access)
	next, _ := decode[session](t, refresh(t, srv, issued[0].Refresh), http.StatusOK)
	wantTokenWorks(t, srv, next.Access)

	// After the interval the old token is a reuse again, and ends the session.
	clock.Advance(reuseInterval)
	wantUnauthorized(t, refresh(t, srv, owner.Refresh), msgBadRefresh)
	wantTokenRefused(t, srv, next.Access)
}

func TestRefreshConcurrentReuse(t *testing.T) {
	t.Parallel()
	srv, clock := startFrozenServer(t, nil)
	owner, _ := register(t, srv)
	first, _ := decode[session](t, refresh(t, srv, owner.Refresh), http.StatusOK)
	clock.Advance(reuseInterval)

	// After the interval several clients present the spent token at once: none may get a pair,
	// none may see a server error, and the session must end.
	const n = 6
	var wg sync.WaitGroup
	results := make([]response, n)
	for i := range n {
		wg.Go(func() { results[i] = refresh(t, srv, owner.Refresh) })
	}
	wg.Wait()
	for _, r := range results {
		wantUnauthorized(t, r, msgBadRefresh)
	}
	wantTokenRefused(t, srv, owner.Access)
	wantTokenRefused(t, srv, first.Access)
	wantUnauthorized(t, refresh(t, srv, first.Refresh), msgBadRefresh)
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

// logoutWith posts a logout with the refresh token in the body and the access token, if any.
func logoutWith(t *testing.T, srv *testkit.Server, access, refresh string) response {
	t.Helper()
	return call(t, srv, http.MethodPost, "/api/auth/logout/", access, map[string]string{"refresh": refresh})
}

// TestLogoutWithRefreshToken checks that a client whose access token is gone can still end its
// session with the refresh token alone, as OAuth token revocation (RFC 7009) allows.
func TestLogoutWithRefreshToken(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	for _, path := range []string{"/api/auth/logout/", "/api/auth/logout", "/api/v1/auth/logout/", "/api/v1/auth/logout"} {
		t.Run("refresh token alone at "+path, func(t *testing.T) {
			t.Parallel()
			s := login(t, srv, owner.Username, goodPassword)
			other := login(t, srv, owner.Email, goodPassword)
			wantNoContent(t, call(t, srv, http.MethodPost, path, "", map[string]string{"refresh": s.Refresh}))
			// The session's access and refresh tokens stop working at once; others do not.
			wantTokenRefused(t, srv, s.Access)
			wantUnauthorized(t, refresh(t, srv, s.Refresh), msgBadRefresh)
			wantTokenWorks(t, srv, other.Access)
			// Logging out again with the same token has nothing left to end.
			wantNoContent(t, logoutWith(t, srv, "", s.Refresh))
		})
	}
	t.Run("a rotated refresh token ends its session", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		next, _ := decode[session](t, refresh(t, srv, s.Refresh), http.StatusOK)
		wantNoContent(t, logoutWith(t, srv, "", s.Refresh))
		wantTokenRefused(t, srv, next.Access)
		wantUnauthorized(t, refresh(t, srv, next.Refresh), msgBadRefresh)
	})
	t.Run("an unknown refresh token is refused", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"not-a-refresh-token", "q3v1d0oZCzVJ0m8S1u9y7Qm4H5Lw3bRkVt0sXcYp2aE", owner.Access} {
			wantUnauthorized(t, logoutWith(t, srv, "", token), msgBadRefresh)
		}
		wantTokenWorks(t, srv, owner.Access)
	})
	t.Run("no credential at all", func(t *testing.T) {
		t.Parallel()
		for _, body := range []any{nil, map[string]string{}, map[string]string{"refresh": ""}} {
			r := call(t, srv, http.MethodPost, "/api/auth/logout/", "", body)
			wantProblem(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth, msgNotAuth)
		}
	})
	t.Run("a bad access token is refused even with a good refresh token", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		wantUnauthorized(t, logoutWith(t, srv, s.Access+"x", s.Refresh), msgBadToken)
		wantTokenWorks(t, srv, s.Access)
		decode[session](t, refresh(t, srv, s.Refresh), http.StatusOK)
	})
	t.Run("with an access token, the caller's other session named by refresh ends too", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		stale := login(t, srv, owner.Username, goodPassword)
		wantNoContent(t, logoutWith(t, srv, s.Access, stale.Refresh))
		wantTokenRefused(t, srv, s.Access)
		wantTokenRefused(t, srv, stale.Access)
	})
	t.Run("with an access token, another user's refresh token is left alone", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		stranger, _ := register(t, srv)
		wantNoContent(t, logoutWith(t, srv, s.Access, stranger.Refresh))
		wantTokenRefused(t, srv, s.Access)
		wantTokenWorks(t, srv, stranger.Access)
	})
	t.Run("an idempotency key on an anonymous logout is no error", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		r := do(t, srv, request{method: http.MethodPost, path: "/api/auth/logout/", body: map[string]string{"refresh": s.Refresh},
			header: map[string]string{"Idempotency-Key": "logout-" + uniq("k")}})
		wantNoContent(t, r)
		wantTokenRefused(t, srv, s.Access)
	})
	t.Run("unknown fields are refused", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		r := call(t, srv, http.MethodPost, "/api/auth/logout/", "", map[string]string{"refresh": s.Refresh, "access": s.Access})
		wantValidation(t, r, map[string][]string{"access": {msgUnknownField}})
		wantTokenWorks(t, srv, s.Access)
	})
}
