package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/redis/go-redis/v9"
)

// testRedis returns a client for TEST_REDIS_URL (CI must provide one) and a key prefix of this
// test alone, whose keys are deleted when it ends.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("TEST_REDIS_URL is not set; CI must provide Redis")
		}
		t.Skip("TEST_REDIS_URL is not set")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opts)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "cache-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
		_ = client.Close()
	})
	return client, prefix
}

// Authentication reads the auth version and the data version in one round trip; the response
// cache of the same request then takes the data version from the request's memo. A write of the
// request itself, or a new request, reads Redis again and sees every bump.
func TestPairedReadsTheDataVersionAhead(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	log := slog.New(slog.DiscardHandler)
	auth, data := NewRedis(client, prefix+"auth:", log), NewRedis(client, prefix+"data:", log)
	paired := Paired{Redis: auth, Data: data}
	firm := db.WithFirm(context.Background(), "f1")
	data.Bump(firm)
	data.Bump(firm)
	auth.Bump(firm)

	read := func(v versionReader, ctx context.Context) uint64 {
		t.Helper()
		n, err := v.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	req := WithMemo(firm)
	if got := read(paired, req); got != 1 {
		t.Fatalf("auth version %d, want 1", got)
	}
	// Another server's write lands after the request read its versions.
	if err := client.Incr(context.Background(), prefix+"data:firm:f1").Err(); err != nil {
		t.Fatal(err)
	}
	if got := read(data, req); got != 2 {
		t.Fatalf("data version within the request %d, want the 2 read ahead", got)
	}
	if got := read(data, WithMemo(firm)); got != 3 {
		t.Fatalf("data version of the next request %d, want 3", got)
	}
	// The request's own write forgets what it read ahead.
	data.Bump(req)
	if got := read(data, req); got != 4 {
		t.Fatalf("data version after the request's own write %d, want 4", got)
	}
	// Without a memo, and for another firm, each version is read on its own.
	if got := read(paired, firm); got != 1 {
		t.Fatalf("auth version without a memo %d, want 1", got)
	}
	other := WithMemo(db.WithFirm(context.Background(), "f2"))
	if got := read(paired, other); got != 0 {
		t.Fatalf("other firm's auth version %d, want 0", got)
	}
	if got := read(data, other); got != 0 {
		t.Fatalf("other firm's data version %d, want 0", got)
	}
}

// versionReader is what both stores answer (the auth and the data version).
type versionReader interface {
	Current(ctx context.Context) (uint64, error)
}
