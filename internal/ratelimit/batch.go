package ratelimit

import (
	"context"
)

// Hit is one budget a request spends: a key under a rate.
type Hit struct {
	Key  string
	Rate Rate
}

// batcher is a Limiter that decides several hits in one round trip.
type batcher interface {
	allowAll(ctx context.Context, hits []Hit) ([]Decision, error)
}

// AllowAll is Allow for each hit, in order, in one round trip to Redis where l can (a request's
// burst and sustained budgets, and its operation's, cost one call instead of one each). A hit
// allowed is recorded even when a later one is refused, as with Allow called in turn. On error
// no decision is known; the error is the first one met.
func AllowAll(ctx context.Context, l Limiter, hits []Hit) ([]Decision, error) {
	if b, ok := l.(batcher); ok {
		return b.allowAll(ctx, hits)
	}
	return allowEach(ctx, l, hits)
}

func allowEach(ctx context.Context, l Limiter, hits []Hit) ([]Decision, error) {
	ds := make([]Decision, len(hits))
	for i, h := range hits {
		d, err := l.Allow(ctx, h.Key, h.Rate)
		if err != nil {
			return nil, err
		}
		ds[i] = d
	}
	return ds, nil
}

// allowAll runs one window script for every hit: Redis runs it atomically, each hit checked and
// recorded in turn as Allow would.
func (r *Redis) allowAll(ctx context.Context, hits []Hit) ([]Decision, error) {
	for _, h := range hits {
		if err := h.Rate.Validate(); err != nil {
			return nil, err
		}
	}
	ds, _, err := r.decide(ctx, hits, nil, r.now().UnixMicro(), true)
	return ds, err
}

// reader is a Limiter that can read other keys of its Redis in the round trip of its checks.
type reader interface {
	allowAllReading(ctx context.Context, hits []Hit, keys []string) ([]Decision, []any, error)
}

// AllowAllReading is AllowAll that also reads keys of the same Redis (plain GETs: a request's
// auth and data versions) in the same round trip, where l keeps its windows in Redis. values
// holds each key's value (nil for a missing key); it is nil when l did not read them (no Redis,
// or Redis failed and the fallback decided), and the caller then reads them itself.
func AllowAllReading(ctx context.Context, l Limiter, hits []Hit, keys []string) (ds []Decision, values []any, err error) {
	if r, ok := l.(reader); ok && len(keys) > 0 {
		return r.allowAllReading(ctx, hits, keys)
	}
	ds, err = AllowAll(ctx, l, hits)
	return ds, nil, err
}

func (r *Redis) allowAllReading(ctx context.Context, hits []Hit, keys []string) ([]Decision, []any, error) {
	for _, h := range hits {
		if err := h.Rate.Validate(); err != nil {
			return nil, nil, err
		}
	}
	return r.decide(ctx, hits, keys, r.now().UnixMicro(), true)
}

// allowAllReading reads along on the primary while it answers; the secondary reads nothing.
func (f *Fallback) allowAllReading(ctx context.Context, hits []Hit, keys []string) ([]Decision, []any, error) {
	for _, h := range hits {
		if err := h.Rate.Validate(); err != nil {
			return nil, nil, err
		}
	}
	if f.usePrimary() {
		ds, vals, err := AllowAllReading(ctx, f.primary, hits, keys)
		if err == nil {
			f.recovered()
			return ds, vals, nil
		}
		if ctx.Err() == nil {
			f.failed(err)
		}
	}
	ds, err := AllowAll(ctx, f.secondary, hits)
	return ds, nil, err
}

// allowAll decides on the primary while it answers, else each hit on the secondary.
func (f *Fallback) allowAll(ctx context.Context, hits []Hit) ([]Decision, error) {
	for _, h := range hits {
		if err := h.Rate.Validate(); err != nil {
			return nil, err
		}
	}
	if f.usePrimary() {
		ds, err := AllowAll(ctx, f.primary, hits)
		if err == nil {
			f.recovered()
			return ds, nil
		}
		if ctx.Err() == nil {
			f.failed(err)
		}
	}
	return AllowAll(ctx, f.secondary, hits)
}
