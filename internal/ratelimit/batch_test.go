package ratelimit

import (
	"context"
	"testing"
	"time"
)

// AllowAll decides like Allow called for each hit in turn, on every limiter: the hits it allows
// are recorded, a refused one is not, and later calls see both. On Redis the script may be
// unknown to the server (flushed here): it is loaded and the batch sent again.
func TestAllowAllMatchesAllowInTurn(t *testing.T) {
	t.Parallel()
	client := newTestClient(t)
	hits := []Hit{
		{Key: "burst:user:1", Rate: Rate{Limit: 2, Period: time.Second}},
		{Key: "sustained:user:1", Rate: Rate{Limit: 3, Period: time.Minute}},
	}
	limiters := map[string]func(now func() time.Time) Limiter{
		"memory": func(now func() time.Time) Limiter { return NewMemory(now) },
		"redis":  func(now func() time.Time) Limiter { return NewRedis(client, testPrefix(t, client), now) },
		"fallback": func(now func() time.Time) Limiter {
			return NewFallback(NewRedis(client, testPrefix(t, client), now), NewMemory(now), nil)
		},
	}
	for name, newLimiter := range limiters {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			clock := newFakeClock()
			batched, inTurn := newLimiter(clock.Now), newLimiter(clock.Now)
			if name == "redis" {
				if err := client.ScriptFlush(ctx).Err(); err != nil {
					t.Fatal(err)
				}
			}
			// Allowed, allowed, burst refused (sustained spends its last), both refused.
			wantAllowed := [][2]bool{{true, true}, {true, true}, {false, true}, {false, false}}
			for call, want := range wantAllowed {
				got, err := AllowAll(ctx, batched, hits)
				if err != nil {
					t.Fatalf("call %d: %v", call+1, err)
				}
				for i, h := range hits {
					d, err := inTurn.Allow(ctx, h.Key, h.Rate)
					if err != nil {
						t.Fatal(err)
					}
					if got[i] != d {
						t.Errorf("call %d, %s: AllowAll %+v, Allow %+v", call+1, h.Key, got[i], d)
					}
					if got[i].Allowed != want[i] {
						t.Errorf("call %d, %s: allowed %v, want %v", call+1, h.Key, got[i].Allowed, want[i])
					}
				}
				clock.Advance(10 * time.Millisecond)
			}
		})
	}
}

// AllowAllReading decides like AllowAll and brings back the keys it was asked to read, in the
// same call: a set key's value, nil for a missing one. Without Redis it reads nothing.
func TestAllowAllReadingReadsAlong(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := newTestClient(t)
	prefix := testPrefix(t, client)
	if err := client.Set(ctx, prefix+"version", "41", 0).Err(); err != nil {
		t.Fatal(err)
	}
	hits := []Hit{{Key: "burst:user:1", Rate: Rate{Limit: 1, Period: time.Second}}}
	clock := newFakeClock()
	l := NewRedis(client, prefix, clock.Now)
	for call, want := range []bool{true, false} {
		ds, vals, err := AllowAllReading(ctx, l, hits, []string{prefix + "version", prefix + "missing"})
		if err != nil {
			t.Fatal(err)
		}
		if ds[0].Allowed != want || len(vals) != 2 || vals[0] != "41" || vals[1] != nil {
			t.Fatalf("call %d: allowed %v, values %#v; want %v, [41 nil]", call, ds[0].Allowed, vals, want)
		}
	}
	ds, vals, err := AllowAllReading(ctx, NewMemory(clock.Now), hits, []string{prefix + "version"})
	if err != nil || !ds[0].Allowed || vals != nil {
		t.Fatalf("memory: %v, %#v, %v; want allowed and nothing read", ds, vals, err)
	}
	f := NewFallback(NewRedis(unreachableClient(t), prefix, clock.Now), NewMemory(clock.Now), nil)
	ds, vals, err = AllowAllReading(ctx, f, hits, []string{prefix + "version"})
	if err != nil || !ds[0].Allowed || vals != nil {
		t.Fatalf("fallback without Redis: %v, %#v, %v; want the memory's decision and nothing read", ds, vals, err)
	}
}
