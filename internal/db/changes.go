package db

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// OnChange registers fn to run after every write that may have changed data: after each
// transaction run by Tx ends, and after each statement other than a SELECT run on W outside one.
// Caches of read results use it to learn that they are stale. Call it before serving; fn runs
// on the writer's goroutine and should be quick.
func (d *DB) OnChange(fn func(ctx context.Context)) {
	d.changed = fn
	shared := d.R == d.W
	d.W = d.W.WithQueryHook(changeHook{fn: fn})
	if shared {
		d.R = d.W
	}
}

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
// of other firms' reads stay valid (see OnChange). Authentication puts the caller's firm here.
func WithFirm(ctx context.Context, firmID string) context.Context {
	return context.WithValue(ctx, firmKey{}, firmID)
}

// FirmOf returns the firm recorded by WithFirm, or "" when the writes may concern any firm.
func FirmOf(ctx context.Context) string {
	id, _ := ctx.Value(firmKey{}).(string)
	return id
}
