package api

import (
	"context"
	"slices"
	"sync"

	"github.com/consultantpro/consultantpro/internal/ratelimit"
)

// RequestInfo is what the platform learns about a request while serving it: its id, the route
// template it matched, who made it, and the error it ended with. The request log line and the
// metrics are written from it. Later middleware (authentication) fills User and Firm.
type RequestInfo struct {
	ID       string
	Path     string // the path as the client sent it, before alias and slash normalisation
	Scheme   string // "https" or "http", as the client sees it
	ClientIP string

	mu    sync.Mutex
	route string
	user  string
	firm  string
	scope string
	err   error
	early *earlyChecks
}

// earlyChecks are rate-limit decisions made before authentication (API.checkEarly).
type earlyChecks struct {
	hits      []ratelimit.Hit
	decisions []ratelimit.Decision
}

// setEarly keeps the decisions on hits made ahead of the throttle.
func (i *RequestInfo) setEarly(hits []ratelimit.Hit, decisions []ratelimit.Decision) {
	i.mu.Lock()
	i.early = &earlyChecks{hits: hits, decisions: decisions}
	i.mu.Unlock()
}

// takeEarly returns the decisions made ahead on exactly hits, once.
func (i *RequestInfo) takeEarly(hits []ratelimit.Hit) ([]ratelimit.Decision, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	e := i.early
	if e == nil || !slices.Equal(e.hits, hits) {
		return nil, false
	}
	i.early = nil
	return e.decisions, true
}

type infoKey struct{}

// Info returns the request's RequestInfo; outside a request it returns an empty one so callers
// never need a nil check.
func Info(ctx context.Context) *RequestInfo {
	if info, ok := ctx.Value(infoKey{}).(*RequestInfo); ok {
		return info
	}
	return &RequestInfo{}
}

// withInfo stores info in ctx.
func withInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// SetActor records the authenticated user and firm for the log line, and the cache scope: what,
// besides the URL and the data, a cached response depends on for this caller (the user and the
// firm's date). Without a scope no response is cached.
func (i *RequestInfo) SetActor(user, firm, cacheScope string) {
	i.mu.Lock()
	i.user, i.firm, i.scope = user, firm, cacheScope
	i.mu.Unlock()
}

func (i *RequestInfo) cacheScope() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.scope
}

// Actor returns the user and firm recorded by SetActor.
func (i *RequestInfo) Actor() (user, firm string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.user, i.firm
}

// Route returns the route template the request matched ("" when none did).
func (i *RequestInfo) Route() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.route
}

func (i *RequestInfo) setRoute(route string) {
	i.mu.Lock()
	i.route = route
	i.mu.Unlock()
}

// Err returns the error the request ended with, if any.
func (i *RequestInfo) Err() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.err
}

func (i *RequestInfo) setErr(err error) {
	i.mu.Lock()
	i.err = err
	i.mu.Unlock()
}
