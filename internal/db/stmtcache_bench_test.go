package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// BenchmarkReaderStatements reads one 50-row page with four lookups per row, the shape of the
// project list, through a reader connection that prepares every statement anew and through one
// that keeps its statements (cachingConnector).
func BenchmarkReaderStatements(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.db")
	configureLookaside() // as Open does, before SQLite's first connection
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	for _, s := range []string{
		`CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL)`,
		`CREATE TABLE items (id TEXT PRIMARY KEY, firm TEXT NOT NULL, created INTEGER NOT NULL,
			a TEXT, b TEXT, c TEXT, d TEXT, title TEXT NOT NULL)`,
		`CREATE INDEX items_firm_created ON items (firm, created)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
			INSERT INTO people SELECT printf('person-%08d', i), printf('Person %d', i) FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
			INSERT INTO items SELECT printf('item-%08d', i), 'firm', i,
				printf('person-%08d', i % 200 + 1), printf('person-%08d', (i * 7) % 200 + 1),
				printf('person-%08d', (i * 13) % 200 + 1), printf('person-%08d', (i * 17) % 200 + 1),
				printf('Item number %d', i) FROM n`,
	} {
		if _, err := w.ExecContext(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	const page = `SELECT it.*, pa.name, pb.name, pc.name, pd.name FROM items AS it
		LEFT JOIN people AS pa ON pa.id = it.a LEFT JOIN people AS pb ON pb.id = it.b
		LEFT JOIN people AS pc ON pc.id = it.c LEFT JOIN people AS pd ON pd.id = it.d
		WHERE it.firm = 'firm' ORDER BY it.created DESC LIMIT 50 OFFSET 100`
	base, err := sqlite.NewConnector(sqliteDSN(path, true))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		db   *sql.DB
	}{
		{"prepared-each-time", sql.OpenDB(base)},
		{"kept", sql.OpenDB(cachingConnector{base: base, counts: new(stmtCounts)})},
	} {
		tc.db.SetMaxOpenConns(1)
		b.Cleanup(func() { tc.db.Close() })
		b.Run(tc.name, func(b *testing.B) {
			vals := make([]any, 12)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for b.Loop() {
				rows, err := tc.db.QueryContext(ctx, page)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					if err := rows.Scan(ptrs...); err != nil {
						b.Fatal(err)
					}
					n++
				}
				if err := rows.Close(); err != nil || n != 50 {
					b.Fatalf("%d rows, %v", n, err)
				}
			}
		})
	}
}
