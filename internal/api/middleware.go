package api

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/cache"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/google/uuid"
)

// MaxBodyBytes is the largest JSON request body accepted (uploads aside).
const MaxBodyBytes = 1 << 20

// validRequestID accepts the ids a client or proxy may pass in X-Request-ID: short and made of
// characters that cannot break a log line or a header.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// begin starts a request: it attaches the RequestInfo (id, client IP, scheme, original path)
// and echoes the request id.
func (a *API) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = uuid.Must(uuid.NewV7()).String()
		}
		info := &RequestInfo{
			ID:       id,
			Path:     r.URL.Path,
			Scheme:   a.proxies.scheme(r),
			ClientIP: a.proxies.clientIP(r),
		}
		w.Header().Set("X-Request-ID", id)
		// The memo keeps versions read ahead by authentication for the response cache.
		next.ServeHTTP(w, r.WithContext(withInfo(cache.WithMemo(r.Context()), info)))
	})
}

// observe writes the request log line and the request metrics once the response is done, and
// turns a panic into a 500 envelope (the stack goes to the log only).
func (a *API) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err := fault.Wrap(fault.Internal, MsgInternal, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
				if !rec.written() {
					WriteError(rec, r, err)
				} else {
					Info(r.Context()).setErr(err)
				}
			}
			a.logRequest(r, rec, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
		if !rec.written() {
			rec.WriteHeader(http.StatusOK)
		}
	})
}

// logRequest writes the one line per request and feeds the metrics.
func (a *API) logRequest(r *http.Request, rec *recorder, took time.Duration) {
	info := Info(r.Context())
	route := info.Route()
	if route == "" {
		route = "unmatched"
	}
	if a.metrics != nil {
		a.metrics.observe(r.Method, route, rec.status, took)
	}
	user, firm := info.Actor()
	level := slog.LevelInfo
	attrs := []slog.Attr{
		slog.String("request_id", info.ID),
		slog.String("method", r.Method),
		slog.String("path", info.Path),
		slog.String("route", route),
		slog.Int("status", rec.status),
		slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		slog.Int64("bytes", rec.bytes),
		slog.String("user", user),
		slog.String("firm", firm),
		slog.String("client_ip", info.ClientIP),
	}
	if err := info.Err(); err != nil && (rec.status >= 500 || a.opts.Debug) {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if rec.status >= 500 {
		level = slog.LevelError
	}
	if rec.status == http.StatusForbidden {
		a.opts.Logs.Security.Warn("permission denied", "event", "forbidden", "request_id", info.ID,
			"method", r.Method, "path", info.Path, "user", user, "firm", firm, "client_ip", info.ClientIP)
	}
	a.opts.Logs.App.LogAttrs(r.Context(), level, "request", attrs...)
}

// apiCSP locks JSON responses down completely: nothing in them is meant to run or load.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// headers sets the security headers of SPEC §10 on every response.
func (a *API) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", apiCSP)
		if a.opts.Production {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")
		}
		next.ServeHTTP(w, r)
	})
}

// probePaths are answered whatever the Host and scheme, so that load balancers and
// orchestrators can reach them by IP over plain HTTP; they reveal nothing.
func probePath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	return p == "/healthz" || p == "/readyz"
}

// hosts refuses requests whose Host is not in ALLOWED_HOSTS (DNS rebinding, cache poisoning).
func (a *API) hosts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.hostAllowed(r.Host) && !probePath(r.URL.Path) {
			WriteError(w, r, fault.New(fault.BadRequest, "Invalid Host header."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed matches a Host header (with or without port) against ALLOWED_HOSTS; an entry
// ".example.com" allows example.com and its subdomains.
func (a *API) hostAllowed(hostport string) bool {
	host := strings.ToLower(hostport)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return false
	}
	for _, allowed := range a.opts.AllowedHosts {
		allowed = strings.ToLower(strings.Trim(allowed, "[]"))
		if host == allowed ||
			strings.HasPrefix(allowed, ".") && (host == allowed[1:] || strings.HasSuffix(host, allowed)) {
			return true
		}
	}
	return false
}

// httpsOnly redirects plain-HTTP requests to HTTPS in production mode. GET and HEAD get a 301;
// other methods a 308, which keeps the method and body.
func (a *API) httpsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.opts.Production || Info(r.Context()).Scheme == "https" || probePath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		status := http.StatusPermanentRedirect
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			status = http.StatusMovedPermanently
		}
		http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), status)
	})
}

// bodyLimits answers 413 for bodies over MaxBodyBytes and 415 for a body that is not JSON on an
// API route (uploads have their own limit, see upload.go). A body whose length is not announced is cut off at the limit while it is read.
func (a *API) bodyLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if maxFile, ok := a.uploadRoute(r); ok {
			a.limitUpload(w, r, maxFile, next)
			return
		}
		if r.ContentLength > MaxBodyBytes {
			WriteError(w, r, fault.New(fault.TooLarge, msgTooLarge))
			return
		}
		hasBody := r.ContentLength > 0 || r.ContentLength == -1 && len(r.TransferEncoding) > 0
		if hasBody && strings.HasPrefix(r.URL.Path, "/api/") && !isJSON(r.Header.Get("Content-Type")) {
			WriteError(w, r, fault.New(fault.UnsupportedMedia,
				fmt.Sprintf("Unsupported media type %q in request; send application/json.", r.Header.Get("Content-Type"))))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

const msgTooLarge = "Request body is larger than 1 MiB."

// MaxHeaderBytes bounds the request line and headers the API accepts; larger requests are
// answered 431 in the envelope. The HTTP server's own cap (app.NewServer) is set higher: what
// it refuses itself it answers in plain text, before any handler runs.
const MaxHeaderBytes = 64 << 10

// MsgHeadersTooLarge answers a request whose headers are over MaxHeaderBytes.
const MsgHeadersTooLarge = "Request headers are larger than 64 KiB."

// headerLimit answers 431 for a request whose request line and headers are over MaxHeaderBytes,
// counted as they are sent ("Name: value\r\n").
func headerLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host)
		for name, values := range r.Header {
			for _, v := range values {
				n += len(name) + len(v) + 4
			}
		}
		if n > MaxHeaderBytes {
			WriteError(w, r, fault.New(fault.HeadersTooLarge, MsgHeadersTooLarge))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isJSON accepts application/json and the application/*+json family (merge-patch and friends).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}
