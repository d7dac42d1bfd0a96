package api

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/danielgtaylor/huma/v2"
)

// Scope is a rate-limit scope of SPEC §10.
type Scope string

// The scopes. Burst and Sustained apply to every API request; Anon to unauthenticated
// operations; Payment and Upload to operations marked with Throttle.
const (
	Burst     Scope = "burst"
	Sustained Scope = "sustained"
	Anon      Scope = "anon"
	Payment   Scope = "payment"
	Upload    Scope = "upload"
)

// Throttle is the platform's rate limiting: a limiter (in-process or shared through Redis) and
// the rate of each scope. Keys are the user id when the caller is authenticated, else the
// client IP (from X-Forwarded-For only behind a trusted proxy).
type Throttle struct {
	Limiter ratelimit.Limiter
	Rates   map[Scope]ratelimit.Rate
	// ReadAlong, when set, runs an authenticated request's checks before authentication and
	// reads the keys it names in the same Redis round trip (see ReadAlong).
	ReadAlong *ReadAlong
}

// ReadAlong lets the first Redis round trip of an authenticated request do all of its Redis
// work: the rate-limit checks, keyed by the user its token names, and the reads that come next
// (authentication's and the response cache's versions). A request whose session turns out to
// be revoked has then spent its user's budget as well as the client IP's.
type ReadAlong struct {
	Peek func(token string) (user, firm string, ok bool)        // whom a valid token names
	Keys func(firm string) []string                             // the keys to read for the firm
	Keep func(ctx context.Context, keys []string, values []any) // hands the values to their readers
}

// MsgThrottled is SPEC §10's 429 message; %d is the whole seconds until a slot frees.
const MsgThrottled = "Request was throttled. Expected available in %d seconds."

// scopeKey is where an operation names its extra scope (payment or upload).
const scopeKey = "throttle"

// unthrottledKey marks an operational endpoint that no scope limits.
const unthrottledKey = "unthrottled"

// Unthrottled exempts an operational endpoint (the health probes) from every scope: an
// orchestrator probes it on a fixed schedule from one address, so it must never be refused, and
// it must not spend the budget of the callers that share that address (login, register and
// refresh are the only operations in the anon scope). The plain handlers of the router (the
// schema, the documentation pages, /metrics) never pass through the throttle.
func Unthrottled(op *huma.Operation) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[unthrottledKey] = true
}

// Throttled marks an operation with an extra scope (Payment or Upload).
func Throttled(op *huma.Operation, s Scope) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[scopeKey] = s
}

// throttle is the huma middleware that applies the scopes of an operation, sets the
// X-RateLimit-* headers of the tightest one, and answers 429 when any refuses. It runs after
// authentication, so an authenticated caller is limited by user, not by shared office IP; a
// request that authentication refuses is limited by refusedLimit instead.
func (a *API) throttle(ctx huma.Context, next func(huma.Context)) {
	if !a.throttles(ctx.Operation()) {
		next(ctx)
		return
	}
	info := Info(ctx.Context())
	user, _ := info.Actor()
	key, scopes := scopesOf(ctx.Operation(), user, info.ClientIP)
	if a.limit(ctx, key, scopes) {
		next(ctx)
	}
}

// scopesOf returns the budget key and the scopes of a request to op by user ("" when not
// authenticated, then the client IP's).
func scopesOf(op *huma.Operation, user, clientIP string) (string, []Scope) {
	key := "ip:" + clientIP
	if user != "" {
		key = "user:" + user
	}
	scopes := make([]Scope, 0, 4)
	scopes = append(scopes, Burst, Sustained)
	if !needsAuth(op) || user == "" && authOptional(op) {
		scopes = append(scopes, Anon)
	}
	if s, ok := op.Metadata[scopeKey].(Scope); ok {
		scopes = append(scopes, s)
	}
	return key, scopes
}

// hits are the budgets key spends under scopes, and the scopes that have a rate.
func (t *Throttle) hits(key string, scopes []Scope) ([]ratelimit.Hit, []Scope) {
	hits := make([]ratelimit.Hit, 0, len(scopes))
	used := make([]Scope, 0, len(scopes))
	for _, s := range scopes {
		if rate, ok := t.Rates[s]; ok {
			hits = append(hits, ratelimit.Hit{Key: string(s) + ":" + key, Rate: rate})
			used = append(used, s)
		}
	}
	return hits, used
}

