package testkit

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// QueryCounter counts the statements a database runs, to prove that a list costs a constant
// number of queries whatever its page size (no N+1).
type QueryCounter struct {
	n atomic.Int64
}

// CountQueries attaches a counter to every pool of d (replacing its handles with hooked clones,
// which the services see because they keep d itself). Call it before the server takes requests.
func CountQueries(d *db.DB) *QueryCounter {
	c := &QueryCounter{}
	hook(d, c)
	return c
}

// hook attaches h to every pool of d, replacing its handles with hooked clones (one clone when
// the pools are one).
func hook(d *db.DB, h bun.QueryHook) {
	shared := d.R == d.W
	d.W = d.W.WithQueryHook(h)
	if shared {
		d.R = d.W
	} else {
		d.R = d.R.WithQueryHook(h)
	}
}

// BeforeQuery implements bun.QueryHook.
func (c *QueryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	c.n.Add(1)
	return ctx
}

// AfterQuery implements bun.QueryHook.
func (c *QueryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// Reset zeroes the count.
func (c *QueryCounter) Reset() { c.n.Store(0) }

// Count is the number of statements since the last Reset.
func (c *QueryCounter) Count() int64 { return c.n.Load() }

// QueryLog keeps the text of every statement a database runs, to examine what a request ran
// (its plans, say).
type QueryLog struct {
	mu      sync.Mutex
	queries []string
}

// LogQueries attaches a log to every pool of d, like CountQueries.
func LogQueries(d *db.DB) *QueryLog {
	l := &QueryLog{}
	hook(d, l)
	return l
}

// BeforeQuery implements bun.QueryHook.
func (l *QueryLog) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	l.mu.Lock()
	l.queries = append(l.queries, e.Query)
	l.mu.Unlock()
	return ctx
}

// AfterQuery implements bun.QueryHook.
func (l *QueryLog) AfterQuery(context.Context, *bun.QueryEvent) {}

// Take returns the statements run since the last Take and forgets them.
func (l *QueryLog) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queries
	l.queries = nil
	return q
}
