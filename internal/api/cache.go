package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Versions tells the data version: a number that changes after every committed write (see
// db.OnChange). A response cached at one version is served again only while the version holds.
type Versions interface {
	// Current returns the version now; an error bypasses the cache for the request.
	Current(ctx context.Context) (uint64, error)
}

// ResponseCache keeps the bytes of successful responses of the operations registered as
// cacheable (Cacheable) and serves them again while the data version is unchanged.
//
// Its invariants, each with a test in cache_internal_test.go or internal/app/cache_test.go (and
// the write hook's in internal/db/changes_test.go):
//
//  1. Only operations that opted in at registration are cached, and only their 200 answers
//     to GET.
//  2. A hit runs everything a miss runs before the handler: authentication (a deactivated
//     user or a revoked session is refused), throttling, and the operation's policy for the
//     caller. The cache is the last middleware of the operation.
//  3. The key is the caller's scope (user, role and the firm's date, see RequestInfo.SetActor),
//     the canonical URL and the Accept header; the page links of a list come from the same
//     canonical URL, so two spellings of one request share one correct answer.
//  4. The version is per firm and moves after every committed write that names the firm
//     (db.WithFirm); the database's write hook is installed when it is opened, so no handle
//     writes around it. A write that names no firm changes no firm's version.
//  5. MaxAge bounds how long an answer can outlive a version bump that was lost (Redis
//     unreachable between instances); while the version cannot be read, requests bypass the
//     cache.
type ResponseCache struct {
	versions Versions
	maxBytes int
	maxAge   time.Duration
	now      func() time.Time

	mu      sync.Mutex
	entries map[string]*cachedResponse
	bytes   int
}

type cachedResponse struct {
	version uint64
	stored  time.Time
	status  int
	header  []headerCall
	body    []byte
}

// headerCall is one SetHeader (or AppendHeader, when add) made by the handler.
type headerCall struct {
	name, value string
	add         bool
}

// NewResponseCache caches responses of list operations up to maxBytes of bodies in all.
func NewResponseCache(v Versions, maxBytes int, maxAge time.Duration, now func() time.Time) *ResponseCache {
	return &ResponseCache{versions: v, maxBytes: maxBytes, maxAge: maxAge, now: now, entries: map[string]*cachedResponse{}}
}

// CacheEnabled reports whether list responses are cached.
func (a *API) CacheEnabled() bool { return a.opts.Cache != nil }

// cacheKey in an operation's metadata marks it as cacheable (see Cacheable).
const cacheKey = "consultantpro.cache"

// Cacheable opts the operation into the response cache; Register then runs the cache as its
// last middleware. Only operations whose answer depends on nothing but the caller's scope, the
// URL and the database may opt in.
func Cacheable(op *huma.Operation) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[cacheKey] = true
}

// IsCacheable reports whether the operation opted into the response cache.
func IsCacheable(op *huma.Operation) bool { return op.Metadata[cacheKey] == true }

// lookup returns the entry under key if it was stored at version and is fresh.
func (c *ResponseCache) lookup(key string, version uint64) *cachedResponse {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.version != version || c.now().Sub(e.stored) > c.maxAge {
		return nil
	}
	return e
}

// store keeps e under key; when full it first drops every entry of an older version, and it
// keeps nothing rather than grow past maxBytes.
func (c *ResponseCache) store(key string, e *cachedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
		delete(c.entries, key)
	}
	if c.bytes+len(e.body) > c.maxBytes {
		for k, old := range c.entries {
			if old.version != e.version {
				c.bytes -= len(old.body)
				delete(c.entries, k)
			}
		}
		if c.bytes+len(e.body) > c.maxBytes {
			return
		}
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// cached serves a cacheable GET operation from the ResponseCache, or runs it and keeps a 200
// answer. It is the operation's last middleware: authentication, throttling and the policy
// have run.
func (a *API) cached(ctx huma.Context, next func(huma.Context)) {
	c, info := a.opts.Cache, Info(ctx.Context())
	if c == nil || ctx.Method() != http.MethodGet {
		next(ctx)
		return
	}
	scope := info.cacheScope()
	if scope == "" {
		next(ctx)
		return
	}
	version, err := c.versions.Current(ctx.Context())
	if err != nil {
		a.metrics.countCache("bypass")
		next(ctx)
		return
	}
	u := canonicalURL(ctx)
	key := scope + "\n" + u.String() + "\n" + ctx.Header("Accept")
	if e := c.lookup(key, version); e != nil {
		a.metrics.countCache("hit")
		for _, h := range e.header {
			if h.add {
				ctx.AppendHeader(h.name, h.value)
			} else {
				ctx.SetHeader(h.name, h.value)
			}
		}
		ctx.SetStatus(e.status)
		_, _ = ctx.BodyWriter().Write(e.body)
		return
	}
	a.metrics.countCache("miss")
	rec := &copying{humaContext: ctx}
	next(rec)
	if rec.status == http.StatusOK && ctx.Context().Err() == nil {
		c.store(key, &cachedResponse{version: version, stored: c.now(), status: rec.status, header: rec.header,
			body: bytes.Clone(rec.body.Bytes())})
	}
}

// humaContext names the embedded context: a field called Context would hide its Context method.
type humaContext = huma.Context

// copying passes a response through while keeping a copy of its status, headers and body.
type copying struct {
	humaContext
	status int
	header []headerCall
	body   bytes.Buffer
}

func (r *copying) SetStatus(code int) {
	r.status = code
	r.humaContext.SetStatus(code)
}

func (r *copying) SetHeader(name, value string) {
	r.header = append(r.header, headerCall{name: name, value: value})
	r.humaContext.SetHeader(name, value)
}

func (r *copying) AppendHeader(name, value string) {
	r.header = append(r.header, headerCall{name: name, value: value, add: true})
	r.humaContext.AppendHeader(name, value)
}

func (r *copying) BodyWriter() io.Writer {
	return io.MultiWriter(r.humaContext.BodyWriter(), &r.body)
}
