package docs

import (
	"net/http"
	"strings"
)

// The paths Handler serves.
const (
	swaggerPath = "/api/docs/"
	redocPath   = "/api/redoc/"
	assetsPath  = "/api/docs/assets/"
)

// CSP is the Content-Security-Policy the two pages need (the minimum; no external origins).
//
// Styles need 'unsafe-inline' because ReDoc injects its styled-components
// styles as <style> elements (without it ReDoc fails to render), and ReDoc
// builds its search index in a worker created from a blob: URL. Everything
// else is same-origin or nothing. The CSP also keeps the pages offline: it
// blocks the one remote resource the bundles ask for, the Redocly logo in
// ReDoc's sidebar footer, before any request is made.
const CSP = "default-src 'none'; " +
	"script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; " +
	"connect-src 'self'; " +
	"worker-src blob:; " +
	"base-uri 'none'; " +
	"form-action 'none'; " +
	"frame-ancestors 'none'"

// Handler serves the Swagger UI page at /api/docs/, the ReDoc page at /api/redoc/ and their
// static assets under /api/docs/assets/, reading the OpenAPI document from schemaURL (e.g. "/api/schema/").
//
// The pages are served at /api/docs and /api/redoc too, without a redirect.
// Every response carries the [CSP] header and X-Content-Type-Options: nosniff;
// caching headers are left to the caller. Only GET and HEAD are allowed (405
// otherwise) and unknown paths get [http.NotFound]. schemaURL must be
// same-origin, as the CSP allows no other.
func Handler(schemaURL string) http.Handler {
	swagger := newPage(swaggerTemplate, schemaURL)
	redoc := newPage(redocTemplate, schemaURL)

	mux := http.NewServeMux()
	mux.Handle("GET "+swaggerPath+"{$}", swagger)
	mux.Handle("GET "+strings.TrimSuffix(swaggerPath, "/"), swagger)
	mux.Handle("GET "+redocPath+"{$}", redoc)
	mux.Handle("GET "+strings.TrimSuffix(redocPath, "/"), redoc)
	mux.HandleFunc("GET "+assetsPath+"{file}", serveAsset)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}
