package api_test

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	want := map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"X-Frame-Options":            "DENY",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Cache-Control":              "no-store",
	}
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/widgets/"}, {"GET", "/nope"}, {"DELETE", "/api/widgets/"}, {"GET", "/api/v1/explode/"},
		{"GET", "/api/schema/"}, {"GET", "/api/docs/"},
	} {
		res := e.do(r.method, r.path, nil)
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", r.method, r.path, k, got, v)
			}
		}
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s %s: CSP = %q", r.method, r.path, csp)
		}
		if res.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s %s: HSTS outside production", r.method, r.path)
		}
	}
	if csp := e.do("GET", "/api/widgets/", nil).header.Get("Content-Security-Policy"); strings.Contains(csp, "script-src") {
		t.Errorf("API responses must not allow scripts: %q", csp)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	if got := e.do("GET", "/api/widgets/", nil, "X-Request-ID", "req-42.a:b_c").header.Get("X-Request-ID"); got != "req-42.a:b_c" {
		t.Errorf("valid incoming id not echoed: %q", got)
	}
	for _, bad := range []string{"has space", strings.Repeat("x", 129), `quote"`} {
		got := e.do("GET", "/api/widgets/", nil, "X-Request-ID", bad).header.Get("X-Request-ID")
		if got == bad || len(got) != 36 {
			t.Errorf("invalid id %q replaced by %q, want a fresh UUID", bad, got)
		}
	}
	a := e.do("GET", "/api/widgets/", nil).header.Get("X-Request-ID")
	b := e.do("GET", "/api/widgets/", nil).header.Get("X-Request-ID")
	if a == "" || a == b {
		t.Errorf("generated ids must be unique: %q %q", a, b)
	}
}

func TestAllowedHosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{hosts: []string{"api.firm.example", ".tenant.example", "[::1]", "127.0.0.1"}})
	tests := []struct {
		host string
		ok   bool
	}{
		{"api.firm.example", true},
		{"API.FIRM.EXAMPLE:8443", true},
		{"api.firm.example.", true},
		{"tenant.example", true},
		{"a.tenant.example", true},
		{"eviltenant.example", false},
		{"firm.example", false},
		{"[::1]:8000", true},
		{"127.0.0.1:1234", true},
		{"evil.example", false},
		{"api.firm.example.evil.example", false},
	}
	for _, tt := range tests {
		res := e.do("GET", "/api/widgets/", nil, "Host", tt.host)
		if ok := res.status == 200; ok != tt.ok {
			t.Errorf("Host %q: status %d, want allowed=%v", tt.host, res.status, tt.ok)
		}
	}
}

func TestProductionRedirectsToHTTPSAndSendsHSTS(t *testing.T) {
	t.Parallel()
	proxy := netip.MustParsePrefix("127.0.0.1/32")
	e := newEnv(t, envOptions{production: true, hosts: []string{"api.firm.example"}, proxies: []netip.Prefix{proxy}})
	res := e.do("GET", "/api/widgets/?page=1", nil, "Host", "api.firm.example")
	if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "https://api.firm.example/api/widgets/?page=1" {
		t.Fatalf("GET over HTTP: %d Location %q", res.status, res.header.Get("Location"))
	}
	if hsts := res.header.Get("Strict-Transport-Security"); hsts != "max-age=31536000; includeSubDomains; preload" {
		t.Errorf("HSTS = %q", hsts)
	}
	res = e.do("POST", "/api/widgets/", map[string]any{"name": "x"}, "Host", "api.firm.example")
	if res.status != http.StatusPermanentRedirect {
		t.Errorf("POST over HTTP: %d, want 308 (keeps method and body)", res.status)
	}
	// Behind a trusted proxy that terminated TLS, the request is served.
	res = e.do("GET", "/api/widgets/", nil, "Host", "api.firm.example", "X-Forwarded-Proto", "https")
	if res.status != 200 {
		t.Errorf("via trusted TLS proxy: %d", res.status)
	}
	// Probes are answered over HTTP.
	if res := e.do("GET", "/healthz", nil, "Host", "10.0.0.5"); res.status == http.StatusMovedPermanently {
		t.Error("probe redirected")
	}
}

func TestForwardedProtoIgnoredFromUntrustedPeer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{production: true, hosts: []string{"api.firm.example"}})
	res := e.do("GET", "/api/widgets/", nil, "Host", "api.firm.example", "X-Forwarded-Proto", "https")
	if res.status != http.StatusMovedPermanently {
		t.Fatalf("untrusted X-Forwarded-Proto was believed: %d", res.status)
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{corsOrigins: []string{"https://app.firm.example/"}})
	res := e.do("GET", "/api/widgets/", nil, "Origin", "https://app.firm.example")
	if res.header.Get("Access-Control-Allow-Origin") != "https://app.firm.example" {
		t.Errorf("allowed origin: ACAO = %q", res.header.Get("Access-Control-Allow-Origin"))
	}
	if !strings.Contains(res.header.Get("Access-Control-Expose-Headers"), "X-Request-ID") {
		t.Error("X-Request-ID is not exposed to browsers")
	}
	if res.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Error("credentials must not be allowed")
	}
	for _, origin := range []string{"https://evil.example", "null", "https://app.firm.example.evil.example"} {
		res := e.do("GET", "/api/widgets/", nil, "Origin", origin)
		if v := res.header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("origin %q got ACAO %q", origin, v)
		}
	}
	pre := e.do("OPTIONS", "/api/widgets/", nil, "Origin", "https://app.firm.example",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
	if pre.status != http.StatusNoContent || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
	bad := e.do("OPTIONS", "/api/widgets/", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if bad.header.Get("Access-Control-Allow-Origin") != "" || bad.status == http.StatusNoContent {
		t.Errorf("preflight from a foreign origin: %d %v", bad.status, bad.header)
	}
}

// requestLine finds the request log line with the given request id.
func requestLine(t *testing.T, e *env, id string) map[string]any {
	t.Helper()
	for _, l := range strings.Split(e.logBuf.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "request" && m["request_id"] == id {
			return m
		}
	}
	t.Fatalf("no request line for %s in:\n%s", id, e.logBuf.String())
	return nil
}

func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	res := e.do("GET", "/api/widgets/?search=x", nil, "X-Forwarded-For", "198.51.100.7, 203.0.113.9")
	line := requestLine(t, e, res.header.Get("X-Request-ID"))
	want := map[string]any{
		"method": "GET", "path": "/api/widgets/", "route": "/api/v1/widgets", "status": float64(200),
		"client_ip": "203.0.113.9", // the right-most address the trusted proxy saw
		"user":      "", "firm": "",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("duration_ms missing: %v", line)
	}
	if line["level"] != "INFO" {
		t.Errorf("level = %v", line["level"])
	}
}

func TestForwardedForIgnoredFromUntrustedPeer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	res := e.do("GET", "/api/widgets/", nil, "X-Forwarded-For", "198.51.100.7")
	if ip := requestLine(t, e, res.header.Get("X-Request-ID"))["client_ip"]; ip != "127.0.0.1" {
		t.Fatalf("client_ip = %v, want the peer 127.0.0.1", ip)
	}
}
