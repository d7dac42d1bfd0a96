package ratelimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	switchLog  = "primary limiter failed"
	recoverLog = "primary limiter recovered"
	fakeLimit  = 777 // the fake primary's decisions carry this Limit, telling them apart
)

// fakeLimiter answers with Limit fakeLimit, or fails while err is set.
type fakeLimiter struct {
	calls atomic.Int64
	err   atomic.Pointer[error]
}

func (f *fakeLimiter) fail(err error) { f.err.Store(&err) }
func (f *fakeLimiter) heal()          { f.err.Store(nil) }

func (f *fakeLimiter) Allow(ctx context.Context, key string, rate Rate) (Decision, error) {
	return f.Check(ctx, key, rate)
}

func (f *fakeLimiter) Reserve(ctx context.Context, key string, rate Rate) (Decision, *Reservation, error) {
	d, err := f.Check(ctx, key, rate)
	return d, nil, err
}

func (f *fakeLimiter) Check(context.Context, string, Rate) (Decision, error) {
	f.calls.Add(1)
	if err := f.err.Load(); err != nil {
		return Decision{}, *err
	}
	return Decision{Allowed: true, Limit: fakeLimit, Remaining: fakeLimit}, nil
}

// logBuffer is a bytes.Buffer safe for concurrent writes, to capture slog output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// count returns how many log lines contain s.
func (b *logBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

// fallbackFixture is a Fallback over a fake primary and a Memory, on one fake clock.
type fallbackFixture struct {
	t         *testing.T
	primary   *fakeLimiter
	clock     *fakeClock
	logs      *logBuffer
	f         *Fallback
	secondary *Memory
}

func newFallbackFixture(t *testing.T, primary Limiter) *fallbackFixture {
	fx := &fallbackFixture{t: t, clock: newFakeClock(), logs: &logBuffer{}}
	fx.secondary = NewMemory(fx.clock.Now)
	if primary == nil {
		fx.primary = &fakeLimiter{}
		primary = fx.primary
	}
	log := slog.New(slog.NewTextHandler(fx.logs, nil))
	fx.f = NewFallback(primary, fx.secondary, log, WithClock(fx.clock.Now), WithProbeInterval(5*time.Second))
	return fx
}

// allow runs Allow and returns which limiter answered ("primary" or "secondary").
func (fx *fallbackFixture) allow(record bool) string {
	fx.t.Helper()
	o := opCheck
	if record {
		o = opAllow
	}
	d, _, err := call(context.Background(), fx.f, "k", perMinute(100), o)
	if err != nil {
		fx.t.Fatal(err)
	}
	if d.Limit == fakeLimit {
		return "primary"
	}
	return "secondary"
}

// expect asserts who answers the next call, the primary's call count and the log counts.
func (fx *fallbackFixture) expect(record bool, who string, calls int64, switches, recoveries int) {
	fx.t.Helper()
	if got := fx.allow(record); got != who {
		fx.t.Fatalf("answered by %s, want %s", got, who)
	}
	if got := fx.primary.calls.Load(); got != calls {
		fx.t.Fatalf("primary called %d times, want %d", got, calls)
	}
	if got := fx.logs.count(switchLog); got != switches {
		fx.t.Fatalf("%d switch logs, want %d:\n%s", got, switches, fx.logs.buf.String())
	}
	if got := fx.logs.count(recoverLog); got != recoveries {
		fx.t.Fatalf("%d recovery logs, want %d:\n%s", got, recoveries, fx.logs.buf.String())
	}
}

func TestFallback(t *testing.T) {
	t.Parallel()
	down := errors.New("connection refused")
	cases := []struct {
		name string
		run  func(fx *fallbackFixture)
	}{
		{"healthy primary answers", func(fx *fallbackFixture) {
			fx.expect(true, "primary", 1, 0, 0)
			fx.expect(false, "primary", 2, 0, 0)
		}},
		{"failing primary: secondary answers, logged once, probed per interval", func(fx *fallbackFixture) {
			fx.primary.fail(down)
			fx.expect(true, "secondary", 1, 1, 0)
			fx.expect(true, "secondary", 1, 1, 0) // not asked again within the interval
			fx.expect(false, "secondary", 1, 1, 0)
			fx.clock.Advance(5 * time.Second)
			fx.expect(true, "secondary", 2, 1, 0) // probed, still down, not logged again
			fx.expect(true, "secondary", 2, 1, 0)
			if !fx.f.Degraded() {
				fx.t.Fatal("Degraded = false while the primary is down")
			}
			// The secondary counted the four Allow calls (Check records nothing).
			d, _ := fx.secondary.Check(context.Background(), "k", perMinute(100))
			if d.Remaining != 96 {
				fx.t.Fatalf("secondary Remaining = %d, want 96", d.Remaining)
			}
		}},
		{"recovered primary is used again after the probe interval", func(fx *fallbackFixture) {
			fx.primary.fail(down)
			fx.expect(true, "secondary", 1, 1, 0)
			fx.primary.heal()
			fx.clock.Advance(4 * time.Second)
			fx.expect(true, "secondary", 1, 1, 0)
			fx.clock.Advance(time.Second)
			fx.expect(true, "primary", 2, 1, 1)
			fx.expect(true, "primary", 3, 1, 1)
			if fx.f.Degraded() {
				fx.t.Fatal("Degraded = true after recovery")
			}
			fx.primary.fail(down) // a second outage is logged again
			fx.expect(false, "secondary", 4, 2, 1)
		}},
		{"a cancelled request does not switch", func(fx *fallbackFixture) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			fx.primary.fail(context.Canceled)
			if _, err := fx.f.Allow(ctx, "k", perMinute(100)); err != nil {
				fx.t.Fatal(err)
			}
			fx.primary.heal()
			fx.expect(true, "primary", 2, 0, 0)
		}},
		{"an invalid rate is an error, not an outage", func(fx *fallbackFixture) {
			if _, err := fx.f.Allow(context.Background(), "k", Rate{}); err == nil {
				fx.t.Fatal("no error for an invalid rate")
			}
			fx.expect(true, "primary", 1, 0, 0)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(newFallbackFixture(t, nil))
		})
	}
}

