package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultProbeInterval is how often a degraded Fallback tries its primary again.
const DefaultProbeInterval = 5 * time.Second

// Fallback is a Limiter that asks its primary (Redis) and, when that fails, its secondary (an
// in-process Memory). The first failure switches it to degraded mode and is logged once; while
// degraded it answers from the secondary and lets one request probe the primary at most every
// probe interval, so a Redis that is down costs one failed call per interval rather than a timeout
// on every request. The first successful probe switches back (logged once too).
//
// The two limiters keep separate counts: after a switch a key starts from whatever the other one
// holds for it, so around an outage a key may get up to one extra budget. It is safe for
// concurrent use.
type Fallback struct {
	primary   Limiter
	secondary Limiter
	log       *slog.Logger
	now       func() time.Time
	interval  time.Duration

	degraded  atomic.Bool
	mu        sync.Mutex // guards nextProbe
	nextProbe time.Time
}

// FallbackOption adjusts a Fallback built by NewFallback.
type FallbackOption func(*Fallback)

// WithClock makes the Fallback time its probes with now instead of time.Now.
func WithClock(now func() time.Time) FallbackOption {
	return func(f *Fallback) {
		if now != nil {
			f.now = now
		}
	}
}

// WithProbeInterval sets how often a degraded Fallback probes its primary (DefaultProbeInterval
// unless d > 0).
func WithProbeInterval(d time.Duration) FallbackOption {
	return func(f *Fallback) {
		if d > 0 {
			f.interval = d
		}
	}
}

// NewFallback returns a Limiter using primary, and secondary while primary fails, logging the
// switches to log (discarded when nil).
func NewFallback(primary, secondary Limiter, log *slog.Logger, opts ...FallbackOption) *Fallback {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Fallback{
		primary: primary, secondary: secondary, log: log,
		now: time.Now, interval: DefaultProbeInterval,
	}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

// Allow checks key against rate and records the hit when allowed, on the limiter in use.
func (f *Fallback) Allow(ctx context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := f.check(ctx, key, rate, opAllow)
	return d, err
}

// Check reports whether one more hit for key would be allowed now, recording nothing, on the
// limiter in use.
func (f *Fallback) Check(ctx context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := f.check(ctx, key, rate, opCheck)
	return d, err
}

// Reserve is Allow returning a Reservation, on the limiter in use. The Reservation belongs to
// the limiter that recorded the hit, so Release takes it back there even after a switch.
func (f *Fallback) Reserve(ctx context.Context, key string, rate Rate) (Decision, *Reservation, error) {
	return f.check(ctx, key, rate, opReserve)
}

// Degraded reports whether the Fallback is answering from its secondary, for health checks and
// metrics.
func (f *Fallback) Degraded() bool {
	return f.degraded.Load()
}

// op is the Limiter method a Fallback passes on.
type op int

const (
	opCheck op = iota
	opAllow
	opReserve
)

// check runs op on the primary or, while it fails, on the secondary.
func (f *Fallback) check(ctx context.Context, key string, rate Rate, o op) (Decision, *Reservation, error) {
	// An invalid rate is the caller's mistake, not a primary failure: never switch on it.
	if err := rate.Validate(); err != nil {
		return Decision{}, nil, err
	}
	if f.usePrimary() {
		d, r, err := call(ctx, f.primary, key, rate, o)
		if err == nil {
			f.recovered()
			return d, r, nil
		}
		// A cancelled or expired request says nothing about the primary's health.
		if ctx.Err() == nil {
			f.failed(err)
		}
	}
	return call(ctx, f.secondary, key, rate, o)
}

// call runs op on l.
func call(ctx context.Context, l Limiter, key string, rate Rate, o op) (Decision, *Reservation, error) {
	switch o {
	case opReserve:
		return l.Reserve(ctx, key, rate)
	case opAllow:
		d, err := l.Allow(ctx, key, rate)
		return d, nil, err
	default:
		d, err := l.Check(ctx, key, rate)
		return d, nil, err
	}
}

// usePrimary reports whether this call should go to the primary: always when healthy; when
// degraded, only for the one call that claims the next probe.
func (f *Fallback) usePrimary() bool {
	if !f.degraded.Load() {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if now.Before(f.nextProbe) {
		return false
	}
	f.nextProbe = now.Add(f.interval)
	return true
}

// failed records a primary failure, logging it when it is the switch to degraded mode.
func (f *Fallback) failed(err error) {
	f.mu.Lock()
	f.nextProbe = f.now().Add(f.interval)
	f.mu.Unlock()
	if !f.degraded.Swap(true) {
		f.log.Warn("ratelimit: primary limiter failed; using in-process limits until it recovers",
			slog.Any("error", err), slog.Duration("probe_interval", f.interval))
	}
}

// recovered records a primary success, logging it when it ends degraded mode.
func (f *Fallback) recovered() {
	if f.degraded.Load() && f.degraded.CompareAndSwap(true, false) {
		f.log.Info("ratelimit: primary limiter recovered; using it again")
	}
}
