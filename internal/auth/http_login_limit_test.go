package auth_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// loginFailures is SPEC §10's allowance of failed password checks per account.
const loginFailures = 10

// throttledMessage is SPEC §10's 429 message.
var throttledMessage = regexp.MustCompile(`^Request was throttled\. Expected available in ([1-9][0-9]*) seconds\.$`)

// limiterBackends are the limiters the login-failure tests run on: in-process always, and Redis
// when TEST_REDIS_URL names one (CI must).
func limiterBackends(t *testing.T) map[string]func(*config.Config) {
	t.Helper()
	backends := map[string]func(*config.Config){"memory": func(*config.Config) {}}
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" && os.Getenv("CI") != "" {
		t.Fatal("TEST_REDIS_URL is not set; CI must provide Redis")
	}
	if url != "" {
		backends["redis"] = func(cfg *config.Config) {
			cfg.RedisURL = url
			cfg.RedisPrefix = "auth-test:" + rand.Text() + ":" // a budget of its own
		}
	}
	return backends
}

// startLimitedServer starts a server with the production login-failure limit (other limits stay
// out of the way) on the limiter backend.
func startLimitedServer(t *testing.T, backend func(*config.Config)) *testkit.Server {
	t.Helper()
	return testkit.StartServer(t, func(cfg *config.Config) {
		cfg.RateLoginFailures = "10/15m"
		backend(cfg)
	}, nil)
}

// startLimitedProductionServer is startLimitedServer with the production password cost, so that
// a password check takes long enough for concurrent attempts to overlap.
func startLimitedProductionServer(t *testing.T, backend func(*config.Config)) *testkit.Server {
	t.Helper()
	cfg := testkit.Config(t)
	cfg.RateLoginFailures = "10/15m"
	backend(&cfg)
	a, err := app.New(context.Background(), cfg, logging.Discard(), "test")
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	srv := &testkit.Server{Server: httptest.NewServer(a.Handler()), App: a}
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return srv
}

// tryLogin posts a login.
func tryLogin(t *testing.T, srv *testkit.Server, username, password string) response {
	t.Helper()
	return call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": username, "password": password})
}

// wantThrottled checks a 429 Throttled envelope with SPEC §10's message and Retry-After.
func wantThrottled(t *testing.T, r response) {
	t.Helper()
	p := envelope(t, r, http.StatusTooManyRequests)
	if p.Type != "Throttled" || p.Code != "TOO_MANY_REQUESTS" {
		t.Errorf("%s: error {type %q, code %q}, want {Throttled, TOO_MANY_REQUESTS}", r.where(), p.Type, p.Code)
	}
	m := throttledMessage.FindStringSubmatch(p.Message)
	if m == nil {
		t.Fatalf("%s: message %q, want SPEC §10's throttled message", r.where(), p.Message)
	}
	if got := r.Header.Get("Retry-After"); got != m[1] {
		t.Errorf("%s: Retry-After %q, want %q as in the message", r.where(), got, m[1])
	}
}

// TestLoginFailuresCountPerAccount checks that failed logins count against the account the login
// names, however it is spelled: the username, the email, either in another case. Unknown names
// count against their normalised text.
func TestLoginFailuresCountPerAccount(t *testing.T) {
	t.Parallel()
	srv := startLimitedServer(t, func(*config.Config) {})

	t.Run("failures by username refuse the email", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		for range loginFailures {
			wantUnauthorized(t, tryLogin(t, srv, owner.Username, otherPassword), msgBadLogin)
		}
		wantThrottled(t, tryLogin(t, srv, owner.Email, goodPassword))
		wantThrottled(t, tryLogin(t, srv, strings.ToUpper(owner.Email), goodPassword))
		wantThrottled(t, tryLogin(t, srv, owner.Username, goodPassword))
		// The sessions the account already has are not affected.
		wantTokenWorks(t, srv, owner.Access)
	})
	t.Run("failures spread over spellings share one allowance", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		spellings := []string{owner.Username, owner.Email, strings.ToUpper(owner.Email), " " + strings.ToUpper(owner.Username)}
		for i := range loginFailures {
			wantUnauthorized(t, tryLogin(t, srv, spellings[i%len(spellings)], otherPassword), msgBadLogin)
		}
		for _, s := range spellings {
			wantThrottled(t, tryLogin(t, srv, s, goodPassword))
		}
	})
	t.Run("another account keeps its allowance", func(t *testing.T) {
		t.Parallel()
		victim, _ := register(t, srv)
		bystander, _ := register(t, srv)
		for range loginFailures {
			wantUnauthorized(t, tryLogin(t, srv, victim.Email, otherPassword), msgBadLogin)
		}
		wantThrottled(t, tryLogin(t, srv, victim.Username, goodPassword))
		login(t, srv, bystander.Username, goodPassword)
	})
	t.Run("unknown names count by their normalised text", func(t *testing.T) {
		t.Parallel()
		name := uniq("nobody")
		for range loginFailures {
			wantUnauthorized(t, tryLogin(t, srv, name, goodPassword), msgBadLogin)
		}
		wantThrottled(t, tryLogin(t, srv, name, goodPassword))
		wantThrottled(t, tryLogin(t, srv, " "+strings.ToUpper(name)+" ", goodPassword))
		wantUnauthorized(t, tryLogin(t, srv, uniq("nobody"), goodPassword), msgBadLogin)
	})
}

