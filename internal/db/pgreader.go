package db

import (
	"context"
	"database/sql/driver"

	"github.com/jackc/pgx/v5"
)

// pgReaderConnector opens PostgreSQL reader connections that run a text unprepared the first
// time it comes and leave it to pgx's statement cache from the second. The cache prepares every
// text it has not got, which costs a round trip of its own, and most texts never come again (a
// list filtered by one project of a thousand); the hot ones (the session check, a firm's list
// page) come again at once and are kept as before.
type pgReaderConnector struct {
	base driver.Connector
}

func (c pgReaderConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgReaderConn{Conn: conn, seen: newSeenTexts()}, nil
}

func (c pgReaderConnector) Driver() driver.Driver { return c.base.Driver() }

// pgReaderConn is one reader connection and the texts it has run lately.
type pgReaderConn struct {
	driver.Conn
	seen *seenTexts
}

// QueryContext runs a text new to the connection in pgx's exec mode: parsed, planned and run in
// one round trip, nothing kept.
func (c *pgReaderConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.seen.first(query) {
		args = append([]driver.NamedValue{{Ordinal: 0, Value: pgx.QueryExecModeExec}}, args...)
	}
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

// The rest of what database/sql asks of a connection goes to pgx's as it is.

func (c *pgReaderConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *pgReaderConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *pgReaderConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *pgReaderConn) Ping(ctx context.Context) error {
	return c.Conn.(driver.Pinger).Ping(ctx)
}

func (c *pgReaderConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

// CheckNamedValue lets pgx convert arguments itself, as its own connection does.
func (c *pgReaderConn) CheckNamedValue(v *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(v)
}

// Compile-time checks that the wrapper keeps the interfaces database/sql looks for.
var (
	_ driver.QueryerContext     = (*pgReaderConn)(nil)
	_ driver.ExecerContext      = (*pgReaderConn)(nil)
	_ driver.ConnPrepareContext = (*pgReaderConn)(nil)
	_ driver.ConnBeginTx        = (*pgReaderConn)(nil)
	_ driver.Pinger             = (*pgReaderConn)(nil)
	_ driver.SessionResetter    = (*pgReaderConn)(nil)
	_ driver.NamedValueChecker  = (*pgReaderConn)(nil)
)
