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

// ResponseCache keeps the bytes of successful list responses, keyed by the caller's scope (user
// and the firm's date, see RequestInfo.SetActor), the URL and the Accept header, and serves
// them again while the data version is unchanged. Every list is built from the database alone,
// so an unchanged version means unchanged bytes; MaxAge bounds how long an answer can outlive a
// version bump that was lost (Redis unreachable between instances).
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

// cacheKey in an operation's metadata marks it as cacheable (ListSpec.Document sets it).
const cacheKey = "consultantpro.cache"

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

// cached serves cacheable GET operations from the ResponseCache, or runs them and keeps a 200
// answer. It runs after authentication and throttling, which every request still passes.
func (a *API) cached(ctx huma.Context, next func(huma.Context)) {
	c, info := a.opts.Cache, Info(ctx.Context())
	if c == nil || ctx.Method() != http.MethodGet || ctx.Operation().Metadata[cacheKey] != true {
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
	u := ctx.URL()
	key := scope + "\n" + info.Scheme + "://" + ctx.Host() + u.RequestURI() + "\n" + ctx.Header("Accept")
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
