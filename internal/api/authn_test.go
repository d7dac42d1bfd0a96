package api_test

import (
	"strings"
	"testing"
)

func TestBearerAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	tests := []struct {
		name   string
		header []string
		status int
		typ    string
	}{
		{"no credentials", nil, 401, "NotAuthenticated"},
		{"wrong scheme", []string{"Authorization", "Basic YWRhOnB3"}, 401, "AuthenticationFailed"},
		{"empty bearer", []string{"Authorization", "Bearer "}, 401, "AuthenticationFailed"},
		{"bad token", []string{"Authorization", "Bearer forged"}, 401, "AuthenticationFailed"},
		{"good token", []string{"Authorization", "Bearer good-token"}, 200, ""},
		{"scheme is case-insensitive", []string{"Authorization", "bearer good-token"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do("GET", "/api/whoami/", nil, tt.header...)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.status == 200 {
				var out struct{ Caller string }
				res.decode(t, &out)
				if out.Caller != "ada" {
					t.Fatalf("caller = %q", out.Caller)
				}
				return
			}
			p := res.envelope(t)
			if p.Type != tt.typ || p.Code != "UNAUTHORIZED" {
				t.Errorf("type/code = %s/%s, want %s/UNAUTHORIZED", p.Type, p.Code, tt.typ)
			}
			if res.header.Get("WWW-Authenticate") != `Bearer realm="api"` {
				t.Errorf("WWW-Authenticate = %q", res.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestTokenInQueryStringIsIgnored(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for _, q := range []string{"?access_token=good-token", "?token=good-token", "?authorization=Bearer%20good-token"} {
		if res := e.do("GET", "/api/whoami/"+q, nil); res.status != 401 {
			t.Errorf("%s: status %d, want 401", q, res.status)
		}
	}
}

func TestRefusedTokensAndActorsAreLogged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	res := e.do("GET", "/api/whoami/", nil, "Authorization", "Bearer forged-secret-token")
	logs := e.logBuf.String()
	if !strings.Contains(logs, `"event":"token_refused"`) || !strings.Contains(logs, res.header.Get("X-Request-ID")) {
		t.Errorf("no token_refused security line for the request:\n%s", logs)
	}
	if strings.Contains(logs, "forged-secret-token") {
		t.Error("the presented token was written to the log")
	}
	ok := e.do("GET", "/api/whoami/", nil, "Authorization", "Bearer good-token")
	line := requestLine(t, e, ok.header.Get("X-Request-ID"))
	if line["user"] != "ada" || line["firm"] != "firm-1" {
		t.Errorf("request line user/firm = %v/%v", line["user"], line["firm"])
	}
}
