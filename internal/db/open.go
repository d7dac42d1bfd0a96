package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite" // also registers the "sqlite" database/sql driver
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. W is for writes and for reads inside transactions; R serves plain
// reads. On SQLite, W is a single connection (SQLite has one writer; queuing in Go is cheaper
// than SQLITE_BUSY retries) and R a pool of read-only connections; on PostgreSQL they are two
// pools that run statements differently (see openPostgres). A read after a committed transaction may use R: a SQLite reader in WAL mode sees
// every commit that returned before its statement began.
type DB struct {
	W       *bun.DB
	R       *bun.DB
	Dialect Dialect

	// batch queues SQLite write transactions in arrival order and commits those queued
	// together at once (nil on PostgreSQL); see Tx.
	batch *writeBatch
	// checkpoints empties SQLite's write-ahead log in the background (nil on PostgreSQL).
	checkpoints *checkpointer
	// readStmts counts the SQLite readers' statement cache hits and misses (nil on PostgreSQL).
	readStmts *stmtCounts
	// changed runs after writes (see OnChange).
	changed func(ctx context.Context)
	// now is the clock of Now (see Clock).
	now func() time.Time
}

// Open connects to the database named by rawURL: "sqlite:path.db", "sqlite:/abs/path.db",
// "sqlite:///abs/path.db" or "postgres://…" (also "postgresql://…"). The SQLite file and its
// directory are created when missing.
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	var d *DB
	var err error
	switch DialectOf(rawURL) {
	case SQLite:
		d, err = openSQLite(ctx, sqlitePath(rawURL))
	case Postgres:
		d, err = openPostgres(ctx, rawURL)
	default:
		return nil, fmt.Errorf("DATABASE_URL must start with sqlite: or postgres://")
	}
	if err != nil {
		return nil, err
	}
	// Before the options: OnChange's hook then runs after this one, and no handle of the
	// database exists yet that could write around it.
	d.W = d.W.WithQueryHook(watchHook{})
	for _, opt := range opts {
		opt(d)
	}
	return d, nil
}

// DialectOf names the engine a database URL opens ("" for a URL Open refuses).
func DialectOf(rawURL string) Dialect {
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		return SQLite
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return Postgres
	}
	return ""
}

// sqlitePath extracts the file path from the three accepted sqlite URL forms.
func sqlitePath(rawURL string) string {
	p := strings.TrimPrefix(rawURL, "sqlite:")
	p = strings.TrimPrefix(p, "//") // sqlite:///abs → /abs
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// sqliteDSN builds a modernc DSN. busy_timeout comes first so that the other pragmas already
// wait for a lock instead of failing.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL in WAL mode loses nothing when the process dies (kill -9); only an OS crash or
	// power cut may drop the last commits.
	q.Add("_pragma", "synchronous(NORMAL)")
	// A page cache of its own per connection instead of 2 MB. Readers keep 32 MiB: list pages
	// read the same index pages again and again, and each miss is a system call. The writer
	// keeps 8 MiB: its cache filled up with the pages of the rows it wrote, which no later write
	// needs, and made most of the server's peak memory (see docs/PERFORMANCE.md, round 6).
	cacheKiB := 8192
	if readOnly {
		cacheKiB = 32768
	}
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))
	// The background checkpointer empties the log (see checkpointer), not the committing writer.
	q.Add("_pragma", "wal_autocheckpoint(0)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Take the write lock when a transaction starts, not at its first write, so that two
		// transactions never deadlock upgrading read locks.
		q.Add("_txlock", "immediate")
		// Savepoint and statement journals (what a ROLLBACK TO restores) in memory, not in a
		// temporary file: each write transaction runs in a savepoint of its batch (see
		// writeBatch), and their journal's pwrites took 10% of a time-entry create's CPU. The
		// readers keep temporary files for sorts, which can be large.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	configureLookaside()
	if err := registerUnicodeLower(); err != nil {
		return nil, fmt.Errorf("register lower(): %w", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Open the writer first so that WAL mode is set before readers connect.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	base, err := sqlite.NewConnector(sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	readStmts := new(stmtCounts)
	r := sql.OpenDB(cachingConnector{base: base, counts: readStmts})
	readers := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(5 * time.Minute)
	c, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	c.SetMaxOpenConns(1)
	return &DB{
		W:           bun.NewDB(w, sqlitedialect.New()),
		R:           bun.NewDB(r, sqlitedialect.New()),
		Dialect:     SQLite,
		batch:       new(writeBatch),
		checkpoints: startCheckpointer(c),
		readStmts:   readStmts,
	}, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	// Two pools that differ in how statements run. bun writes the arguments into the statement
	// text, so a write is nearly always new to its connection: preparing and caching it costs a
	// second round trip, so the writer runs statements unprepared in one. Plain reads repeat
	// (the same session check, the same list page), so the reader keeps pgx's statement cache,
	// which skips parsing and planning on a repeat (the session check ran at 2.9k req/s
	// unprepared and 6.2k cached). A default_query_exec_mode in the URL applies to both.
	// Unlike SQLite's readers, these prepare a text the first time it comes: running one-off
	// texts unprepared (pgx's exec mode, one round trip) made the filtered time-entry list 35%
	// slower on the medium firm (docs/PERFORMANCE.md, round 7).
	wcfg := cfg.Copy()
	if !strings.Contains(rawURL, "default_query_exec_mode") {
		wcfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	}
	conns := max(8, runtime.NumCPU()*4)
	w := stdlib.OpenDB(*wcfg)
	r := stdlib.OpenDB(*cfg)
	for _, p := range []*sql.DB{w, r} {
		p.SetMaxOpenConns(conns)
		p.SetMaxIdleConns(conns)
		p.SetConnMaxIdleTime(5 * time.Minute)
		if err := p.PingContext(ctx); err != nil {
			w.Close()
			r.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
	}
	return &DB{W: bun.NewDB(w, pgdialect.New()), R: bun.NewDB(r, pgdialect.New()), Dialect: Postgres}, nil
}

// Close closes every pool, on SQLite after emptying the write-ahead log into the database.
func (d *DB) Close() error {
	err := d.W.Close()
	if d.R != d.W {
		if rerr := d.R.Close(); err == nil {
			err = rerr
		}
	}
	if d.checkpoints != nil {
		if cerr := d.checkpoints.close(); err == nil {
			err = cerr
		}
	}
	return err
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.W.PingContext(ctx); err != nil {
		return err
	}
	return d.R.PingContext(ctx)
}
