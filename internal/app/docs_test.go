package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/docs"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// localRef finds the same-origin URLs a page loads (scripts, stylesheets).
var localRef = regexp.MustCompile(`(?:src|href)="(/[^"]*)"`)

// TestDocsPages fetches the two documentation pages, with and without the trailing slash,
// through the whole server: 200 HTML straight away, the docs CSP instead of the API's, and
// every asset they load served from the binary.
func TestDocsPages(t *testing.T) {
	t.Parallel()
	if docs.CSP == apiCSP {
		t.Fatal("docs.CSP is the API's policy; the pages need their own")
	}
	srv := testkit.StartServer(t, nil, nil)
	cases := []struct{ path, title string }{
		{"/api/docs/", "Swagger UI"},
		{"/api/docs", "Swagger UI"},
		{"/api/redoc/", "ReDoc"},
		{"/api/redoc", "ReDoc"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv, c.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d (Location %q), want 200 without a redirect", resp.StatusCode, resp.Header.Get("Location"))
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q, want text/html; charset=utf-8", ct)
			}
			checkDocsHeaders(t, resp)
			page := string(body)
			if !strings.HasPrefix(strings.ToLower(page), "<!doctype html>") {
				t.Errorf("not an HTML page:\n%.200s", page)
			}
			if !strings.Contains(page, "<title>ConsultantPro API — "+c.title+"</title>") {
				t.Errorf("page is not the %s page:\n%s", c.title, page)
			}
			if !strings.Contains(page, `data-schema-url="/api/schema/"`) {
				t.Errorf("page does not read the schema from /api/schema/:\n%s", page)
			}
			if strings.Contains(page, "<script>") || strings.Contains(page, "http://") || strings.Contains(page, "https://") {
				t.Errorf("page has an inline script or an absolute URL; the CSP allows neither:\n%s", page)
			}
			refs := localRef.FindAllStringSubmatch(page, -1)
			if len(refs) < 2 {
				t.Fatalf("page loads %d local assets, want its script and stylesheet:\n%s", len(refs), page)
			}
			for _, ref := range refs {
				checkAsset(t, srv, ref[1])
			}
		})
	}
}

// checkAsset fetches one asset a page loads: 200, the type its extension says, the docs CSP.
func checkAsset(t *testing.T, srv *testkit.Server, path string) {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Errorf("GET %s: status %d, %d bytes; want 200 with a body", path, resp.StatusCode, len(body))
		return
	}
	ct := resp.Header.Get("Content-Type")
	switch {
	case strings.HasSuffix(path, ".js") && !strings.Contains(ct, "javascript"):
		t.Errorf("GET %s: Content-Type %q, want JavaScript", path, ct)
	case strings.HasSuffix(path, ".css") && !strings.HasPrefix(ct, "text/css"):
		t.Errorf("GET %s: Content-Type %q, want text/css", path, ct)
	}
	checkDocsHeaders(t, resp)
}

// TestDocsPagesRenderInBrowser loads both pages in headless Chromium from the real server,
// which serves the real OpenAPI document, and checks that the documented operations appear.
// RenderDOM fails the test if a page reaches for any host but the test server.
//
// Swagger UI renders only the operations near the viewport, and the health operations'
// tag comes late in a long document, so its page is opened on the deep link to them.
func TestDocsPagesRenderInBrowser(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	for _, path := range []string{"/api/docs/#/Operations/healthz", "/api/redoc/"} {
		t.Run(path, func(t *testing.T) {
			dom := testkit.RenderDOM(t, srv.URL+path)
			for _, summary := range []string{"Liveness", "Readiness"} {
				if !strings.Contains(dom, summary) {
					t.Errorf("rendered page lacks the operation %q", summary)
				}
			}
			if t.Failed() {
				t.Logf("DOM:\n%s", dom)
			}
		})
	}
}
