package api

import (
	"encoding/json"
	"net/http"

	"github.com/consultantpro/consultantpro/internal/docs"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// routeDocs serves the OpenAPI document and the two documentation pages.
func (a *API) routeDocs() {
	a.Router.Handle("GET "+SchemaPath, http.HandlerFunc(a.serveSchema))
	pages := withCSP(docs.Handler(SchemaPath), docs.CSP)
	a.Router.Handle("GET /api/docs", pages)
	a.Router.Handle("GET /api/redoc", pages)
	a.Router.Handle("GET /api/docs/assets/{file}", pages)
}

// serveSchema writes the OpenAPI 3.1 document, as JSON or with ?format=yaml as YAML.
func (a *API) serveSchema(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("format") {
	case "", "json", "openapi":
		b, err := json.MarshalIndent(a.Huma.OpenAPI(), "", "  ")
		if err != nil {
			WriteError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", jsonContentType)
		_, _ = w.Write(b)
	case "yaml":
		b, err := a.Huma.OpenAPI().YAML()
		if err != nil {
			WriteError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		_, _ = w.Write(b)
	default:
		err := fault.Field("format", `Must be "json" or "yaml".`).WithKind(fault.BadRequest)
		err.Message = MsgBadParameter
		WriteError(w, r, err)
	}
}

// withCSP replaces the API's locked-down policy with the one the documentation pages need.
func withCSP(h http.Handler, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		h.ServeHTTP(w, r)
	})
}
