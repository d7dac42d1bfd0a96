package ratelimit

import (
	"context"
	"sync/atomic"
	"time"
)

// Decision is the outcome of one check.
type Decision struct {
	// Allowed reports whether the request may proceed (for Check: whether one more hit would be
	// allowed now).
	Allowed bool
	// Limit is the rate's Limit, for X-RateLimit-Limit.
	Limit int
	// Remaining is how many more hits the key may make right now: after this request for Allow,
	// without any for Check; 0 when refused.
	Remaining int
	// Reset is when the window fully resets: the moment every hit counted now has left the window,
	// so Remaining would be back to Limit. It is the decision's time when nothing is counted. Use
	// ResetUnix for X-RateLimit-Reset.
	Reset time.Time
	// RetryAfter is how long until the window frees a slot; > 0 only when refused.
	RetryAfter time.Duration
}

// RetryAfterSeconds is RetryAfter in whole seconds for the Retry-After header and the
// "Expected available in N seconds" message: rounded up and at least 1 when refused, 0 when
// allowed.
func (d Decision) RetryAfterSeconds() int {
	if d.Allowed {
		return 0
	}
	secs := int((d.RetryAfter + time.Second - 1) / time.Second)
	return max(secs, 1)
}

// ResetUnix is Reset as unix seconds, rounded up so that a client waiting until then is never
// early, for X-RateLimit-Reset.
func (d Decision) ResetUnix() int64 {
	secs := d.Reset.Unix()
	if d.Reset.Nanosecond() > 0 {
		secs++
	}
	return secs
}

// Limiter checks and records hits per key under a rate. Implementations are safe for concurrent
// use. A key is counted separately for each distinct Rate, so one key string may carry several
// limits ("burst" and "sustained") without them interfering.
type Limiter interface {
	// Allow checks key against rate and, when allowed, records one hit. A refused request is not
	// recorded. The error is non-nil only when the limiter could not decide (invalid rate,
	// unreachable store); the Decision is then the zero value.
	Allow(ctx context.Context, key string, rate Rate) (Decision, error)
	// Check reports whether one more hit for key would be allowed now, without recording
	// anything. To count events other than requests, such as failed logins, use Reserve: a
	// Check before trying and an Allow after a failure would let concurrent attempts through.
	Check(ctx context.Context, key string, rate Rate) (Decision, error)
	// Reserve is Allow for an attempt that may turn out not to count: when allowed it records
	// one hit, atomically with the check, and returns a Reservation whose Release takes that hit
	// back. Refused (or on error), the Reservation is nil. It counts failures without a race:
	// reserve before trying, release when the attempt succeeded, so that no more than Limit
	// concurrent attempts can ever be under way.
	Reserve(ctx context.Context, key string, rate Rate) (Decision, *Reservation, error)
}

// Reservation is one hit recorded by Reserve. Release takes it back; until then it counts like
// any other hit. It is safe for concurrent use.
type Reservation struct {
	owner    releaser
	key      string
	rate     Rate
	at       int64 // µs since the epoch: when the hit was recorded
	released atomic.Bool
}

// releaser is a limiter that can take back a hit it recorded.
type releaser interface {
	release(ctx context.Context, r *Reservation) error
}

// Release takes the reserved hit back, as if it had never been recorded. It does nothing for a
// nil Reservation (a refused Reserve), the second time, or once the hit has left the window
// anyway. The error is non-nil only when the limiter could not be reached; the hit then stays
// counted, which errs on the strict side.
func (r *Reservation) Release(ctx context.Context) error {
	if r == nil || r.owner == nil || r.released.Swap(true) {
		return nil
	}
	return r.owner.release(ctx, r)
}
