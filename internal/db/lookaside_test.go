package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// A reader that keeps a dozen statements of the project list's shape (a firm's hot reads) still
// parses the next text from its own lookaside slots, not from the process-wide allocator.
func TestSQLiteReaderLookasideOutlastsKeptStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "lookaside.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	for _, s := range []string{
		`CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL)`,
		`CREATE TABLE items (id TEXT PRIMARY KEY, firm TEXT NOT NULL, created TIMESTAMP NOT NULL,
			a TEXT, b TEXT, c TEXT, d TEXT, title TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX items_firm_created ON items (firm, created)`,
	} {
		if _, err := d.W.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := d.R.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	page := func(firm int) {
		t.Helper()
		q := fmt.Sprintf(`SELECT it.*, pa.name, pb.name, pc.name, pd.name, (SELECT COUNT(*) FROM items AS x
			WHERE x.firm = it.firm AND x.created <= it.created) FROM items AS it
			LEFT JOIN people AS pa ON pa.id = it.a LEFT JOIN people AS pb ON pb.id = it.b
			LEFT JOIN people AS pc ON pc.id = it.c LEFT JOIN people AS pd ON pd.id = it.d
			WHERE it.firm = 'firm-%d' AND it.title <> '' ORDER BY it.created DESC, it.id DESC LIMIT 50`, firm)
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	const kept = 12
	for firm := range kept {
		page(firm) // seen
		page(firm) // kept
	}
	missFull := func(reset bool) (n int) {
		t.Helper()
		err := conn.Raw(func(dc any) error {
			c, ok := dc.(*cachingConn)
			if !ok {
				return fmt.Errorf("reader connection is a %T", dc)
			}
			_, n, err = c.Conn.(sqlite.DBStatus).Status(sqlite.DBStatusLookasideMissFull, reset)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	missFull(true)
	page(kept + 1)
	if n := missFull(false); n != 0 {
		t.Fatalf("with %d statements kept, parsing a new text took %d allocations past a full lookaside; want 0", kept, n)
	}
}
