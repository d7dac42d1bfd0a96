package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// openTestDB opens the test database (closed when the test ends) and a context that ends with
// the test or after a minute.
func openTestDB(t *testing.T) (context.Context, *db.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	d, err := db.Open(ctx, testkit.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return ctx, d
}

// AfterCommit defers its function past a transaction's commit, where a reader already sees
// the write; a rolled-back transaction never runs it; outside a transaction it runs at once.
func TestAfterCommitRunsOnceTheWriteIsVisible(t *testing.T) {
	t.Parallel()
	ctx, d := openTestDB(t)
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE marks (id TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := d.R.NewSelect().Table("marks").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	seen := -1
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO marks (id) VALUES ('a')"); err != nil {
			return err
		}
		db.AfterCommit(ctx, func() { seen = count() })
		if seen != -1 {
			t.Error("AfterCommit ran inside the transaction")
		}
		return nil
	})
	if err != nil || seen != 1 {
		t.Fatalf("after commit: err %v, a reader saw %d rows, want 1", err, seen)
	}
	ran := false
	err = d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		db.AfterCommit(ctx, func() { ran = true })
		return errors.New("give up")
	})
	if err == nil || ran {
		t.Fatalf("rolled back: err %v, ran %v; want an error and no run", err, ran)
	}
	db.AfterCommit(ctx, func() { ran = true })
	if !ran {
		t.Fatal("outside a transaction AfterCommit did not run at once")
	}
}
