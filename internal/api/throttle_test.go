package api_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
)

func throttle(rates map[api.Scope]string) *api.Throttle {
	t := &api.Throttle{Limiter: ratelimit.NewMemory(time.Now), Rates: map[api.Scope]ratelimit.Rate{}}
	for s, v := range rates {
		r, err := ratelimit.ParseRate(v)
		if err != nil {
			panic(err)
		}
		t.Rates[s] = r
	}
	return t
}

func TestPaymentScopeIsTheTightest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{throttle: throttle(map[api.Scope]string{
		api.Burst: "100/min", api.Sustained: "1000/hour", api.Anon: "50/hour", api.Payment: "3/min"})})
	for i := 1; i <= 3; i++ {
		res := e.do("POST", "/api/pay/", nil)
		if res.status != 204 || res.header.Get("X-RateLimit-Limit") != "3" {
			t.Fatalf("payment %d: %d, limit %q", i, res.status, res.header.Get("X-RateLimit-Limit"))
		}
	}
	res := e.do("POST", "/api/pay/", nil)
	if res.status != 429 || res.header.Get("Retry-After") == "" {
		t.Fatalf("4th payment: %d %v", res.status, res.header)
	}
	if p := res.envelope(t); p.Type != "Throttled" || !strings.HasPrefix(p.Message, "Request was throttled. Expected available in ") {
		t.Fatalf("envelope = %+v", p)
	}
	// Other operations keep their own, larger budgets.
	if res := e.do("GET", "/api/widgets/", nil); res.status != 200 || res.header.Get("X-RateLimit-Limit") != "50" {
		t.Fatalf("list after payments: %d, limit %q (anon 50 is now the tightest)", res.status, res.header.Get("X-RateLimit-Limit"))
	}
	if !strings.Contains(e.logBuf.String(), `"event":"throttled"`) {
		t.Error("throttling is not in the security log")
	}
}

func TestThrottleKeysByUserThenClientIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{
		proxies:  []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		throttle: throttle(map[api.Scope]string{api.Burst: "2/min", api.Anon: "1000/hour"}),
	})
	// Behind the trusted proxy, each client IP has its own budget.
	for _, ip := range []string{"198.51.100.1", "198.51.100.2"} {
		for i := 0; i < 2; i++ {
			if res := e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", ip); res.status != 200 {
				t.Fatalf("%s request %d: %d", ip, i+1, res.status)
			}
		}
		if res := e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", ip); res.status != 429 {
			t.Fatalf("%s 3rd request: %d", ip, res.status)
		}
	}
	// An authenticated caller is limited as a user, whatever their IP.
	for i := 0; i < 2; i++ {
		if res := e.do("GET", "/api/whoami/", nil, "Authorization", "Bearer good-token", "X-Forwarded-For", "198.51.100.1"); res.status != 200 {
			t.Fatalf("user request %d: %d", i+1, res.status)
		}
	}
	if res := e.do("GET", "/api/whoami/", nil, "Authorization", "Bearer good-token", "X-Forwarded-For", "198.51.100.9"); res.status != 429 {
		t.Fatalf("user's 3rd request from another IP: %d", res.status)
	}
}

func TestForgedForwardedForDoesNotEscapeLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{throttle: throttle(map[api.Scope]string{api.Burst: "2/min", api.Anon: "1000/hour"})})
	e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", "203.0.113.1")
	e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", "203.0.113.2")
	if res := e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", "203.0.113.3"); res.status != 429 {
		t.Fatalf("an untrusted peer changed its key with X-Forwarded-For: %d", res.status)
	}
}
