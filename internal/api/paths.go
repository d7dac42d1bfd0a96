package api

import (
	"net/http"
	"net/url"

	"github.com/consultantpro/consultantpro/internal/fault"
	"path"
	"strings"
)

// Version is the current API version; /api/<module>/… is an alias of /api/<Version>/<module>/….
const Version = "v1"

// Prefix is the canonical prefix of every versioned route.
const Prefix = "/api/" + Version

// unversioned are the /api/ paths that are not part of a versioned API.
var unversioned = []string{"/api/schema", "/api/docs", "/api/redoc"}

// CanonicalPath maps a request path to the form routes are registered under: cleaned, without a
// trailing slash, and with the /api alias resolved to the current version. Both slash forms and
// both prefixes therefore reach the same handler directly, without a redirect (a 301 would turn
// a POST into a GET in many clients).
func CanonicalPath(p string) string {
	if p == "" {
		return "/"
	}
	p = path.Clean(p) // also drops the trailing slash
	if p != "/api" && !strings.HasPrefix(p, "/api/") {
		return p
	}
	if isVersioned(p) {
		return p
	}
	for _, u := range unversioned {
		if p == u || strings.HasPrefix(p, u+"/") {
			return p
		}
	}
	return Prefix + strings.TrimPrefix(p, "/api")
}

// isVersioned reports whether p starts with /api/v<digits>.
func isVersioned(p string) bool {
	rest, ok := strings.CutPrefix(p, "/api/v")
	if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' {
		return false
	}
	seg, _, _ := strings.Cut(rest, "/")
	for _, c := range seg {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// routePattern turns a documented route ("/api/v1/crm/clients/{id}/") into its mux path
// ("/api/v1/crm/clients/{id}"): routes are matched in their canonical, slash-less form.
func routePattern(documented string) string {
	if documented != "/" {
		return strings.TrimSuffix(documented, "/")
	}
	return documented
}

// normalizePaths rewrites the request path to its canonical form before routing. Some paths
// name no route and no object and are answered 404 before they reach a handler, whatever the
// route: one holding a control character or invalid UTF-8 (percent-encoded), and one that
// would reach another route only once cleaned (see traverses).
func normalizePaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if textProblem(r.URL.Path) != "" || traverses(r.URL) {
			WriteError(w, r, fault.New(fault.NotFound, MsgNotFound))
			return
		}
		if p := CanonicalPath(r.URL.Path); p != r.URL.Path {
			r2 := new(http.Request)
			*r2 = *r
			u := *r.URL
			u.Path, u.RawPath = p, ""
			r2.URL = &u
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// traverses reports a path with an encoded slash (%2F) or a dot segment ("." or "..", sent as
// is or percent-encoded). Cleaning happens after percent-decoding, so such a path could climb
// out of the route it names: /api/v1/crm/clients/..%2f..%2ffirm/ would be served as
// /api/v1/firm. Clients resolve dot segments before sending (RFC 3986 §5.2.4) and no id holds a
// slash, so no well-formed request is refused.
func traverses(u *url.URL) bool {
	if strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		return true
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}
