package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// maxBatch bounds how many write transactions one SQLite transaction carries, so that the
// first of them does not wait for its commit behind an unbounded queue.
const maxBatch = 32

// writeBatch runs SQLite's write transactions in arrival order, and those that arrive while
// others run together: one SQLite transaction (one BEGIN IMMEDIATE, one commit) carries each
// of them in a savepoint of its own. A transaction whose function fails is rolled back to its
// savepoint and the others go on, so each one still commits or rolls back as a whole, and
// since they run one after another in one writer, each sees exactly what a serial order would
// show it. What they share is the commit: pages several of them change (the end of a table
// and of its indexes, the audit log, a firm's counters) are written to the log once per batch
// instead of once each.
//
// There is no goroutine of its own: the first caller to find no batch under way leads one,
// running everything queued at that moment (up to maxBatch); when it is done, it hands the
// lead to the first of those that queued meanwhile.
type writeBatch struct {
	mu      sync.Mutex
	pending []*writeReq
	leading bool
	// batches and carried count the SQLite transactions begun and the write transactions
	// they carried (tested; see DB.WriteBatchStats).
	batches, carried atomic.Int64
}

// WriteBatchStats reports how many SQLite transactions the writer has begun for Tx and how many
// of Tx's transactions they carried (both 0 on PostgreSQL).
func (d *DB) WriteBatchStats() (batches, transactions int64) {
	if d.batch == nil {
		return 0, 0
	}
	return d.batch.batches.Load(), d.batch.carried.Load()
}

// WritesQueued reports how many write transactions wait for or run in the writer (0 on
// PostgreSQL, whose writers do not queue here).
func (d *DB) WritesQueued() int {
	if d.batch == nil {
		return 0
	}
	d.batch.mu.Lock()
	defer d.batch.mu.Unlock()
	return len(d.batch.pending)
}

// writeReq is one caller's transaction in the queue.
type writeReq struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx bun.Tx) error
	hooks commitHooks
	err   error
	// panicked holds what fn panicked with, re-raised in the caller's goroutine.
	panicked any
	// done carries true when err is the outcome, false when the caller is to lead the next batch.
	done chan bool
}

// errBatchAborted is the outcome of transactions whose batch SQLite rolled back as a whole
// (an I/O error, a full disk): none of them was written.
var errBatchAborted = errors.New("db: write batch rolled back")

// errNestedTx is what Tx returns on SQLite when called inside another Tx's function: the inner
// transaction would wait for the writer its own caller holds, for ever.
var errNestedTx = errors.New("db: Tx called inside a transaction; use the transaction it was given")

// run queues fn and returns its outcome once its batch has committed or rolled back.
func (b *writeBatch) run(ctx context.Context, d *DB, fn func(ctx context.Context, tx bun.Tx) error) (commitHooks, error) {
	if ctx.Value(inTxKey{}) != nil {
		return nil, errNestedTx
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan bool, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, req)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if !lead && <-req.done {
		return req.outcome()
	}
	b.lead(d)
	return req.outcome()
}

func (r *writeReq) outcome() (commitHooks, error) {
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.hooks, r.err
}

// lead runs the queued transactions (the leader's own is the first), then hands the lead on.
func (b *writeBatch) lead(d *DB) {
	b.mu.Lock()
	n := min(len(b.pending), maxBatch)
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	if len(b.pending) == 0 {
		b.pending = nil // let the served requests go
	}
	b.mu.Unlock()
	b.batches.Add(1)
	b.carried.Add(int64(n))

	runBatch(d, batch)

	b.mu.Lock()
	var next *writeReq
	if len(b.pending) > 0 {
		next = b.pending[0]
	} else {
		b.leading = false
	}
	b.mu.Unlock()
	for _, r := range batch[1:] {
		r.done <- true
	}
	if next != nil {
		next.done <- false
	}
}

// runBatch runs each transaction of batch in its own savepoint of one SQLite transaction and
// commits them together. Every request comes out with its err set: nil only if its writes
// were committed.
func runBatch(d *DB, batch []*writeReq) {
	// Marked as a transaction's, like every statement below: the change hook reports writes
	// made outside Tx, and Tx reports these once they are committed.
	tx, err := d.W.BeginTx(context.WithValue(context.Background(), inTxKey{}, true), &sql.TxOptions{})
	if err != nil {
		for _, r := range batch {
			r.err = err
		}
		return
	}
	aborted := false
	for _, r := range batch {
		if aborted {
			r.err = errBatchAborted
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		aborted = runOne(tx, d, r)
	}
	if aborted {
		_ = tx.Rollback()
		for _, r := range batch {
			if r.err == nil {
				r.err = errBatchAborted
			}
		}
		return
	}
	if err := tx.Commit(); err != nil {
		for _, r := range batch {
			if r.err == nil {
				r.err = err
			}
		}
	}
}

// runOne runs one transaction's function in a savepoint, rolling back to it when the function
// fails or panics. It reports whether the whole SQLite transaction is lost (a savepoint that
// cannot be opened, released or rolled back to). The function runs without its caller's
// cancellation: interrupting a statement can make SQLite roll back the whole transaction,
// the others' writes with it; a caller that has gone away before its turn is skipped instead.
func runOne(tx bun.Tx, d *DB, r *writeReq) (aborted bool) {
	ctx := context.WithValue(context.WithoutCancel(r.ctx), inTxKey{}, true)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT write"); err != nil {
		r.err = err
		return true
	}
	ctx = context.WithValue(ctx, commitHooksKey{}, &r.hooks)
	r.err = callCaught(ctx, tx, d, r)
	if r.err == nil {
		if _, err := tx.ExecContext(ctx, "RELEASE write"); err != nil {
			r.err = err
			return true
		}
		return false
	}
	if _, err := tx.ExecContext(ctx, "ROLLBACK TO write"); err != nil {
		return true
	}
	_, err := tx.ExecContext(ctx, "RELEASE write")
	return err != nil
}

// callCaught runs the function as Tx's caller would, turning a panic into an error here (the
// batch goes on) and keeping the value to re-raise in the caller's goroutine.
func callCaught(ctx context.Context, tx bun.Tx, d *DB, r *writeReq) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked = p
			err = fmt.Errorf("db: transaction panicked: %v", p)
		}
	}()
	return d.watched(ctx, tx, r.fn)
}
