package ratelimit

import (
	"context"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// benchRates are the cases every benchmark runs: the common allowed path and the refused path
// (which also computes RetryAfter).
func benchRates() []struct {
	name string
	rate Rate
} {
	return []struct {
		name string
		rate Rate
	}{
		{"allowed", Rate{Limit: MaxLimit, Period: time.Minute}},
		{"refused", Rate{Limit: 100, Period: time.Minute}},
	}
}

func BenchmarkMemoryAllow(b *testing.B) {
	ctx := context.Background()
	for _, bc := range benchRates() {
		b.Run(bc.name, func(b *testing.B) {
			m := NewMemory(nil)
			key := "user:12345"
			for range 200 { // the key exists (and, for "refused", is over its limit)
				_, _ = m.Allow(ctx, key, bc.rate)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Allow(ctx, key, bc.rate); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMemoryAllowParallel(b *testing.B) {
	ctx := context.Background()
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "ip:10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	for _, bc := range benchRates() {
		for _, spread := range []struct {
			name string
			keys []string
		}{{"one-key", keys[:1]}, {"1024-keys", keys}} {
			b.Run(bc.name+"/"+spread.name, func(b *testing.B) {
				m := NewMemory(nil)
				for _, k := range spread.keys {
					for range 200 {
						_, _ = m.Allow(ctx, k, bc.rate)
					}
				}
				var next atomic.Int64
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					i := int(next.Add(1))
					for pb.Next() {
						if _, err := m.Allow(ctx, spread.keys[i%len(spread.keys)], bc.rate); err != nil {
							b.Error(err)
							return
						}
						i++
					}
				})
			})
		}
	}
}

func BenchmarkRedisAllow(b *testing.B) {
	if os.Getenv("TEST_REDIS_URL") == "" {
		b.Skip("TEST_REDIS_URL is not set") // a benchmark, not a test: no failure in CI
	}
	ctx := context.Background()
	client := newTestClient(b)
	for _, bc := range benchRates() {
		b.Run(bc.name, func(b *testing.B) {
			l := NewRedis(client, testPrefix(b, client), nil)
			for range 200 {
				_, _ = l.Allow(ctx, "user:12345", bc.rate)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Allow(ctx, "user:12345", bc.rate); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
