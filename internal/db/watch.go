package db

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// A Watcher follows the write transactions Tx runs under a context that carries it (see
// WithWatcher): the audit log records each change in the transaction that makes it. Its methods
// run on the transaction's goroutine, one transaction at a time.
type Watcher interface {
	// Begin runs first in the transaction of d; the watcher may read through tx until End.
	Begin(ctx context.Context, d *DB, tx bun.Tx)
	// Writing runs before each statement of the transaction other than a plain SELECT, with the
	// statement's model (nil for a table-less statement): the rows it changes are still as
	// they were.
	Writing(ctx context.Context, model any)
	// Inserted runs after an INSERT of model succeeded.
	Inserted(model any)
	// End runs after the transaction's function succeeded, before the commit; an error rolls
	// the transaction back.
	End(ctx context.Context) error
	// Finished runs once the transaction is over, committed or not.
	Finished(committed bool)
}

type watcherKey struct{}

// WithWatcher makes w follow the transactions Tx runs with ctx.
func WithWatcher(ctx context.Context, w Watcher) context.Context {
	return context.WithValue(ctx, watcherKey{}, w)
}

// WatcherOf returns the Watcher of ctx, or nil.
func WatcherOf(ctx context.Context) Watcher {
	w, _ := ctx.Value(watcherKey{}).(Watcher)
	return w
}

// watched runs fn in tx under the watcher of ctx, if any.
func (d *DB) watched(ctx context.Context, tx bun.Tx, fn func(ctx context.Context, tx bun.Tx) error) error {
	w := WatcherOf(ctx)
	if w == nil {
		return fn(ctx, tx)
	}
	ctx = context.WithValue(ctx, watchingKey{}, true)
	w.Begin(ctx, d, tx)
	if err := fn(ctx, tx); err != nil {
		return err
	}
	return w.End(ctx)
}

// watchingKey marks the context of a watched transaction's function: statements run with it
// are the transaction's.
type watchingKey struct{}

// watchHook tells a transaction's Watcher about its statements. A failed statement fails the
// transaction, which then never reaches End, so errors need no handling here.
type watchHook struct{}

func (watchHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if ctx.Value(watchingKey{}) == nil || isSelect(e.Query) {
		return ctx
	}
	if w := WatcherOf(ctx); w != nil {
		w.Writing(ctx, modelOf(e))
	}
	return ctx
}

func (watchHook) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	if ctx.Value(watchingKey{}) == nil || e.Err != nil || e.IQuery == nil || e.IQuery.Operation() != "INSERT" {
		return
	}
	if w, m := WatcherOf(ctx), modelOf(e); w != nil && m != nil {
		w.Inserted(m)
	}
}

func modelOf(e *bun.QueryEvent) any {
	if e.Model == nil {
		return nil
	}
	return e.Model.Value()
}

// isSelect reports whether a statement is a plain read (judged by its text, see changeHook).
func isSelect(q string) bool {
	q = strings.TrimSpace(q)
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}

// Clock is an Open option: the clock Now reads (time.Now without it), so that rows the
// platform stamps itself (the audit log) follow a test's frozen clock like the modules' rows.
func Clock(now func() time.Time) Option {
	return func(d *DB) { d.now = now }
}

// Now is the time by the database's clock, as stored (see Stamp).
func (d *DB) Now() time.Time {
	if d.now == nil {
		return Stamp(time.Now())
	}
	return Stamp(d.now())
}
