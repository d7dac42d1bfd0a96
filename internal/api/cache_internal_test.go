package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/danielgtaylor/huma/v2"
)

func TestResponseCacheStaysWithinItsBytes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewResponseCache(nil, 100, time.Minute, func() time.Time { return now })
	body := func(n int) []byte { return []byte(strings.Repeat("x", n)) }
	c.store("a", &cachedResponse{version: 1, stored: now, status: 200, body: body(60)})
	c.store("b", &cachedResponse{version: 1, stored: now, status: 200, body: body(60)}) // would pass 100: kept out
	if c.lookup("a", 1) == nil || c.lookup("b", 1) != nil || c.bytes != 60 {
		t.Fatalf("after overfilling: a=%v b=%v bytes=%d", c.lookup("a", 1) != nil, c.lookup("b", 1) != nil, c.bytes)
	}
	// A newer version makes room by dropping the older entries.
	c.store("b", &cachedResponse{version: 2, stored: now, status: 200, body: body(60)})
	if c.lookup("a", 1) != nil || c.lookup("b", 2) == nil || c.bytes != 60 {
		t.Fatalf("older version not dropped: bytes=%d", c.bytes)
	}
	// Replacing an entry does not count it twice.
	c.store("b", &cachedResponse{version: 2, stored: now, status: 200, body: body(30)})
	if c.bytes != 30 {
		t.Fatalf("bytes after replacing = %d, want 30", c.bytes)
	}
	// An entry is served only at its version and within its maximum age.
	if c.lookup("b", 3) != nil {
		t.Fatal("served at another version")
	}
	now = now.Add(61 * time.Second)
	if c.lookup("b", 2) != nil {
		t.Fatal("served past its maximum age")
	}
}

// fakeVersions is a data version the test moves by hand; fail makes it unreadable.
type fakeVersions struct {
	mu      sync.Mutex
	version uint64
	fail    bool
}

func (v *fakeVersions) Current(context.Context) (uint64, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.fail {
		return 0, errors.New("redis: connection refused")
	}
	return v.version, nil
}

func (v *fakeVersions) set(version uint64, fail bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.version, v.fail = version, fail
}

// cacheEnv is an API with a response cache and a few operations that count their runs, on a
// clock the test moves.
type cacheEnv struct {
	t        *testing.T
	srv      *httptest.Server
	versions *fakeVersions

	mu      sync.Mutex
	now     time.Time
	revoked map[string]bool // tokens refused by authentication
	deny    bool            // the list's policy refuses everyone
	fail    bool            // the flaky list answers 404
	runs    map[string]int  // handler runs by operation id
}

// runOut tells which run of its handler produced an answer: a cached answer repeats an earlier
// run's number.
type runOut struct {
	Body struct {
		Run int `json:"run"`
	}
}

