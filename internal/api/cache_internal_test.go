package api

import (
	"strings"
	"testing"
	"time"
)

func TestResponseCacheStaysWithinItsBytes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewResponseCache(nil, 100, time.Minute, func() time.Time { return now })
	body := func(n int) []byte { return []byte(strings.Repeat("x", n)) }
	c.store("a", &cachedResponse{version: 1, stored: now, status: 200, body: body(60)})
	c.store("b", &cachedResponse{version: 1, stored: now, status: 200, body: body(60)}) // would pass 100: kept out
	if c.lookup("a", 1) == nil || c.lookup("b", 1) != nil || c.bytes != 60 {
		t.Fatalf("after overfilling: a=%v b=%v bytes=%d", c.lookup("a", 1) != nil, c.lookup("b", 1) != nil, c.bytes)
	}
	// A newer version makes room by dropping the older entries.
	c.store("b", &cachedResponse{version: 2, stored: now, status: 200, body: body(60)})
	if c.lookup("a", 1) != nil || c.lookup("b", 2) == nil || c.bytes != 60 {
		t.Fatalf("older version not dropped: bytes=%d", c.bytes)
	}
	// Replacing an entry does not count it twice.
	c.store("b", &cachedResponse{version: 2, stored: now, status: 200, body: body(30)})
	if c.bytes != 30 {
		t.Fatalf("bytes after replacing = %d, want 30", c.bytes)
	}
	// An entry is served only at its version and within its maximum age.
	if c.lookup("b", 3) != nil {
		t.Fatal("served at another version")
	}
	now = now.Add(61 * time.Second)
	if c.lookup("b", 2) != nil {
		t.Fatal("served past its maximum age")
	}
}
