package api

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/danielgtaylor/huma/v2"
)

// Options configures the HTTP platform.
type Options struct {
	Version        string // the build's version, shown in the OpenAPI document
	Logs           *logging.Logs
	Metrics        *Metrics // nil disables request metrics
	AllowedHosts   []string
	CORSOrigins    []string
	TrustedProxies []netip.Prefix
	Production     bool // HTTPS redirect and HSTS
	Debug          bool // error causes of 4xx responses in the log too
	// Authenticate admits callers of operations that are not Public; nil refuses them all.
	Authenticate Authenticator
	// Throttle limits request rates per user or client IP; nil disables rate limiting.
	Throttle *Throttle
	// Cache serves list responses again while the data is unchanged; nil disables it.
	Cache *ResponseCache
	// Idempotency stores and replays the responses of authenticated POSTs sent with an
	// Idempotency-Key; nil ignores the header.
	Idempotency *Idempotency
	// Export limits and dates the CSV and XLSX exports of lists (see ExportList).
	Export ExportOptions
	// Audit reads the audit log for the routes that show it (the resource kit's).
	Audit AuditReader
}

// AuditReader pages a firm's audit rows, one object's when resourceType is set (the database:
// db.DB.ListAudit).
type AuditReader interface {
	ListAudit(ctx context.Context, f db.Firm, resourceType, id string, q db.ListQuery) ([]db.AuditEntry, int64, error)
}

// Audit is the audit log's reader (nil when none was given).
func (a *API) Audit() AuditReader { return a.opts.Audit }

// API is the platform: the huma API that modules register operations on, the router that also
// takes plain handlers (health, metrics, docs), and the middleware around both.
type API struct {
	Huma    huma.API
	Router  *Router
	opts    Options
	metrics *Metrics
	proxies proxies
	// uploads maps the mux pattern of each Uploading operation to its largest file; written
	// while operations are registered, before the server takes requests.
	uploads map[string]int64
}

// SchemaPath is where the OpenAPI document is served.
const SchemaPath = "/api/schema/"

// New builds the platform with its documentation routes; modules then Register their operations.
func New(opts Options) *API {
	if opts.Logs == nil {
		opts.Logs = logging.Discard()
	}
	opts.CORSOrigins = normalizeOrigins(opts.CORSOrigins)
	rt := NewRouter()
	cfg := huma.DefaultConfig("ConsultantPro API", opts.Version)
	// The platform serves the schema and the docs itself (embedded assets, no CDN), and answers
	// plain JSON without $schema links.
	cfg.OpenAPIPath, cfg.DocsPath, cfg.SchemasPath = "", "", ""
	cfg.CreateHooks = nil
	// huma documents a 422 for operations with input; this API answers validation with 400.
	cfg.OnAddOperation = append(cfg.OnAddOperation, func(_ *huma.OpenAPI, op *huma.Operation) {
		delete(op.Responses, "422")
		documentReplayed(op)
	})
	cfg.Info.Description = "The quote-to-cash API of ConsultantPro. Every path is also served " +
		"under /api/ (alias of the current version), with or without the trailing slash. " +
		"Every error uses one envelope: {\"error\": {type, message, details, code, request_id}}."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
	}
	if opts.Idempotency != nil {
		documentIdempotencyComponents(cfg.Components)
	}
	a := &API{
		Huma:    huma.NewAPI(cfg, adapter{rt}),
		Router:  rt,
		opts:    opts,
		metrics: opts.Metrics,
		proxies: proxies(opts.TrustedProxies),
		uploads: map[string]int64{},
	}
	a.Huma.UseMiddleware(a.authenticate, a.throttle, a.screen)
	a.routeDocs()
	return a
}

// Handler is the whole HTTP surface: middleware around the router.
func (a *API) Handler() http.Handler {
	var h http.Handler = a.Router
	h = a.bodyLimits(h)
	h = normalizePaths(h)
	h = a.cors(h)
	h = a.httpsOnly(h)
	h = a.hosts(h)
	h = headerLimit(h)
	h = a.headers(h)
	h = a.observe(h)
	h = a.begin(h)
	return h
}

// defaultErrors are documented on every operation: each can happen on any route.
var defaultErrors = []int{
	http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
	http.StatusTooManyRequests, http.StatusInternalServerError,
}

// bodyErrors are added to operations that take a body.
var bodyErrors = []int{http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}

// Register adds one operation of a module. op.Path is relative to the version prefix
// ("/crm/clients/"); the operation is served at /api/v1/crm/clients/, /api/crm/clients/ and
// both slash-less forms. Every operation documents the error envelope for the errors any route
// can give. Operations need a bearer token unless op.Security is Public.
func Register[I, O any](a *API, op huma.Operation, handler func(context.Context, *I) (*O, error)) {
	op.Path = Prefix + op.Path
	if op.Security == nil {
		op.Security = bearer()
	}
	if !needsAuth(&op) && PolicyOf(&op) == "" {
		SetPolicy(&op, PolicyPublic)
	}
	// The bodyLimits middleware enforces the limit and answers 413 first; huma's own check
	// (which also refuses a body of exactly its limit) must never fire before it.
	op.MaxBodyBytes = MaxBodyBytes + 1
	errs := slices.Clone(op.Errors)
	errs = append(errs, defaultErrors...)
	if !needsAuth(&op) {
		errs = slices.DeleteFunc(errs, func(s int) bool { return s == http.StatusForbidden })
	}
	if op.Method == http.MethodPost || op.Method == http.MethodPut || op.Method == http.MethodPatch {
		errs = append(errs, bodyErrors...)
	}
	// Every authenticated POST takes an Idempotency-Key; the middleware runs last, after the
	// operation's policy, like the cache.
	maxFile, upload := uploadLimit(&op)
	if upload {
		a.uploads[strings.ToUpper(op.Method)+" "+routePattern(op.Path)] = maxFile
	}
	idempotent := op.Method == http.MethodPost && needsAuth(&op) && a.opts.Idempotency != nil && !upload
	if idempotent {
		errs = append(errs, http.StatusConflict)
		documentIdempotency(&op)
	}
	slices.Sort(errs)
	op.Errors = slices.Compact(errs)
	if IsCacheable(&op) && a.opts.Cache != nil {
		op.Middlewares = append(slices.Clone(op.Middlewares), a.cached)
	}
	if idempotent {
		op.Middlewares = append(slices.Clone(op.Middlewares), a.idempotent)
	}
	// huma reads (and buffers) any body its operation declares a schema for: an upload's form
	// is declared only in the document, once huma has registered the operation without it.
	form := op.RequestBody
	if upload {
		op.RequestBody = nil
	}
	huma.Register(a.Huma, op, handler)
	if upload {
		a.Huma.OpenAPI().Paths[op.Path].Post.RequestBody = form
	}
}
