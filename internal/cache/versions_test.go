package cache

import (
	"context"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
)

func TestLocalVersionsPerFirm(t *testing.T) {
	var l Local
	a, b, anyFirm := db.WithFirm(context.Background(), "a"), db.WithFirm(context.Background(), "b"), context.Background()
	version := func(ctx context.Context) uint64 {
		v, err := l.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	va, vb := version(a), version(b)
	l.Bump(a)
	if version(a) == va || version(b) != vb {
		t.Fatalf("a firm's write: a %d→%d, b %d→%d; want only a to move", va, version(a), vb, version(b))
	}
	va, vb = version(a), version(b)
	l.Bump(anyFirm)
	if version(a) != va || version(b) != vb {
		t.Fatalf("a write that names no firm must move no firm's version: a %d→%d, b %d→%d", va, version(a), vb, version(b))
	}
}
