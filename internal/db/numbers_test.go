package db_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

func insertFirm(t *testing.T, d *db.DB) string {
	t.Helper()
	id := db.NewID()
	now := db.Stamp(time.Now())
	if _, err := d.W.ExecContext(context.Background(),
		"INSERT INTO firms (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", id, "Firm "+id, now, now); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestNextNumberIsConsecutiveUnderConcurrency(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	firm := insertFirm(t, d)
	other := insertFirm(t, d)
	const n = 50
	got := make([]int64, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- d.Tx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				v, err := db.NextNumber(ctx, tx, firm, "proposal", 2026)
				got[i] = v
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(got)
	for i, v := range got {
		if v != int64(i+1) {
			t.Fatalf("numbers are not 1..%d without gaps or repeats: %v", n, got)
		}
	}
	// Sequences are per firm, per kind and per year.
	ctx := context.Background()
	for _, c := range []struct {
		firm, kind string
		year       int
	}{{other, "proposal", 2026}, {firm, "contract", 2026}, {firm, "proposal", 2027}} {
		var v int64
		err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
			v, err = db.NextNumber(ctx, tx, c.firm, c.kind, c.year)
			return err
		})
		if err != nil || v != 1 {
			t.Errorf("%+v starts at %d (%v), want 1", c, v, err)
		}
	}
}

func TestNextNumberRollsBackWithItsTransaction(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	firm := insertFirm(t, d)
	ctx := context.Background()
	_ = d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := db.NextNumber(ctx, tx, firm, "invoice", 2026); err != nil {
			t.Fatal(err)
		}
		return context.Canceled // roll back
	})
	var v int64
	if err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
		v, err = db.NextNumber(ctx, tx, firm, "invoice", 2026)
		return err
	}); err != nil || v != 1 {
		t.Fatalf("after a rollback the next number is %d (%v), want 1: numbers stay gapless", v, err)
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int64
		want string
	}{{1, "PROP-2026-001"}, {42, "PROP-2026-042"}, {999, "PROP-2026-999"}, {1000, "PROP-2026-1000"}} {
		if got := db.FormatNumber("PROP", 2026, c.n); got != c.want {
			t.Errorf("FormatNumber(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
