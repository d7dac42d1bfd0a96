package db

import (
	"container/list"
	"context"
	"database/sql/driver"
	"reflect"
	"sync/atomic"
)

// stmtCacheSize is how many prepared statements each SQLite reader connection keeps. A firm's
// hot reads (the session check, a list's page and count) are a handful of texts; 32 per
// connection holds those of several firms at a few kilobytes each.
const stmtCacheSize = 32

// stmtCounts counts, over a pool's connections, the reads served by a statement prepared
// earlier (hits) and those that prepared their own (misses).
type stmtCounts struct {
	hits, misses atomic.Int64
}

// ReadStatementStats reports, on SQLite, how many plain reads ran a statement their connection
// had prepared before and how many prepared their own (zeros on PostgreSQL).
func (d *DB) ReadStatementStats() (hits, misses int64) {
	if d.readStmts == nil {
		return 0, 0
	}
	return d.readStmts.hits.Load(), d.readStmts.misses.Load()
}

// cachingConnector opens SQLite reader connections that keep their prepared statements by
// text. bun writes every argument into the statement, so a repeated read — the same page of
// the same list, the same session's check — has the same text, and SQLite's parser and planner
// took a sixth of an uncached list's CPU. A prepared statement runs against the data as it is
// when it steps: caching one never serves an old result. PostgreSQL's reader does the same
// through pgx's statement cache.
//
// A statement is kept the second time its text comes (seenTexts), not the first: kept
// statements hold the connection's lookaside memory (see lookaside.go), and with 32 one-off
// texts kept the readers parsed from libc's locked allocator instead (docs/PERFORMANCE.md,
// round 7). A text seen once runs as the driver runs it, finalized when its rows close.
type cachingConnector struct {
	base   driver.Connector
	counts *stmtCounts
}

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, counts: c.counts, byText: map[string]*list.Element{}, lru: list.New(),
		seen: newSeenTexts()}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn is one reader connection with its statements, most recently used first.
// database/sql hands a connection to one caller at a time, so it needs no lock; a statement
// whose rows are still open is busy, and a second query of its text meanwhile runs unprepared.
type cachingConn struct {
	driver.Conn
	counts *stmtCounts
	byText map[string]*list.Element // of *cachedStmt
	lru    *list.List
	seen   *seenTexts
}

// cachedStmt is a prepared statement of a connection; closeOnRelease marks one evicted while
// its rows were open.
type cachedStmt struct {
	text           string
	stmt           driver.Stmt
	busy           bool
	closeOnRelease bool
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.release(s)
		return nil, err
	}
	return &cachedRows{Rows: rows, release: func() { c.release(s) }}, nil
}

// statement returns the connection's prepared statement of query, marked busy, preparing and
// keeping it on a miss of a text seen before; nil when the text is new to the connection or the
// cached statement is busy.
func (c *cachingConn) statement(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.byText[query]; ok {
		s := e.Value.(*cachedStmt)
		if s.busy {
			return nil, nil
		}
		c.counts.hits.Add(1)
		c.lru.MoveToFront(e)
		s.busy = true
		return s, nil
	}
	c.counts.misses.Add(1)
	if c.seen.first(query) {
		return nil, nil
	}
	stmt, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{text: query, stmt: stmt, busy: true}
	c.byText[query] = c.lru.PushFront(s)
	if c.lru.Len() > stmtCacheSize {
		c.evict(c.lru.Back())
	}
	return s, nil
}

// evict drops a statement from the cache, closing it now or, while its rows are open, when they
// close.
func (c *cachingConn) evict(e *list.Element) {
	s := c.lru.Remove(e).(*cachedStmt)
	delete(c.byText, s.text)
	if s.busy {
		s.closeOnRelease = true
		return
	}
	_ = s.stmt.Close()
}

// release marks a statement free once its rows are closed.
func (c *cachingConn) release(s *cachedStmt) {
	s.busy = false
	if s.closeOnRelease {
		_ = s.stmt.Close()
	}
}

// Close finalizes the connection's statements before closing it.
func (c *cachingConn) Close() error {
	for c.lru.Len() > 0 {
		c.evict(c.lru.Back())
	}
	return c.Conn.Close()
}

// The rest of what database/sql asks of a connection goes to SQLite's as it is.

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error {
	return c.Conn.(driver.Pinger).Ping(ctx)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool {
	return c.Conn.(driver.Validator).IsValid()
}

// cachedRows are the rows of a cached statement; closing them frees the statement for the next
// query of its text.
type cachedRows struct {
	driver.Rows
	release func()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}

// ColumnTypeScanType and ColumnTypeDatabaseTypeName pass on what SQLite's rows say of their
// columns (bun reads them when it scans into maps).
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// Compile-time checks that the wrapper keeps the interfaces database/sql looks for.
var (
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)
