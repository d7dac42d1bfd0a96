package api_test

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
)

func TestCanonicalPath(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/api/v1/crm/clients/":      "/api/v1/crm/clients",
		"/api/v1/crm/clients":       "/api/v1/crm/clients",
		"/api/crm/clients/":         "/api/v1/crm/clients",
		"/api/crm/clients":          "/api/v1/crm/clients",
		"/api/crm/clients/abc/":     "/api/v1/crm/clients/abc",
		"/api/auth/login/":          "/api/v1/auth/login",
		"/api/":                     "/api/v1",
		"/api":                      "/api/v1",
		"/api/v2/crm/clients/":      "/api/v2/crm/clients", // another version is left alone
		"/api/version/":             "/api/v1/version",     // not a version segment
		"/api/schema/":              "/api/schema",
		"/api/docs/":                "/api/docs",
		"/api/docs/assets/x.js":     "/api/docs/assets/x.js",
		"/api/redoc":                "/api/redoc",
		"/api/schemas/":             "/api/v1/schemas", // only the exact unversioned names
		"/healthz/":                 "/healthz",
		"/webhooks/stripe/":         "/webhooks/stripe",
		"/":                         "/",
		"":                          "/",
		"//api//crm/clients/":       "/api/v1/crm/clients",
		"/api/crm/../../etc/passwd": "/etc/passwd", // cleaned before matching, never served
		"/api/v1/crm/./clients/":    "/api/v1/crm/clients",
		"/apiary/":                  "/apiary",
	}
	for in, want := range tests {
		if got := api.CanonicalPath(in); got != want {
			t.Errorf("CanonicalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEveryPathFormServesDirectly: the canonical path, the alias and both slash forms reach the
// same handler without a redirect, POST included.
func TestEveryPathFormServesDirectly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for _, p := range []string{"/api/v1/widgets/", "/api/v1/widgets", "/api/widgets/", "/api/widgets"} {
		res := e.do("POST", p, map[string]any{"name": "via " + p})
		if res.status != 201 {
			t.Fatalf("POST %s: %d %s", p, res.status, res.body)
		}
		var w widgetOut
		res.decode(t, &w)
		if loc := res.header.Get("Location"); loc != "/api/v1/widgets/"+w.ID+"/" {
			t.Errorf("Location = %q", loc)
		}
		for _, g := range []string{"/api/v1/widgets/" + w.ID + "/", "/api/widgets/" + w.ID} {
			if res := e.do("GET", g, nil); res.status != 200 {
				t.Fatalf("GET %s: %d", g, res.status)
			}
		}
	}
	if p := e.list("/api/widgets"); p.Count != 4 {
		t.Fatalf("count = %d, want 4", p.Count)
	}
}