func newCacheEnv(t *testing.T, throttle *Throttle) *cacheEnv {
	t.Helper()
	e := &cacheEnv{t: t, versions: &fakeVersions{version: 1}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		revoked: map[string]bool{}, runs: map[string]int{}}
	clock := func() time.Time {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.now
	}
	authenticate := func(ctx context.Context, token string) (context.Context, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		user, role, ok := strings.Cut(token, "-")
		if !ok || e.revoked[token] {
			return nil, fault.New(fault.AuthFailed, "Given token not valid for any token type")
		}
		Info(ctx).SetActor(user, "firm-1", user+"|"+role+"|2026-03-01")
		return ctx, nil
	}
	a := New(Options{Version: "test", Cache: NewResponseCache(e.versions, 1<<20, time.Minute, clock),
		Authenticate: authenticate, Throttle: throttle, AllowedHosts: []string{"127.0.0.1"}})
	handler := func(id string) func(context.Context, *struct{}) (*runOut, error) {
		return func(context.Context, *struct{}) (*runOut, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			if id == "flaky-things" && e.fail {
				return nil, fault.New(fault.NotFound, "Not found.")
			}
			e.runs[id]++
			out := &runOut{}
			out.Body.Run = e.runs[id]
			return out, nil
		}
	}
	// The list's own middleware stands for its policy: it refuses while deny is set.
	guard := func(ctx huma.Context, next func(huma.Context)) {
		e.mu.Lock()
		deny := e.deny
		e.mu.Unlock()
		if deny {
			_ = huma.WriteErr(a.Huma, ctx, http.StatusForbidden, "", fault.New(fault.Forbidden, "You do not have permission to perform this action."))
			return
		}
		next(ctx)
	}
	list := huma.Operation{OperationID: "list-things", Method: http.MethodGet, Path: "/things/", Summary: "List things",
		Middlewares: huma.Middlewares{guard}}
	Cacheable(&list)
	Register(a, list, handler("list-things"))
	Register(a, huma.Operation{OperationID: "get-thing", Method: http.MethodGet, Path: "/things/{id}/", Summary: "Get thing"},
		func(ctx context.Context, _ *struct {
			ID string `path:"id"`
		}) (*runOut, error) {
			return handler("get-thing")(ctx, nil)
		})
	flaky := huma.Operation{OperationID: "flaky-things", Method: http.MethodGet, Path: "/flaky/", Summary: "Flaky things"}
	Cacheable(&flaky)
	Register(a, flaky, handler("flaky-things"))
	accepted := huma.Operation{OperationID: "accepted-things", Method: http.MethodGet, Path: "/accepted/", Summary: "Accepted things",
		DefaultStatus: http.StatusAccepted}
	Cacheable(&accepted)
	Register(a, accepted, handler("accepted-things"))
	post := huma.Operation{OperationID: "post-things", Method: http.MethodPost, Path: "/things/", Summary: "Post things",
		DefaultStatus: http.StatusOK}
	Cacheable(&post)
	Register(a, post, handler("post-things"))
	e.srv = httptest.NewServer(a.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// call sends method path with the bearer token and returns the status and, for a 2xx answer,
// the run that produced it.
func (e *cacheEnv) call(method, path, token string) (int, int) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Run int `json:"run"`
	}
	if res.StatusCode/100 == 2 {
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			e.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode, out.Run
}

// want fails unless method path answers status from the given run of its handler.
func (e *cacheEnv) want(method, path, token string, status, run int) {
	e.t.Helper()
	if gotStatus, gotRun := e.call(method, path, token); gotStatus != status || gotRun != run {
		e.t.Fatalf("%s %s as %s: status %d from run %d, want %d from run %d", method, path, token, gotStatus, gotRun, status, run)
	}
}

func (e *cacheEnv) update(fn func(e *cacheEnv)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fn(e)
}

// Invariant 1: only operations that opted in are cached, and only their 200 answers to GET.
func TestResponseCacheKeepsOnlyOptedInGETAnswers(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t, nil)
	// The opted-in list is cached: the repeat comes from the first run.
	e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	// A GET by id did not opt in: its handler runs every time.
	for run := 1; run <= 3; run++ {
		e.want("GET", "/api/things/x/", "ada-consultant", 200, run)
	}
	// A POST is never served from the cache, even marked cacheable.
	for run := 1; run <= 3; run++ {
		e.want("POST", "/api/things/", "ada-consultant", 200, run)
	}
	// An error is not kept: once the list answers again, its 200 is.
	e.update(func(e *cacheEnv) { e.fail = true })
	e.want("GET", "/api/flaky/", "ada-consultant", 404, 0)
	e.want("GET", "/api/flaky/", "ada-consultant", 404, 0)
	e.update(func(e *cacheEnv) { e.fail = false })
	e.want("GET", "/api/flaky/", "ada-consultant", 200, 1)
	e.want("GET", "/api/flaky/", "ada-consultant", 200, 1)
	// A success other than 200 is not kept.
	for run := 1; run <= 3; run++ {
		e.want("GET", "/api/accepted/", "ada-consultant", 202, run)
	}
}

