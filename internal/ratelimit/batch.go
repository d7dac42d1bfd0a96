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
	return r.decide(ctx, hits, r.now().UnixMicro(), true)
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
