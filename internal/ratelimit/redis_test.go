package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisURL returns TEST_REDIS_URL. Without it the test is skipped, unless CI is set: CI must
// provide Redis, so a missing one is a failure there.
func redisURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("TEST_REDIS_URL is not set; CI must provide Redis")
		}
		tb.Skip("TEST_REDIS_URL is not set")
	}
	return url
}

// newTestClient returns a client for TEST_REDIS_URL, closed when the test ends.
func newTestClient(tb testing.TB) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(redisURL(tb))
	if err != nil {
		tb.Fatalf("TEST_REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	tb.Cleanup(func() { _ = client.Close() })
	if err := client.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("redis at TEST_REDIS_URL: %v", err)
	}
	return client
}

// testPrefix returns a key prefix no other test or run uses, and deletes its keys when the test
// ends.
func testPrefix(tb testing.TB, client *redis.Client) string {
	tb.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "ratelimit-test:" + hex.EncodeToString(b) + ":"
	tb.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			if err := client.Del(ctx, iter.Val()).Err(); err != nil {
				tb.Errorf("cleanup: %v", err)
			}
		}
		if err := iter.Err(); err != nil {
			tb.Errorf("cleanup: %v", err)
		}
	})
	return prefix
}

func TestRedis(t *testing.T) {
	t.Parallel()
	client := newTestClient(t)
	testLimiter(t, func(t *testing.T, now func() time.Time) Limiter {
		return NewRedis(client, testPrefix(t, client), now)
	})
}

func TestRedisInstancesShareOneBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newFakeClock()
	a, b := newTestClient(t), newTestClient(t)
	prefix := testPrefix(t, a)
	instances := []Limiter{NewRedis(a, prefix, clock.Now), NewRedis(b, prefix, clock.Now)}

	t.Run("alternating", func(t *testing.T) {
		allowed := 0
		for i := range 120 {
			d, err := instances[i%2].Allow(ctx, "alternating", perMinute(100))
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed {
				allowed++
			}
		}
		if allowed != 100 {
			t.Fatalf("allowed %d of 120, want 100", allowed)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		if got := countAllowed(t, instances, "concurrent", perMinute(100), 50, 3); got != 100 {
			t.Fatalf("allowed %d of 150, want 100", got)
		}
	})
	t.Run("concurrent reservations", func(t *testing.T) {
		testConcurrentReservations(t, instances)
	})
}

func TestRedisStorage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := newTestClient(t)
	clock := newFakeClock()
	clock.Set(123456789 * time.Microsecond) // a time whose µs would lose digits in Lua's %.14g
	l := NewRedis(client, testPrefix(t, client), clock.Now)
	rate := perMinute(5)
	key := l.key("k", rate)

	if _, err := l.Check(ctx, "k", rate); err != nil {
		t.Fatal(err)
	}
	if n := client.Exists(ctx, key).Val(); n != 0 {
		t.Fatalf("Check created %s", key)
	}
	if _, err := l.Allow(ctx, "k", rate); err != nil {
		t.Fatal(err)
	}
	now := clock.Now().UnixMicro()
	slot := spanOf(rate).slotOf(now)
	stored, err := client.Get(ctx, key).Result()
	if err != nil || len(stored) != slotCount*slotBytes {
		t.Fatalf("stored window = %d bytes, %v; want %d", len(stored), err, slotCount*slotBytes)
	}
	record := stored[slot*slotBytes : (slot+1)*slotBytes]
	if count, last := binary.LittleEndian.Uint32([]byte(record)), int64(binary.LittleEndian.Uint64([]byte(record[4:]))); count != 1 || last != now {
		t.Fatalf("slot %d = %d hits, newest %d; want 1 at %d exactly", slot, count, last, now)
	}
	for i := range slotCount {
		if i != slot && strings.Trim(stored[i*slotBytes:(i+1)*slotBytes], "\x00") != "" {
			t.Fatalf("slot %d holds %x, want empty", i, stored[i*slotBytes:(i+1)*slotBytes])
		}
	}
	ttl := client.PTTL(ctx, key).Val()
	if ttl <= 0 || ttl > time.Minute+4*time.Second {
		t.Fatalf("TTL = %v, want (0, 64s]", ttl)
	}
	if !strings.HasSuffix(key, "|5/60000000") {
		t.Fatalf("key %q does not name the rate", key)
	}
}

func TestRedisErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		client redis.UniversalClient
	}{
		{"no client", nil},
		{"unreachable", unreachableClient(t)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := NewRedis(tc.client, "p:", newFakeClock().Now)
			if d, err := l.Allow(context.Background(), "k", perMinute(1)); err == nil {
				t.Fatalf("Allow = %+v, want an error", d)
			}
			if d, err := l.Check(context.Background(), "k", perMinute(1)); err == nil {
				t.Fatalf("Check = %+v, want an error", d)
			}
		})
	}
}

// unreachableClient returns a go-redis client for a closed port with short timeouts and no
// retries, closed when the test ends.
func unreachableClient(tb testing.TB) *redis.Client {
	client := redis.NewClient(&redis.Options{
		Addr:               "127.0.0.1:1",
		DialTimeout:        200 * time.Millisecond,
		ReadTimeout:        200 * time.Millisecond,
		MaxRetries:         -1,
		DialerRetries:      1,
		DialerRetryTimeout: 10 * time.Millisecond,
	})
	tb.Cleanup(func() { _ = client.Close() })
	return client
}