// TestConcurrentLoginsAreLimited fires more wrong logins for one account at once than the
// allowance: exactly the allowance may have its password checked (401), the rest are refused
// before (429). Counting a failure only after the password check would let all of them through.
// It uses the production password cost and does not run in parallel with other tests: at most
// the allowance's ten checks of 19 MiB each run at once.
func TestConcurrentLoginsAreLimited(t *testing.T) {
	for name, backend := range limiterBackends(t) {
		t.Run(name, func(t *testing.T) {
			srv := startLimitedProductionServer(t, backend)
			owner, _ := register(t, srv)
			const attempts = 30
			results := make([]response, attempts)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range attempts {
				wg.Go(func() {
					<-start
					results[i] = tryLogin(t, srv, owner.Username, otherPassword+strconv.Itoa(i))
				})
			}
			close(start)
			wg.Wait()
			counts := map[int]int{}
			for _, r := range results {
				counts[r.StatusCode]++
				switch r.StatusCode {
				case http.StatusUnauthorized:
					wantUnauthorized(t, r, msgBadLogin)
				case http.StatusTooManyRequests:
					wantThrottled(t, r)
				}
			}
			if counts[http.StatusUnauthorized] != loginFailures || counts[http.StatusTooManyRequests] != attempts-loginFailures {
				t.Fatalf("%d concurrent wrong logins answered %v, want %d × 401 and %d × 429",
					attempts, counts, loginFailures, attempts-loginFailures)
			}
			wantThrottled(t, tryLogin(t, srv, owner.Email, goodPassword))
		})
	}
}

// TestLoginSuccessDoesNotCount checks that a right password takes its attempt back: only
// failures use up the allowance.
func TestLoginSuccessDoesNotCount(t *testing.T) {
	t.Parallel()
	for name, backend := range limiterBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startLimitedServer(t, backend)
			owner, _ := register(t, srv)
			for range loginFailures - 1 {
				wantUnauthorized(t, tryLogin(t, srv, owner.Username, otherPassword), msgBadLogin)
			}
			for range 2 * loginFailures {
				login(t, srv, owner.Email, goodPassword)
			}
			wantUnauthorized(t, tryLogin(t, srv, owner.Username, otherPassword), msgBadLogin)
			wantThrottled(t, tryLogin(t, srv, owner.Username, goodPassword))
		})
	}
}

// TestChangePasswordGuessesAreLimited checks that a wrong old password counts as a failed login
// of the account: an access token alone does not give unlimited guesses at the password.
func TestChangePasswordGuessesAreLimited(t *testing.T) {
	t.Parallel()
	for name, backend := range limiterBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startLimitedServer(t, backend)
			change := func(token, old string) response {
				return call(t, srv, http.MethodPost, "/api/auth/change-password/", token,
					map[string]string{"old_password": old, "new_password": otherPassword})
			}

			t.Run("wrong old passwords use up the allowance", func(t *testing.T) {
				owner, _ := register(t, srv)
				for i := range loginFailures {
					r := change(owner.Access, "Not-The-Password-"+strconv.Itoa(i))
					wantValidation(t, r, map[string][]string{"old_password": {msgWrongPassword}})
				}
				// The right old password is refused before it is checked, and so is a login.
				wantThrottled(t, change(owner.Access, goodPassword))
				wantThrottled(t, tryLogin(t, srv, owner.Username, goodPassword))
				// Nothing changed: the password is still the old one, the session still works.
				wantTokenWorks(t, srv, owner.Access)
			})
			t.Run("login failures and wrong old passwords share one allowance", func(t *testing.T) {
				owner, _ := register(t, srv)
				for range loginFailures / 2 {
					wantUnauthorized(t, tryLogin(t, srv, owner.Email, otherPassword), msgBadLogin)
				}
				for range loginFailures - loginFailures/2 {
					wantValidation(t, change(owner.Access, "Not-The-Password-9"), map[string][]string{"old_password": {msgWrongPassword}})
				}
				wantThrottled(t, change(owner.Access, goodPassword))
			})
			t.Run("a right old password does not count", func(t *testing.T) {
				owner, _ := register(t, srv)
				for range loginFailures - 1 {
					wantUnauthorized(t, tryLogin(t, srv, owner.Username, otherPassword), msgBadLogin)
				}
				wantNoContent(t, change(owner.Access, goodPassword))
				login(t, srv, owner.Username, otherPassword)
				// The tenth failure is still allowed; the eleventh is not.
				wantUnauthorized(t, tryLogin(t, srv, owner.Username, goodPassword), msgBadLogin)
				wantThrottled(t, tryLogin(t, srv, owner.Username, otherPassword))
			})
		})
	}
}
