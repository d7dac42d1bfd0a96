package app_test

import (
	"net/http"
	"strconv"
	"testing"
)

// TestRefusedTokensAreThrottled: a request whose bearer token is refused never reaches the
// throttle's per-user key, so it is counted by client IP against the anonymous limits — burst,
// sustained and anon — and answered 429 once they are spent; login from that address shares
// the anon budget. Authenticated callers keep their own budget.
func TestRefusedTokensAreThrottled(t *testing.T) {
	t.Parallel()
	cfg := limitedConfig(t)
	cfg.RateAnon = "4/hour"
	base := startApp(t, cfg, nil)
	token := register(t, base) // spends one anon request
	for i, bad := range []string{"not-a-jwt", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", token + "x"} {
		r := send(t, http.MethodGet, base+"/api/v1/crm/clients/", bad, nil)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("bad token %d: status %d, want 401; %v", i+1, r.status, r.body)
		}
		if got, want := r.header.Get("X-RateLimit-Remaining"), strconv.Itoa(2-i); got != want || r.header.Get("X-RateLimit-Limit") != "4" {
			t.Errorf("bad token %d: X-RateLimit-Limit %q Remaining %q, want 4 and %s (anon)", i+1,
				r.header.Get("X-RateLimit-Limit"), got, want)
		}
	}
	r := send(t, http.MethodGet, base+"/api/v1/crm/clients/", "not-a-jwt", nil)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("bad token past the anon budget: status %d, want 429; %v", r.status, r.body)
	}
	throttledMessage(t, r)
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	r = send(t, http.MethodPost, base+"/api/auth/login/", "", map[string]any{"username": "nobody", "password": "wrong password here"})
	if r.status != http.StatusTooManyRequests {
		t.Errorf("login after the bad tokens spent the anon budget: status %d, want 429", r.status)
	}
	if r := send(t, http.MethodGet, base+"/api/v1/crm/clients/", token, nil); r.status != http.StatusOK {
		t.Errorf("a valid token from the same address: status %d, want 200", r.status)
	}
}

// TestMissingCredentialsAreThrottled: requests without any token are counted by client IP
// against burst and sustained (not anon: nothing was guessed) and answered 429 past them.
func TestMissingCredentialsAreThrottled(t *testing.T) {
	t.Parallel()
	cfg := limitedConfig(t)
	cfg.RateBurst, cfg.RateAnon = "4/min", "2/hour"
	base := startApp(t, cfg, nil)
	for i := range 4 {
		r := send(t, http.MethodGet, base+"/api/v1/crm/clients/", "", nil)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("request %d without a token: status %d, want 401 (anon is not spent); %v", i+1, r.status, r.body)
		}
		if got := r.header.Get("X-RateLimit-Limit"); got != "4" {
			t.Errorf("request %d: X-RateLimit-Limit %q, want 4 (burst)", i+1, got)
		}
	}
	r := send(t, http.MethodGet, base+"/api/v1/crm/clients/", "", nil)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("request past the burst budget: status %d, want 429", r.status)
	}
	throttledMessage(t, r)
}
