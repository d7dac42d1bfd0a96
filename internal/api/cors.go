package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
)

// CORS values for allowed origins. Credentials are not allowed: the API authenticates with
// bearer tokens, never cookies, so an allowed origin gets no ambient authority.
const (
	corsMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
	corsHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-ID"
	corsExpose  = "X-Request-ID, Location, Retry-After, Idempotent-Replayed, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
	corsMaxAge  = "600"
)

// MsgOriginNotAllowed answers a preflight from an origin outside CORS_ALLOWED_ORIGINS.
const MsgOriginNotAllowed = "Cross-origin requests from this origin are not allowed."

// cors answers preflights and marks responses for origins in CORS_ALLOWED_ORIGINS. Other
// origins get no CORS headers at all, so browsers refuse them; "*" and "null" are never allowed
// (config refuses them). A preflight from another origin is answered 403 in the envelope, which
// names the setting, rather than the 405 the router would give an OPTIONS request.
func (a *API) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := w.Header()
		h.Add("Vary", "Origin")
		preflight := r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
		if origin == "" || !slices.Contains(a.opts.CORSOrigins, origin) {
			if preflight {
				WriteError(w, r, &fault.Error{Kind: fault.Forbidden, Message: MsgOriginNotAllowed,
					Details: map[string][]string{"Origin": {"Not in CORS_ALLOWED_ORIGINS."}}})
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", corsExpose)
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", corsMethods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// normalizeOrigins lower-cases scheme and host and drops trailing slashes so that configured
// origins compare equal to what browsers send.
func normalizeOrigins(in []string) []string {
	out := make([]string, 0, len(in))
	for _, o := range in {
		out = append(out, strings.ToLower(strings.TrimSuffix(o, "/")))
	}
	return out
}