// checkEarly runs the rate-limit checks of a request authenticated by token before
// authentication does, reading ReadAlong's keys in the same round trip; the throttle then
// takes these decisions instead of checking again (RequestInfo.early).
func (a *API) checkEarly(ctx huma.Context, token string) {
	t := a.opts.Throttle
	if !a.throttles(ctx.Operation()) || t.ReadAlong == nil {
		return
	}
	user, firm, ok := t.ReadAlong.Peek(token)
	if !ok {
		return
	}
	key, scopes := scopesOf(ctx.Operation(), user, "")
	hits, _ := t.hits(key, scopes)
	keys := t.ReadAlong.Keys(firm)
	decisions, values, err := ratelimit.AllowAllReading(ctx.Context(), t.Limiter, hits, keys)
	if err != nil {
		return // nothing decided: the throttle checks as usual
	}
	if values != nil {
		t.ReadAlong.Keep(ctx.Context(), keys, values)
	}
	Info(ctx.Context()).setEarly(hits, decisions)
}

// throttles reports whether rate limits apply to the operation.
func (a *API) throttles(op *huma.Operation) bool {
	t := a.opts.Throttle
	return t != nil && t.Limiter != nil && op.Metadata[unthrottledKey] != true
}

// refusedLimit counts a request that authentication refused against the limits of an anonymous
// caller, by client IP: burst and sustained always, and the anon scope too when a token was
// presented and refused (a guess, like a failed login or refresh). Without it, requests with
// bad tokens would be free: authentication answers them before the throttle runs. It answers
// 429 and reports false when a scope refuses.
func (a *API) refusedLimit(ctx huma.Context, err error) bool {
	if !a.throttles(ctx.Operation()) {
		return true
	}
	scopes := []Scope{Burst, Sustained}
	if fault.KindOf(err) == fault.AuthFailed {
		scopes = append(scopes, Anon)
	}
	return a.limit(ctx, "ip:"+Info(ctx.Context()).ClientIP, scopes)
}

// limit spends one request of each scope's budget for key, sets the X-RateLimit-* headers of
// the tightest scope, and answers 429 when any scope refuses. It reports whether the request may
// go on.
func (a *API) limit(ctx huma.Context, key string, scopes []Scope) bool {
	t := a.opts.Throttle
	info := Info(ctx.Context())
	var tightest, refused ratelimit.Decision
	var refusedScope Scope
	hits, used := t.hits(key, scopes)
	// One round trip for every scope (made before authentication when it could: checkEarly);
	// when both limiters fail (the fallback logs why), serve rather than refuse everyone.
	decisions, ok := info.takeEarly(hits)
	if !ok {
		decisions, _ = ratelimit.AllowAll(ctx.Context(), t.Limiter, hits)
	}
	for i, d := range decisions {
		if tightest.Limit == 0 || d.Remaining < tightest.Remaining {
			tightest = d
		}
		if !d.Allowed && d.RetryAfter > refused.RetryAfter {
			refused, refusedScope = d, used[i]
		}
	}
	if tightest.Limit > 0 {
		ctx.SetHeader("X-RateLimit-Limit", strconv.Itoa(tightest.Limit))
		ctx.SetHeader("X-RateLimit-Remaining", strconv.Itoa(tightest.Remaining))
		ctx.SetHeader("X-RateLimit-Reset", strconv.FormatInt(tightest.ResetUnix(), 10))
	}
	if refusedScope == "" {
		return true
	}
	secs := refused.RetryAfterSeconds()
	if a.metrics != nil {
		a.metrics.throttled.WithLabelValues(string(refusedScope)).Inc()
	}
	user, firm := info.Actor()
	a.opts.Logs.Security.Warn("request throttled", "event", "throttled", "scope", string(refusedScope),
		"request_id", info.ID, "user", user, "firm", firm, "client_ip", info.ClientIP, "path", info.Path)
	err := &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(MsgThrottled, secs),
		RetryAfter: time.Duration(secs) * time.Second}
	_ = huma.WriteErr(a.Huma, ctx, StatusOf(err), "", err)
	return false
}
