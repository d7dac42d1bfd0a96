package ratelimit

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// t0 is where fake clocks start: a whole hour, so that sub-windows of any period dividing an hour
// start exactly on it.
var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// fakeClock is a clock tests move by hand; safe for concurrent use.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(t0.UnixNano())
	return c
}

// Now returns the current fake time.
func (c *fakeClock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// Set moves the clock to t0+d.
func (c *fakeClock) Set(d time.Duration) { c.ns.Store(t0.Add(d).UnixNano()) }

// Advance moves the clock forward by d.
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// perMinute returns n per minute.
func perMinute(n int) Rate { return Rate{Limit: n, Period: time.Minute} }

// want is the part of a Decision a step asserts; reset is an offset from t0.
type want struct {
	allowed    bool
	remaining  int
	reset      time.Duration
	retryAfter time.Duration
}

// harness drives one limiter with one fake clock.
type harness struct {
	t     *testing.T
	l     Limiter
	clock *fakeClock
}

// do runs Allow (or Check) for key at t0+at and asserts the decision.
func (h *harness) do(record bool, at time.Duration, key string, rate Rate, w want) Decision {
	h.t.Helper()
	h.clock.Set(at)
	var d Decision
	var err error
	if record {
		d, err = h.l.Allow(context.Background(), key, rate)
	} else {
		d, err = h.l.Check(context.Background(), key, rate)
	}
	if err != nil {
		h.t.Fatalf("at +%v %s: %v", at, key, err)
	}
	if d.Allowed != w.allowed || d.Limit != rate.Limit || d.Remaining != w.remaining ||
		!d.Reset.Equal(t0.Add(w.reset)) || d.RetryAfter != w.retryAfter {
		h.t.Fatalf("at +%v %s %v (record=%v):\n got allowed=%v limit=%d remaining=%d reset=+%v retry=%v\n"+
			"want allowed=%v limit=%d remaining=%d reset=+%v retry=%v", at, key, rate, record,
			d.Allowed, d.Limit, d.Remaining, d.Reset.Sub(t0), d.RetryAfter,
			w.allowed, rate.Limit, w.remaining, w.reset, w.retryAfter)
	}
	return d
}

// allow is do(true, ...).
func (h *harness) allow(at time.Duration, key string, rate Rate, w want) Decision {
	h.t.Helper()
	return h.do(true, at, key, rate, w)
}

// check is do(false, ...).
func (h *harness) check(at time.Duration, key string, rate Rate, w want) Decision {
	h.t.Helper()
	return h.do(false, at, key, rate, w)
}

// reserve runs Reserve for key at t0+at, asserts the decision like do, and checks that an
// allowed Reserve hands out a Reservation and a refused one does not.
func (h *harness) reserve(at time.Duration, key string, rate Rate, w want) *Reservation {
	h.t.Helper()
	h.clock.Set(at)
	d, r, err := h.l.Reserve(context.Background(), key, rate)
	if err != nil {
		h.t.Fatalf("reserve at +%v %s: %v", at, key, err)
	}
	if d.Allowed != w.allowed || d.Remaining != w.remaining || !d.Reset.Equal(t0.Add(w.reset)) || d.RetryAfter != w.retryAfter {
		h.t.Fatalf("reserve at +%v %s %v:\n got allowed=%v remaining=%d reset=+%v retry=%v\n"+
			"want allowed=%v remaining=%d reset=+%v retry=%v", at, key, rate,
			d.Allowed, d.Remaining, d.Reset.Sub(t0), d.RetryAfter, w.allowed, w.remaining, w.reset, w.retryAfter)
	}
	if (r != nil) != d.Allowed {
		h.t.Fatalf("reserve at +%v %s: allowed=%v with reservation %v", at, key, d.Allowed, r)
	}
	return r
}

// release releases r at t0+at.
func (h *harness) release(at time.Duration, r *Reservation) {
	h.t.Helper()
	h.clock.Set(at)
	if err := r.Release(context.Background()); err != nil {
		h.t.Fatalf("release at +%v: %v", at, err)
	}
}

// fill makes n allowed hits for key at t0+at, asserting that Remaining counts down to left.
func (h *harness) fill(at time.Duration, key string, rate Rate, n, left int, reset time.Duration) {
	h.t.Helper()
	for i := n - 1; i >= 0; i-- {
		h.allow(at, key, rate, want{allowed: true, remaining: left + i, reset: reset})
	}
}

// testLimiter runs the semantics every Limiter must share against limiters from newLimiter, one
// fresh limiter per case.
func testLimiter(t *testing.T, newLimiter func(t *testing.T, now func() time.Time) Limiter) {
	sec := time.Second
	cases := []struct {
		name string
		run  func(h *harness)
	}{
		{"100/min allows 100 then refuses the 101st", func(h *harness) {
			h.fill(0, "k", perMinute(100), 100, 0, time.Minute)
			d := h.allow(0, "k", perMinute(100), want{reset: time.Minute, retryAfter: time.Minute})
			if got := d.RetryAfterSeconds(); got != 60 {
				h.t.Fatalf("RetryAfterSeconds = %d, want 60", got)
			}
			// Refused hits are not recorded: the wait shrinks with the clock only.
			h.allow(30*sec, "k", perMinute(100), want{reset: time.Minute, retryAfter: 30 * sec})
		}},
		{"allowed again after a full period", func(h *harness) {
			h.fill(0, "k", perMinute(100), 100, 0, time.Minute)
			d := h.allow(time.Minute-time.Millisecond, "k", perMinute(100),
				want{reset: time.Minute, retryAfter: time.Millisecond})
			if got := d.RetryAfterSeconds(); got != 1 {
				h.t.Fatalf("RetryAfterSeconds = %d, want 1", got)
			}
			h.fill(time.Minute, "k", perMinute(100), 100, 0, 2*time.Minute)
			h.allow(time.Minute, "k", perMinute(100), want{reset: 2 * time.Minute, retryAfter: time.Minute})
		}},
		{"the window slides instead of resetting", func(h *harness) {
			h.fill(0, "k", perMinute(100), 50, 50, time.Minute)
			h.fill(30*sec, "k", perMinute(100), 50, 0, 90*sec)
			h.allow(45*sec, "k", perMinute(100), want{reset: 90 * sec, retryAfter: 15 * sec})
			// At +60s only the first 50 have left: 50 slots, not 100, are free.
			h.fill(60*sec, "k", perMinute(100), 50, 0, 120*sec)
			h.allow(60*sec, "k", perMinute(100), want{reset: 120 * sec, retryAfter: 30 * sec})
		}},
		{"hits sharing a sub-window are held until the newest leaves", func(h *harness) {
			// 2/min: sub-windows of 3s. Hits at +0s and +2s share one, so at +60s (where an exact
			// log would free one) both still count, until +62s: the documented Period/20 bound.
			h.allow(0, "k", perMinute(2), want{allowed: true, remaining: 1, reset: 60 * sec})
			h.allow(2*sec, "k", perMinute(2), want{allowed: true, remaining: 0, reset: 62 * sec})
			h.allow(60*sec, "k", perMinute(2), want{reset: 62 * sec, retryAfter: 2 * sec})
			h.allow(62*sec, "k", perMinute(2), want{allowed: true, remaining: 1, reset: 122 * sec})
		}},
		{"hits in different sub-windows leave one by one", func(h *harness) {
			h.allow(0, "k", perMinute(2), want{allowed: true, remaining: 1, reset: 60 * sec})
			h.allow(3*sec, "k", perMinute(2), want{allowed: true, remaining: 0, reset: 63 * sec})
			h.allow(59*sec, "k", perMinute(2), want{reset: 63 * sec, retryAfter: sec})
			h.allow(60*sec, "k", perMinute(2), want{allowed: true, remaining: 0, reset: 120 * sec})
		}},
		{"a clock going back (skew between instances) loses no hits", func(h *harness) {
			// 3/min: sub-windows of 3s, 21 slots, so +63s and +0s share a slot. The earlier write
			// joins the later one instead of resetting it, and both count until +63s+1min.
			h.allow(63*sec, "k", perMinute(3), want{allowed: true, remaining: 2, reset: 123 * sec})
			h.allow(0, "k", perMinute(3), want{allowed: true, remaining: 1, reset: 123 * sec})
			h.check(122*sec, "k", perMinute(3), want{allowed: true, remaining: 1, reset: 123 * sec})
			h.check(123*sec, "k", perMinute(3), want{allowed: true, remaining: 3, reset: 123 * sec})
		}},
		{"keys are independent", func(h *harness) {
			h.fill(0, "a", perMinute(3), 3, 0, time.Minute)
			h.allow(sec, "a", perMinute(3), want{reset: time.Minute, retryAfter: 59 * sec})
			h.allow(sec, "b", perMinute(3), want{allowed: true, remaining: 2, reset: 61 * sec})
			h.allow(2*sec, "a", perMinute(3), want{reset: time.Minute, retryAfter: 58 * sec})
		}},
		{"rates on one key are independent", func(h *harness) {
			hourly := Rate{Limit: 5, Period: time.Hour}
			h.fill(0, "u", perMinute(2), 2, 0, time.Minute)
			h.allow(0, "u", hourly, want{allowed: true, remaining: 4, reset: time.Hour})
			h.allow(sec, "u", perMinute(2), want{reset: time.Minute, retryAfter: 59 * sec})
		}},
		{"Check does not consume", func(h *harness) {
			for range 10 {
				h.check(0, "k", perMinute(3), want{allowed: true, remaining: 3, reset: 0})
			}
			h.fill(sec, "k", perMinute(3), 3, 0, 61*sec)
			h.check(2*sec, "k", perMinute(3), want{reset: 61 * sec, retryAfter: 59 * sec})
			h.check(3*sec, "k", perMinute(3), want{reset: 61 * sec, retryAfter: 58 * sec})
			h.check(61*sec, "k", perMinute(3), want{allowed: true, remaining: 3, reset: 61 * sec})
		}},
		{"Reserve counts like Allow; Release takes the hit back once", func(h *harness) {
			rate := perMinute(3)
			first := h.reserve(0, "k", rate, want{allowed: true, remaining: 2, reset: time.Minute})
			h.allow(sec, "k", rate, want{allowed: true, remaining: 1, reset: 61 * sec})
			last := h.reserve(4*sec, "k", rate, want{allowed: true, remaining: 0, reset: 64 * sec})
			if r := h.reserve(5*sec, "k", rate, want{reset: 64 * sec, retryAfter: 56 * sec}); r != nil {
				h.t.Fatal("a refused Reserve returned a reservation")
			}
			h.release(5*sec, last)
			h.check(5*sec, "k", rate, want{allowed: true, remaining: 1, reset: 61 * sec})
			// A second Release of the same reservation takes nothing more back.
			h.release(5*sec, last)
			h.check(5*sec, "k", rate, want{allowed: true, remaining: 1, reset: 61 * sec})
			h.release(6*sec, first)
			h.check(6*sec, "k", rate, want{allowed: true, remaining: 2, reset: 61 * sec})
			// Releasing a refused Reserve's nil reservation is harmless.
			h.release(6*sec, nil)
			h.check(6*sec, "k", rate, want{allowed: true, remaining: 2, reset: 61 * sec})
		}},
		{"Release of a hit that has left the window takes nothing back", func(h *harness) {
			// 1/min: sub-windows of 3s, 21 slots, so +0s and +63s share a slot. The old hit has
			// left by +63s; releasing it must not take back the new one in its slot.
			rate := perMinute(1)
			old := h.reserve(0, "k", rate, want{allowed: true, remaining: 0, reset: time.Minute})
			h.reserve(63*sec, "k", rate, want{allowed: true, remaining: 0, reset: 123 * sec})
			h.release(63*sec, old)
			h.check(63*sec, "k", rate, want{reset: 123 * sec, retryAfter: time.Minute})
		}},
		{"Release under another rate or key takes nothing back", func(h *harness) {
			r := h.reserve(0, "a", perMinute(2), want{allowed: true, remaining: 1, reset: time.Minute})
			h.allow(0, "a", perMinute(3), want{allowed: true, remaining: 2, reset: time.Minute})
			h.allow(0, "b", perMinute(2), want{allowed: true, remaining: 1, reset: time.Minute})
			h.release(sec, r)
			h.check(sec, "a", perMinute(2), want{allowed: true, remaining: 2, reset: sec})
			h.check(sec, "a", perMinute(3), want{allowed: true, remaining: 2, reset: time.Minute})
			h.check(sec, "b", perMinute(2), want{allowed: true, remaining: 1, reset: time.Minute})
		}},
		{"login: 10 failures per 15 min", func(h *harness) {
			login := Rate{Limit: 10, Period: 15 * time.Minute}
			var reset time.Duration // nothing counted yet: Reset is now
			for i := range 10 {
				at := time.Duration(i) * time.Minute
				h.check(at, "alice", login, want{allowed: true, remaining: 10 - i, reset: reset})
				reset = at + 15*time.Minute
				h.allow(at, "alice", login, want{allowed: true, remaining: 9 - i, reset: reset})
			}
			h.check(10*time.Minute, "alice", login, want{reset: 24 * time.Minute, retryAfter: 5 * time.Minute})
			h.check(15*time.Minute, "alice", login, want{allowed: true, remaining: 1, reset: 24 * time.Minute})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			tc.run(&harness{t: t, l: newLimiter(t, clock.Now), clock: clock})
		})
	}
	t.Run("invalid rates are errors", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, newFakeClock().Now)
		for _, r := range []Rate{{0, time.Minute}, {-1, time.Minute}, {1, 0}, {1, time.Microsecond}} {
			if _, err := l.Allow(context.Background(), "k", r); err == nil {
				t.Errorf("Allow with %v: no error", r)
			}
			if _, err := l.Check(context.Background(), "k", r); err == nil {
				t.Errorf("Check with %v: no error", r)
			}
		}
	})
}
