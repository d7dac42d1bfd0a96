package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// createFixtureTables makes two small tables with a unique and a foreign-key constraint.
func createFixtureTables(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	for _, stmt := range []string{
		`CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)`,
		`CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents(id), label TEXT NOT NULL)`,
	} {
		if _, err := d.W.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenAcceptsEveryURLForm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, u := range []string{
		"sqlite:" + filepath.Join(dir, "a", "rel.db"),
		"sqlite://" + filepath.Join(dir, "b.db"), // sqlite:///abs/path.db
	} {
		d := testkit.OpenDB(t, u, true)
		cur, latest, err := d.MigrationVersions(context.Background())
		if err != nil || cur != latest || latest < 1 {
			t.Fatalf("%s: versions %d/%d err %v", u, cur, latest, err)
		}
	}
	if _, err := db.Open(context.Background(), "mysql://x"); err == nil {
		t.Fatal("an unknown scheme must be refused")
	}
}

func TestSQLitePragmas(t *testing.T) {
	t.Parallel()
	d := testkit.OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "p.db"), false)
	ctx := context.Background()
	var mode string
	if err := d.W.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v)", mode, err)
	}
	var fk, busy int
	if err := d.R.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys on reader = %d (%v)", fk, err)
	}
	if err := d.W.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy < 1000 {
		t.Fatalf("busy_timeout = %d (%v)", busy, err)
	}
	if _, err := d.R.ExecContext(ctx, "CREATE TABLE x (a INT)"); err == nil {
		t.Fatal("the reader pool must be read-only")
	}
	// Page caches in KiB (negative): readers keep hot list pages, the writer little beyond its
	// transaction's pages (the server's peak memory, docs/PERFORMANCE.md round 6).
	var readerCache, writerCache int
	if err := d.R.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&readerCache); err != nil || readerCache != -32768 {
		t.Errorf("reader cache_size = %d (%v), want -32768", readerCache, err)
	}
	if err := d.W.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&writerCache); err != nil || writerCache != -8192 {
		t.Errorf("writer cache_size = %d (%v), want -8192", writerCache, err)
	}
	if d.W.DB.Stats().MaxOpenConnections != 1 {
		t.Fatal("SQLite must have exactly one writer connection")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	n, err := d.Migrate(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d (%v), want 0", n, err)
	}
}

func TestTranslateByCode(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	createFixtureTables(t, d)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, `INSERT INTO parents (id, name) VALUES ('p1', 'Acme')`); err != nil {
		t.Fatal(err)
	}

	_, err := d.W.ExecContext(ctx, `INSERT INTO parents (id, name) VALUES ('p2', 'Acme')`)
	if db.ConstraintOf(err) != db.Unique || fault.KindOf(db.Translate(err)) != fault.Conflict {
		t.Fatalf("duplicate: constraint %v kind %v (%v)", db.ConstraintOf(err), fault.KindOf(db.Translate(err)), err)
	}
	_, err = d.W.ExecContext(ctx, `INSERT INTO children (id, parent_id, label) VALUES ('c1', 'nope', 'x')`)
	if db.ConstraintOf(err) != db.ForeignKey {
		t.Fatalf("missing parent: constraint %v (%v)", db.ConstraintOf(err), err)
	}
	fe := fault.As(db.Translate(err))
	if fe.Kind != fault.Invalid || !slices.Equal(fe.Details[fault.NonField], []string{db.MsgReference}) {
		t.Fatalf("missing parent translated to %+v", fe)
	}
	_, err = d.W.ExecContext(ctx, `INSERT INTO children (id, parent_id, label) VALUES ('c1', 'p1', NULL)`)
	if db.ConstraintOf(err) != db.NotNull {
		t.Fatalf("null label: constraint %v (%v)", db.ConstraintOf(err), err)
	}
	var name string
	err = d.R.NewSelect().Table("parents").Column("name").Where("id = ?", "none").Scan(ctx, &name)
	if fault.KindOf(db.Translate(err)) != fault.NotFound {
		t.Fatalf("no rows translated to %v", fault.KindOf(db.Translate(err)))
	}
	if db.Translate(nil) != nil {
		t.Fatal("nil must stay nil")
	}
	plain := errors.New("boom")
	if fault.KindOf(db.Translate(plain)) != fault.Internal || !errors.Is(db.Translate(plain), plain) {
		t.Fatal("an unknown error must become Internal and keep its cause")
	}
}

func TestTxCommitsOrRollsBack(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	createFixtureTables(t, d)
	ctx := context.Background()
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO parents (id, name) VALUES ('p1', 'One')`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO parents (id, name) VALUES ('p2', 'One')`)
		return err
	})
	if fault.KindOf(err) != fault.Conflict {
		t.Fatalf("Tx error kind %v (%v), want Conflict", fault.KindOf(err), err)
	}
	count := func() int64 {
		n, err := d.R.NewSelect().Table("parents").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("rolled-back transaction left %d rows", n)
	}
	err = d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO parents (id, name) VALUES ('p1', 'One')`)
		return err
	})
	if err != nil || count() != 1 {
		t.Fatalf("commit: err %v, rows %d", err, count())
	}
}

func TestWhereContainsAnyFold(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	createFixtureTables(t, d)
	ctx := context.Background()
	for _, n := range []string{"Acme Corp", "Globex", "100% Pure", "snake_case", "Ärzte Öl GmbH"} {
		if _, err := d.W.ExecContext(ctx, "INSERT INTO parents (id, name) VALUES (?, ?)", n, n); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		term string
		want []string
	}{
		{"acme", []string{"Acme Corp"}},
		{"GLOB", []string{"Globex"}},
		{"%", []string{"100% Pure"}},    // a wildcard matches only itself
		{"e_c", []string{"snake_case"}}, // so does the single-character wildcard
		{"o", []string{"Acme Corp", "Globex"}},
		{"zzz", nil},
		{"ärzte öl", []string{"Ärzte Öl GmbH"}}, // case-folding beyond ASCII, on both engines
		{"ÄRZTE", []string{"Ärzte Öl GmbH"}},
	}
	for _, tt := range tests {
		var got []string
		q := d.R.NewSelect().Table("parents").Column("name").Order("name")
		q = db.WhereContainsAnyFold(q, []string{"name", "id"}, tt.term)
		if err := q.Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.term, got, tt.want)
		}
	}
}
