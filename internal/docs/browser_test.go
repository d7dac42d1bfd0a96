package docs_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/docs"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// testSchema is a small OpenAPI 3.1 document with two operations.
const testSchema = `{
  "openapi": "3.1.0",
  "info": {"title": "Widgets", "version": "1.0.0"},
  "paths": {
    "/widgets": {
      "get": {
        "operationId": "listWidgets",
        "summary": "List widgets",
        "responses": {"200": {"description": "The widgets."}}
      },
      "post": {
        "operationId": "createWidget",
        "summary": "Create widget",
        "requestBody": {
          "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["name"]
          }}}
        },
        "responses": {"201": {"description": "The new widget."}}
      }
    }
  }
}`

// TestPagesRenderInBrowser loads both pages in headless Chromium, with the
// CSP on every response, and checks that the operations were rendered.
// testkit.RenderDOM fails the test if a page tries to reach another host.
func TestPagesRenderInBrowser(t *testing.T) {
	mux := http.NewServeMux()
	const testSchemaURL = "/api/schema/"
	pages := docs.Handler(testSchemaURL)
	mux.Handle("/api/docs", pages)
	mux.Handle("/api/docs/", pages)
	mux.Handle("/api/redoc", pages)
	mux.Handle("/api/redoc/", pages)
	mux.HandleFunc("GET "+testSchemaURL, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", docs.CSP)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(testSchema))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, path := range []string{"/api/docs/", "/api/redoc/"} {
		t.Run(path, func(t *testing.T) {
			dom := testkit.RenderDOM(t, srv.URL+path)
			for _, want := range []string{"List widgets", "Create widget"} {
				if !strings.Contains(dom, want) {
					t.Errorf("rendered page lacks operation %q", want)
				}
			}
			if t.Failed() {
				t.Logf("DOM:\n%s", dom)
			}
		})
	}
}
