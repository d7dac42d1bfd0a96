package docs

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

const testSchemaURL = "/api/schema/"

// get runs one request against Handler(testSchemaURL).
func get(t *testing.T, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	Handler(testSchemaURL).ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

// body reads the whole response body.
func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPages(t *testing.T) {
	cases := []struct {
		path, title, bundle string
	}{
		{"/api/docs/", "ConsultantPro API — Swagger UI", "swagger-ui-bundle.js"},
		{"/api/docs", "ConsultantPro API — Swagger UI", "swagger-ui-bundle.js"},
		{"/api/redoc/", "ConsultantPro API — ReDoc", "redoc.standalone.js"},
		{"/api/redoc", "ConsultantPro API — ReDoc", "redoc.standalone.js"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			res := get(t, http.MethodGet, c.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200 (no redirect)", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if csp := res.Header.Get("Content-Security-Policy"); csp != CSP {
				t.Errorf("Content-Security-Policy = %q, want CSP", csp)
			}
			html := body(t, res)
			for _, want := range []string{
				"<title>" + c.title + "</title>",
				`data-schema-url="` + testSchemaURL + `"`,
				`<script src="/api/docs/assets/` + c.bundle + `"></script>`,
			} {
				if !strings.Contains(html, want) {
					t.Errorf("page lacks %s", want)
				}
			}

			head := get(t, http.MethodHead, c.path)
			if head.StatusCode != http.StatusOK || body(t, head) != "" {
				t.Errorf("HEAD: status %d", head.StatusCode)
			}
		})
	}
}

var (
	scriptTag = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	urlAttr   = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*"([^"]*)"`)
)

// TestPagesAreSelfContained checks what keeps the pages offline and within
// the CSP: no inline script, and no URL that leaves the origin.
func TestPagesAreSelfContained(t *testing.T) {
	for _, path := range []string{"/api/docs/", "/api/redoc/"} {
		html := body(t, get(t, http.MethodGet, path))
		scripts := scriptTag.FindAllStringSubmatch(html, -1)
		if len(scripts) != 2 {
			t.Errorf("%s: %d scripts, want bundle and init script", path, len(scripts))
		}
		for _, s := range scripts {
			if strings.TrimSpace(s[2]) != "" || !strings.Contains(s[1], "src=") {
				t.Errorf("%s: inline script %q", path, s[0])
			}
		}
		if strings.Contains(html, "http://") || strings.Contains(html, "https://") {
			t.Errorf("%s: page names another origin", path)
		}
		for _, m := range urlAttr.FindAllStringSubmatch(html, -1) {
			u := m[1]
			if u != "data:," && (!strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//")) {
				t.Errorf("%s: %q is not a same-origin path", path, u)
			}
		}
	}
	for _, name := range []string{"swagger-init.js", "redoc-init.js", "docs.css"} {
		b, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "://") {
			t.Errorf("%s names a URL", name)
		}
	}
	swaggerInit, _ := assetFS.ReadFile("assets/swagger-init.js")
	if !strings.Contains(string(swaggerInit), "validatorUrl: null") {
		t.Error("swagger-init.js must turn the online validator off")
	}
}

func TestSchemaURLIsEscaped(t *testing.T) {
	rec := httptest.NewRecorder()
	Handler(`/x"><script>alert(1)</script>`).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/docs/", nil))
	if html := rec.Body.String(); strings.Contains(html, "<script>alert") {
		t.Errorf("schema URL not escaped:\n%s", html)
	}
}

func TestAssets(t *testing.T) {
	cases := map[string]string{
		"swagger-ui-bundle.js":             "text/javascript; charset=utf-8",
		"swagger-ui.css":                   "text/css; charset=utf-8",
		"swagger-init.js":                  "text/javascript; charset=utf-8",
		"redoc.standalone.js":              "text/javascript; charset=utf-8",
		"redoc-init.js":                    "text/javascript; charset=utf-8",
		"docs.css":                         "text/css; charset=utf-8",
		"LICENSE.swagger-ui":               "text/plain; charset=utf-8",
		"LICENSE.redoc":                    "text/plain; charset=utf-8",
		"redoc.standalone.js.LICENSE.txt":  "text/plain; charset=utf-8",
		"swagger-ui-bundle.js.LICENSE.txt": "text/plain; charset=utf-8",
		"VERSIONS":                         "text/plain; charset=utf-8",
	}
	for name, wantType := range cases {
		t.Run(name, func(t *testing.T) {
			res := get(t, http.MethodGet, "/api/docs/assets/"+name)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != wantType {
				t.Errorf("Content-Type = %q, want %q", ct, wantType)
			}
			if csp := res.Header.Get("Content-Security-Policy"); csp != CSP {
				t.Errorf("Content-Security-Policy = %q, want CSP", csp)
			}
			want, err := assetFS.ReadFile("assets/" + name)
			if err != nil {
				t.Fatal(err)
			}
			if got := body(t, res); len(want) == 0 || got != string(want) {
				t.Errorf("body: %d bytes, want the %d embedded", len(got), len(want))
			}
			if cc := res.Header.Get("Cache-Control"); cc != "" {
				t.Errorf("Cache-Control = %q; caching is the caller's", cc)
			}
		})
	}
}

func TestVendoredVersions(t *testing.T) {
	b, err := assetFS.ReadFile("assets/VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	versions := string(b)
	for _, want := range []string{"swagger-ui-dist 5.35.0\n", "redoc 2.5.4\n"} {
		if !strings.Contains(versions, want) {
			t.Errorf("VERSIONS lacks %q:\n%s", want, versions)
		}
	}
	err = fs.WalkDir(assetFS, "assets", func(path string, d fs.DirEntry, err error) error {
		if strings.HasSuffix(path, ".map") {
			t.Errorf("source map embedded: %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNotFound(t *testing.T) {
	for _, path := range []string{
		"/api/docs/assets/nope.js",
		"/api/docs/assets/swagger-ui-bundle.js.map",
		"/api/docs/assets/..%2Fdocs.go",
		"/api/docs/assets/",
		"/api/docs/index.html",
		"/api/redoc/x",
		"/api/docsx",
		"/",
	} {
		res := get(t, http.MethodGet, path)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, res.StatusCode)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	for _, path := range []string{"/api/docs/", "/api/redoc", "/api/docs/assets/docs.css"} {
		res := get(t, http.MethodPost, path)
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: status %d, want 405", path, res.StatusCode)
		}
	}
}

func TestCSP(t *testing.T) {
	directives := map[string]string{}
	for d := range strings.SplitSeq(CSP, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	want := map[string]string{
		"default-src":     "'none'",
		"script-src":      "'self'",
		"style-src":       "'self' 'unsafe-inline'",
		"img-src":         "'self' data:",
		"connect-src":     "'self'",
		"worker-src":      "blob:",
		"base-uri":        "'none'",
		"form-action":     "'none'",
		"frame-ancestors": "'none'",
	}
	for name, value := range want {
		if directives[name] != value {
			t.Errorf("%s = %q, want %q", name, directives[name], value)
		}
	}
	if len(directives) != len(want) {
		t.Errorf("CSP has %d directives, want %d: %s", len(directives), len(want), CSP)
	}
}
