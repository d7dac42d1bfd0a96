package db

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// OnChange is an Open option: fn runs after every write that may have changed data, after each
// transaction run by Tx ends and after each statement other than a SELECT run on W outside one.
// Caches of read results use it to learn that they are stale; FirmOf(ctx) names the firm the
// write was for. It is installed before Open returns, so no handle of the database can write
// around it. fn runs on the writer's goroutine and should be quick.
func OnChange(fn func(ctx context.Context)) Option {
	return func(d *DB) {
		d.changed = fn
		// Options run inside Open, before any caller holds W: replacing it here is safe.
		d.W = d.W.WithQueryHook(changeHook{fn: fn})
	}
}

// Option configures a database as Open opens it.
type Option func(*DB)

// notifyChange runs the OnChange function, if any.
func (d *DB) notifyChange(ctx context.Context) {
	if d.changed != nil {
		d.changed(ctx)
	}
}

type inTxKey struct{}

// changeHook reports writes made outside Tx; Tx reports its own once it has committed, because
// a cache refilled between a statement and its commit would keep the old data.
type changeHook struct{ fn func(ctx context.Context) }

func (changeHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h changeHook) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	if ctx.Value(inTxKey{}) != nil || e.Err != nil {
		return
	}
	// Judged by the text, not e.Operation(): a raw query reports itself as a SELECT whatever it
	// does. Anything but a plain SELECT counts as a write; a needless bump only costs a refill.
	q := strings.TrimSpace(e.Query)
	if len(q) < 6 || !strings.EqualFold(q[:6], "SELECT") {
		h.fn(ctx)
	}
}

type firmKey struct{}

// WithFirm records that the writes made with ctx change the data of this firm only, so caches
// of other firms' reads stay valid (see OnChange). Authentication puts the caller's firm here;
// code that writes for a firm outside a request (registration, jobs, webhooks) names it too,
// since a write that names no firm refreshes no cache.
func WithFirm(ctx context.Context, firmID string) context.Context {
	return context.WithValue(ctx, firmKey{}, firmID)
}

// FirmOf returns the firm recorded by WithFirm, or "" when none was.
func FirmOf(ctx context.Context) string {
	id, _ := ctx.Value(firmKey{}).(string)
	return id
}
