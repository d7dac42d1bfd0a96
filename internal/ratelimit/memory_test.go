package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	testLimiter(t, func(t *testing.T, now func() time.Time) Limiter { return NewMemory(now) })
}

// countAllowed hits key from goroutines×perGoroutine concurrent Allow calls spread over limiters
// and returns how many were allowed.
func countAllowed(t *testing.T, limiters []Limiter, key string, rate Rate, goroutines, perGoroutine int) int {
	t.Helper()
	var allowed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		l := limiters[g%len(limiters)]
		wg.Go(func() {
			<-start
			for range perGoroutine {
				d, err := l.Allow(context.Background(), key, rate)
				if err != nil {
					t.Error(err)
					return
				}
				if d.Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	return int(allowed.Load())
}

func TestMemoryConcurrentAllowsExactlyLimit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		limit        int
		perGoroutine int
		want         int
	}{
		{"over the limit", 100, 5, 100},
		{"exactly the limit", 100, 2, 100},
		{"under the limit", 200, 3, 150},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := NewMemory(newFakeClock().Now)
			got := countAllowed(t, []Limiter{m}, "k", perMinute(tc.limit), 50, tc.perGoroutine)
			if got != tc.want {
				t.Fatalf("allowed %d of %d, want %d", got, 50*tc.perGoroutine, tc.want)
			}
		})
	}
}

func TestMemoryEvictsIdleKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newFakeClock()
	m := newMemory(clock.Now, 1) // one shard, so every call can sweep every key
	allow := func(key string, rate Rate) {
		t.Helper()
		if d, err := m.Allow(ctx, key, rate); err != nil || !d.Allowed {
			t.Fatalf("Allow(%s) = %+v, %v", key, d, err)
		}
	}
	wantLen := func(want int) {
		t.Helper()
		if got := m.Len(); got != want {
			t.Fatalf("Len = %d, want %d", got, want)
		}
	}

	allow("a", perMinute(5)) // sweeps the empty shard; the next sweep is due at +60s
	allow("b", perMinute(5))
	allow("b", Rate{Limit: 5, Period: time.Hour})
	if _, err := m.Check(ctx, "never-hit", perMinute(5)); err != nil {
		t.Fatal(err)
	}
	wantLen(3) // Check stores nothing

	clock.Set(30 * time.Second)
	allow("c", perMinute(5))
	wantLen(4) // not due yet

	clock.Set(61 * time.Second)
	allow("d", perMinute(5))
	wantLen(3) // a and b's minute windows are idle; b's hour window and c are not

	clock.Set(2*time.Hour + time.Second)
	allow("a", perMinute(5))
	wantLen(1)
	// A swept key starts afresh.
	d, err := m.Allow(ctx, "a", perMinute(5))
	if err != nil || d.Remaining != 3 {
		t.Fatalf("Allow(a) = %+v, %v; want Remaining 3", d, err)
	}
}

// TestMemoryAllowDoesNotAllocate is not parallel: testing.AllocsPerRun counts the allocations of
// the whole process, so it must run while the parallel tests are paused.
func TestMemoryAllowDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(newFakeClock().Now)
	cases := []struct {
		name string
		rate Rate
		run  func(Rate) (Decision, error)
	}{
		{"Allow, allowed", Rate{Limit: MaxLimit, Period: time.Minute},
			func(r Rate) (Decision, error) { return m.Allow(ctx, "allowed", r) }},
		{"Allow, refused", Rate{Limit: 1, Period: time.Minute},
			func(r Rate) (Decision, error) { return m.Allow(ctx, "refused", r) }},
		{"Check, existing key", Rate{Limit: 1, Period: time.Minute},
			func(r Rate) (Decision, error) { return m.Check(ctx, "refused", r) }},
		{"Check, unknown key", Rate{Limit: 1, Period: time.Minute},
			func(r Rate) (Decision, error) { return m.Check(ctx, "unknown", r) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.run(tc.rate); err != nil { // creates the key
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := tc.run(tc.rate); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Fatalf("%v allocations per call, want 0", allocs)
			}
		})
	}
}

// reserveConcurrently makes n concurrent Reserve calls for key spread over limiters and returns
// the reservations handed out.
func reserveConcurrently(t *testing.T, limiters []Limiter, key string, rate Rate, n int) []*Reservation {
	t.Helper()
	var mu sync.Mutex
	var got []*Reservation
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		l := limiters[i%len(limiters)]
		wg.Go(func() {
			<-start
			d, r, err := l.Reserve(context.Background(), key, rate)
			if err != nil {
				t.Error(err)
				return
			}
			if d.Allowed != (r != nil) {
				t.Errorf("Reserve: allowed=%v with reservation %v", d.Allowed, r)
			}
			if r != nil {
				mu.Lock()
				got = append(got, r)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return got
}

// testConcurrentReservations checks that n concurrent attempts reserve exactly the limit, and
// that releasing them concurrently frees the whole budget again.
func testConcurrentReservations(t *testing.T, limiters []Limiter) {
	t.Helper()
	rate := Rate{Limit: 10, Period: 15 * time.Minute}
	got := reserveConcurrently(t, limiters, "login", rate, 30)
	if len(got) != 10 {
		t.Fatalf("%d of 30 concurrent attempts reserved, want 10", len(got))
	}
	var wg sync.WaitGroup
	for _, r := range got {
		wg.Go(func() {
			if err := r.Release(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, l := range limiters {
		d, err := l.Check(context.Background(), "login", rate)
		if err != nil || !d.Allowed || d.Remaining != 10 {
			t.Fatalf("after releasing every reservation: %+v, %v; want all 10 free", d, err)
		}
	}
	if again := reserveConcurrently(t, limiters, "login", rate, 30); len(again) != 10 {
		t.Fatalf("after the releases %d of 30 reserved, want 10", len(again))
	}
}

func TestMemoryConcurrentReservations(t *testing.T) {
	t.Parallel()
	testConcurrentReservations(t, []Limiter{NewMemory(newFakeClock().Now)})
}