// Invariant 2: a hit runs what a miss runs before the handler: authentication, throttling and
// the operation's own middleware (its policy).
func TestResponseCacheHitStillRunsTheOperationsMiddleware(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t, nil)
	e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	e.want("GET", "/api/things/", "ada-consultant", 200, 1) // cached
	e.update(func(e *cacheEnv) { e.deny = true })
	e.want("GET", "/api/things/", "ada-consultant", 403, 0)
	e.update(func(e *cacheEnv) { e.deny = false })
	e.want("GET", "/api/things/", "ada-consultant", 200, 1) // the entry was kept, and is allowed again
	// A revoked token is refused although its answer is cached.
	e.update(func(e *cacheEnv) { e.revoked["ada-consultant"] = true })
	e.want("GET", "/api/things/", "ada-consultant", 401, 0)
	// Another role of the same user is another scope: not the consultant's entry.
	e.want("GET", "/api/things/", "ada-manager", 200, 2)
	// Another user is another scope too.
	e.want("GET", "/api/things/", "bob-consultant", 200, 3)
}

func TestResponseCacheHitIsThrottled(t *testing.T) {
	t.Parallel()
	rate, err := ratelimit.ParseRate("3/min")
	if err != nil {
		t.Fatal(err)
	}
	e := newCacheEnv(t, &Throttle{Limiter: ratelimit.NewMemory(time.Now), Rates: map[Scope]ratelimit.Rate{Burst: rate}})
	for range 3 {
		e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	}
	e.want("GET", "/api/things/", "ada-consultant", 429, 0)
}

// Invariant 3, within the platform: every spelling of one request is one entry.
func TestResponseCacheKeysByTheCanonicalURL(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t, nil)
	e.want("GET", "/api/things/?b=2&a=1", "ada-consultant", 200, 1)
	for _, path := range []string{"/api/things?a=1&b=2", "/api/v1/things/?a=1&b=2", "/api/v1/things?b=2&a=1"} {
		e.want("GET", path, "ada-consultant", 200, 1)
	}
	e.want("GET", "/api/things/?a=1&b=3", "ada-consultant", 200, 2)
}

// Invariant 4, within the platform: a new version is a miss.
func TestResponseCacheServesOnlyItsVersion(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t, nil)
	e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	e.versions.set(2, false)
	e.want("GET", "/api/things/", "ada-consultant", 200, 2)
	e.want("GET", "/api/things/", "ada-consultant", 200, 2)
}

// Invariant 5: an answer is not served past MaxAge, and while the version cannot be read every
// request runs its handler.
func TestResponseCacheMaxAgeAndUnreadableVersion(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t, nil)
	e.want("GET", "/api/things/", "ada-consultant", 200, 1)
	e.update(func(e *cacheEnv) { e.now = e.now.Add(time.Minute) })
	e.want("GET", "/api/things/", "ada-consultant", 200, 1) // exactly MaxAge old: still fresh
	e.update(func(e *cacheEnv) { e.now = e.now.Add(time.Second) })
	e.want("GET", "/api/things/", "ada-consultant", 200, 2) // older: run again, and kept anew
	e.want("GET", "/api/things/", "ada-consultant", 200, 2)
	e.versions.set(1, true)
	e.want("GET", "/api/things/", "ada-consultant", 200, 3)
	e.want("GET", "/api/things/", "ada-consultant", 200, 4)
	e.versions.set(1, false)
	e.want("GET", "/api/things/", "ada-consultant", 200, 2) // the bypass neither served nor replaced it
}

// Invariant 5, on the store itself: an entry older than MaxAge is not returned at its version.
func TestResponseCacheLookupHonoursMaxAge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewResponseCache(nil, 1<<10, 30*time.Second, func() time.Time { return now })
	c.store("k", &cachedResponse{version: 7, stored: now, status: 200, body: []byte("{}")})
	now = now.Add(30 * time.Second)
	if c.lookup("k", 7) == nil {
		t.Fatal("not served at exactly MaxAge")
	}
	now = now.Add(time.Nanosecond)
	if c.lookup("k", 7) != nil {
		t.Fatal("served past MaxAge")
	}
}
