package ratelimit

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
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

// allowAll runs the window script once per hit in one pipeline. Redis runs each script
// atomically, as Allow does; a script Redis does not know yet is loaded and the pipeline sent
// again.
func (r *Redis) allowAll(ctx context.Context, hits []Hit) ([]Decision, error) {
	if r.client == nil {
		return nil, fmt.Errorf("ratelimit: redis limiter has no client")
	}
	for _, h := range hits {
		if err := h.Rate.Validate(); err != nil {
			return nil, err
		}
	}
	now := r.now().UnixMicro()
	cmds, err := r.runWindows(ctx, hits, now)
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		if err = r.script.Load(ctx, r.client).Err(); err == nil {
			cmds, err = r.runWindows(ctx, hits, now)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("ratelimit: redis: %w", err)
	}
	ds := make([]Decision, len(hits))
	for i, h := range hits {
		res, err := cmds[i].Int64Slice()
		if err != nil {
			return nil, fmt.Errorf("ratelimit: redis: %w", err)
		}
		if ds[i], err = windowDecision(res, now, h.Rate); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// runWindows sends the window script of every hit (recording) in one pipeline.
func (r *Redis) runWindows(ctx context.Context, hits []Hit, now int64) ([]*redis.Cmd, error) {
	pipe := r.client.Pipeline()
	cmds := make([]*redis.Cmd, len(hits))
	for i, h := range hits {
		s := spanOf(h.Rate)
		ttl := (s.period+s.width)/1000 + 1 // ms, rounded up
		cmds[i] = r.script.EvalSha(ctx, pipe, []string{r.key(h.Key, h.Rate)},
			strconv.FormatInt(now, 10), s.period, h.Rate.Limit, "1", s.slotOf(now), slotCount, ttl)
	}
	_, err := pipe.Exec(ctx)
	return cmds, err
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
