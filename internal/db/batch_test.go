package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Transactions that queue while another holds the writer commit together on SQLite, yet each
// stays all or nothing: one that fails, panics or whose caller has gone leaves no row and runs
// no after-commit hook, the others are written; each sees the writes of those before it in
// the batch, as in a serial order. On PostgreSQL the same outcomes hold without a queue.
func TestQueuedWritesCommitTogetherEachAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx, d := openTestDB(t)
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE marks (id TEXT PRIMARY KEY, seen INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	insert := func(ctx context.Context, tx bun.Tx, id string) (int, error) {
		var seen int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM marks").Scan(&seen); err != nil {
			return 0, err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO marks (id, seen) VALUES (?, ?)", id, seen)
		return seen, err
	}
	var hooks atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if _, err := insert(ctx, tx, "first"); err != nil {
				return err
			}
			db.AfterCommit(ctx, func() { hooks.Add(1) })
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	b0, t0 := d.WriteBatchStats()

	const n = 20
	gone, goneCancel := context.WithCancel(ctx)
	goneCancel()
	fails := func(i int) bool { return i%5 == 0 || i == 3 || i == 7 }
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			tctx := ctx
			if i == 3 {
				tctx = gone
			}
			errs[i] = d.Tx(tctx, func(ctx context.Context, tx bun.Tx) error {
				if _, err := insert(ctx, tx, fmt.Sprint(i)); err != nil {
					return err
				}
				db.AfterCommit(ctx, func() { hooks.Add(1) })
				switch {
				case i == 7:
					panic("boom")
				case i%5 == 0:
					return errors.New("give up")
				}
				return nil
			})
		})
	}
	if d.Dialect == db.SQLite {
		for d.WritesQueued() < n {
			if ctx.Err() != nil {
				t.Fatalf("only %d of %d transactions queued", d.WritesQueued(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("the first transaction: %v", err)
	}

	ok := 0
	for i := range n {
		switch {
		case i == 7:
			if panics[i] != "boom" {
				t.Errorf("transaction 7 panicked with %v in its caller, want boom", panics[i])
			}
		case fails(i):
			if errs[i] == nil {
				t.Errorf("transaction %d: no error", i)
			}
		default:
			ok++
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("transaction %d: error %v, panic %v", i, errs[i], panics[i])
			}
		}
	}
	var ids []string
	var seen []int
	rows, err := d.R.QueryContext(ctx, "SELECT id, seen FROM marks ORDER BY seen")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var s int
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		ids, seen = append(ids, id), append(seen, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if present := slices.Contains(ids, fmt.Sprint(i)); present == fails(i) {
			t.Errorf("transaction %d (fails: %v): its row present: %v", i, fails(i), present)
		}
	}
	if len(ids) != ok+1 || int(hooks.Load()) != ok+1 {
		t.Errorf("%d rows and %d after-commit hooks, want %d of each", len(ids), hooks.Load(), ok+1)
	}
	if d.Dialect != db.SQLite {
		return
	}
	// Serial: each committed transaction saw the rows of every committed one before it.
	for i, s := range seen {
		if s != i {
			t.Fatalf("rows saw %v rows before them, want 0, 1, 2, …", seen)
		}
	}
	b1, t1 := d.WriteBatchStats()
	if b1-b0 != 1 || t1-t0 != n {
		t.Fatalf("the %d queued transactions took %d SQLite transactions carrying %d, want 1 carrying %d", n, b1-b0, t1-t0, n)
	}
}

// On SQLite a Tx inside another's function fails at once instead of waiting for the writer its
// own caller holds.
func TestNestedTxFailsInsteadOfWaiting(t *testing.T) {
	t.Parallel()
	ctx, d := openTestDB(t)
	if d.Dialect != db.SQLite {
		return // PostgreSQL's writers do not queue: an inner transaction is simply another one
	}
	var inner error
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inner = d.Tx(ctx, func(context.Context, bun.Tx) error { return nil })
		return nil
	})
	if err != nil || inner == nil {
		t.Fatalf("outer: %v; inner: %v, want the outer committed and the inner refused", err, inner)
	}
}
