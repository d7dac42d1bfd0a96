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