func TestFallbackBothFailing(t *testing.T) {
	t.Parallel()
	primary, secondary := &fakeLimiter{}, &fakeLimiter{}
	primary.fail(errors.New("primary down"))
	secondary.fail(errors.New("secondary down"))
	f := NewFallback(primary, secondary, nil)
	if d, err := f.Allow(context.Background(), "k", perMinute(1)); err == nil {
		t.Fatalf("Allow = %+v, want an error", d)
	}
}

func TestFallbackSwitchLoggedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	fx := newFallbackFixture(t, nil)
	fx.primary.fail(errors.New("connection refused"))
	got := countAllowed(t, []Limiter{fx.f}, "k", perMinute(100), 50, 4)
	if got != 100 {
		t.Fatalf("allowed %d of 200 by the secondary, want 100", got)
	}
	if n := fx.logs.count(switchLog); n != 1 {
		t.Fatalf("%d switch logs, want 1", n)
	}
}

func TestFallbackFromUnreachableRedis(t *testing.T) {
	t.Parallel()
	fx := newFallbackFixture(t, NewRedis(unreachableClient(t), "p:", nil))
	for i, record := range []bool{true, true, false} {
		o := opCheck
		if record {
			o = opAllow
		}
		d, _, err := call(context.Background(), fx.f, "k", perMinute(100), o)
		if err != nil {
			t.Fatal(err)
		}
		if want := 99 - min(i, 1); !d.Allowed || d.Remaining != want {
			t.Fatalf("call %d = %+v, want allowed with Remaining %d from memory", i, d, want)
		}
	}
	if n := fx.logs.count(switchLog); n != 1 {
		t.Fatalf("%d switch logs, want 1:\n%s", n, fx.logs.buf.String())
	}
	if !strings.Contains(fx.logs.buf.String(), "127.0.0.1:1") {
		t.Fatalf("the switch log does not carry the cause:\n%s", fx.logs.buf.String())
	}
}

// flaky is a Limiter that fails while down is set.
type flaky struct {
	Limiter
	down atomic.Bool
}

var errFlaky = errors.New("primary down")

func (f *flaky) Allow(ctx context.Context, key string, rate Rate) (Decision, error) {
	if f.down.Load() {
		return Decision{}, errFlaky
	}
	return f.Limiter.Allow(ctx, key, rate)
}

func (f *flaky) Check(ctx context.Context, key string, rate Rate) (Decision, error) {
	if f.down.Load() {
		return Decision{}, errFlaky
	}
	return f.Limiter.Check(ctx, key, rate)
}

func (f *flaky) Reserve(ctx context.Context, key string, rate Rate) (Decision, *Reservation, error) {
	if f.down.Load() {
		return Decision{}, nil, errFlaky
	}
	return f.Limiter.Reserve(ctx, key, rate)
}

// TestFallbackReleasesWhereReserved checks that a reservation is taken back by the limiter that
// recorded it, whichever the Fallback uses when it is released.
func TestFallbackReleasesWhereReserved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newFakeClock()
	primaryMemory, secondary := NewMemory(clock.Now), NewMemory(clock.Now)
	primary := &flaky{Limiter: primaryMemory}
	f := NewFallback(primary, secondary, nil, WithClock(clock.Now))
	rate := perMinute(5)
	remaining := func(l Limiter) int {
		t.Helper()
		d, err := l.Check(ctx, "k", rate)
		if err != nil {
			t.Fatal(err)
		}
		return d.Remaining
	}

	_, onPrimary, err := f.Reserve(ctx, "k", rate)
	if err != nil || onPrimary == nil {
		t.Fatalf("Reserve while healthy: %v, %v", onPrimary, err)
	}
	primary.down.Store(true)
	_, onSecondary, err := f.Reserve(ctx, "k", rate)
	if err != nil || onSecondary == nil {
		t.Fatalf("Reserve while degraded: %v, %v", onSecondary, err)
	}
	if p, s := remaining(primaryMemory), remaining(secondary); p != 4 || s != 4 {
		t.Fatalf("remaining primary %d, secondary %d; want 4 and 4", p, s)
	}
	// Still degraded: the primary's reservation goes back to the primary all the same.
	primary.down.Store(false)
	if err := onPrimary.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if p, s := remaining(primaryMemory), remaining(secondary); p != 5 || s != 4 {
		t.Fatalf("after releasing the primary's: remaining primary %d, secondary %d; want 5 and 4", p, s)
	}
	if err := onSecondary.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if p, s := remaining(primaryMemory), remaining(secondary); p != 5 || s != 5 {
		t.Fatalf("after releasing both: remaining primary %d, secondary %d; want 5 and 5", p, s)
	}
}
