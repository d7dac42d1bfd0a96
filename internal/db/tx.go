package db

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
)

// Tx runs fn inside one transaction on the writer: committed when fn returns nil, rolled back
// otherwise (and on panic). Errors come back translated (see Translate). fn receives the
// transaction, which it must use for every statement, reads included, so that all of them see
// the same snapshot.
//
// On SQLite, transactions queue for the single writer in arrival order, and those queued
// together commit together (see writeBatch): each is still all or nothing, and the commit's
// log writes are shared. A queue of its own, because database/sql hands a freed connection to
// a random waiter, which left some writers waiting through many others (time-entry create p99
// 53 ms at 16 writers; 31 ms first come, first served).
func (d *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	var hooks commitHooks
	var err error
	if d.batch != nil {
		hooks, err = d.batch.run(ctx, d, fn)
	} else {
		h := new(commitHooks)
		err = d.W.RunInTx(context.WithValue(context.WithValue(ctx, inTxKey{}, true), commitHooksKey{}, h), &sql.TxOptions{},
			func(ctx context.Context, tx bun.Tx) error { return d.watched(ctx, tx, fn) })
		hooks = *h
	}
	if w := WatcherOf(ctx); w != nil {
		w.Finished(err == nil)
	}
	d.notifyChange(ctx)
	if err == nil {
		for _, h := range hooks {
			h()
		}
	}
	return Translate(err)
}

type commitHooksKey struct{}

// commitHooks are the functions AfterCommit deferred in one transaction.
type commitHooks []func()

// AfterCommit runs fn once the transaction of ctx has committed, and not at all if it rolls
// back; outside a transaction (a single statement that has already run) it runs fn at once.
// Caches of what a write changed use it: told before the commit, a reader could still load
// the old rows and keep them under the new version.
func AfterCommit(ctx context.Context, fn func()) {
	if hooks, ok := ctx.Value(commitHooksKey{}).(*commitHooks); ok {
		*hooks = append(*hooks, fn)
		return
	}
	fn()
}

// SerialWrites reports whether write transactions run one at a time (SQLite's single writer,
// BEGIN IMMEDIATE). Then nothing another transaction commits can appear between a transaction's
// reads and its writes: row locks and re-reads that guard against that can be skipped.
func (d *DB) SerialWrites() bool { return d.Dialect == SQLite }

// ForUpdate locks the rows q selects until the transaction ends, unless writes are serial.
func (d *DB) ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if d.SerialWrites() {
		return q
	}
	return q.For("UPDATE")
}
