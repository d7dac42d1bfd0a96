package api

import (
	"net/http"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Router is the standard library mux behind the API, with two differences: routes are matched
// on canonical paths (see CanonicalPath), and unknown routes and wrong methods are answered with
// the error envelope (404, and 405 with Allow) instead of plain text. It is also huma's adapter.
type Router struct {
	mux *http.ServeMux
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Handle registers a plain handler for "METHOD /path" (GET also answers HEAD).
func (rt *Router) Handle(pattern string, h http.Handler) {
	method, p, _ := strings.Cut(pattern, " ")
	rt.mux.Handle(method+" "+routePattern(p), h)
}

// handleOperation serves a huma operation: one documented as "/api/v1/x/{id}/" is served at the
// canonical "/api/v1/x/{id}".
func (rt *Router) handleOperation(op *huma.Operation, handler func(huma.Context)) {
	rt.mux.HandleFunc(strings.ToUpper(op.Method)+" "+routePattern(op.Path), func(w http.ResponseWriter, r *http.Request) {
		handler(humago.NewContext(op, r, w))
	})
}

// ServeHTTP routes the request, recording the matched route template for logs and metrics.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.mux.Handler(r)
	if pattern == "" {
		// No route matched: let the mux decide between 404 and 405 (it computes Allow), then
		// answer in the envelope.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			WriteError(w, r, fault.New(fault.MethodNotAllowed, MsgMethodNotAllowed))
			return
		}
		WriteError(w, r, fault.New(fault.NotFound, MsgNotFound))
		return
	}
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	Info(r.Context()).setRoute(pattern)
	rt.mux.ServeHTTP(w, r)
}

// statusProbe captures what the mux would answer for an unmatched request.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(status int)      { p.status = status }

// adapter exposes the router to huma.
type adapter struct{ rt *Router }

func (a adapter) Handle(op *huma.Operation, handler func(huma.Context)) {
	a.rt.handleOperation(op, handler)
}

func (a adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.rt.ServeHTTP(w, r) }
