package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// openNotes opens a SQLite database with a table of numbered notes, one per value given.
func openNotes(t *testing.T, values ...int) *db.DB {
	t.Helper()
	d := testkit.OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "stmts.db"), false)
	if _, err := d.W.ExecContext(context.Background(), "CREATE TABLE notes (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		addNote(t, d, v)
	}
	return d
}

func addNote(t *testing.T, d *db.DB, v int) {
	t.Helper()
	if _, err := d.W.ExecContext(context.Background(), "INSERT INTO notes (v) VALUES (?)", v); err != nil {
		t.Fatal(err)
	}
}

// sumNotes runs one fixed text on q and returns the notes' count and sum.
func sumNotes(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (n, sum int) {
	t.Helper()
	if err := q.QueryRowContext(context.Background(), "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM notes").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	return n, sum
}

// A repeated read runs the statement its connection prepared before, and sees every write
// committed since: the cache keeps statements, never results.
func TestSQLiteReaderReusesStatementsAndSeesWrites(t *testing.T) {
	t.Parallel()
	d := openNotes(t, 5)
	if n, sum := sumNotes(t, d.R.DB); n != 1 || sum != 5 {
		t.Fatalf("first read: %d notes, sum %d; want 1, 5", n, sum)
	}
	_, misses := d.ReadStatementStats()
	if misses == 0 {
		t.Fatal("the first read prepared nothing")
	}
	for i := 2; i <= 50; i++ {
		addNote(t, d, 5)
		if n, sum := sumNotes(t, d.R.DB); n != i || sum != 5*i {
			t.Fatalf("read %d after a write: %d notes, sum %d; want %d, %d", i, n, sum, i, 5*i)
		}
	}
	hits, misses := d.ReadStatementStats()
	// Every reader connection prepares the text once at most; the other reads reuse it.
	if hits < 40 || misses > 10 {
		t.Fatalf("hits %d, misses %d over 50 reads of one text; want ≥ 40 hits", hits, misses)
	}
}

// A statement whose table changed shape is planned again by SQLite, not run as it was.
func TestSQLiteCachedStatementFollowsSchemaChanges(t *testing.T) {
	t.Parallel()
	d := openNotes(t, 1)
	ctx := context.Background()
	cols := func() []string {
		rows, err := d.R.DB.QueryContext(ctx, "SELECT * FROM notes")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := cols(); len(c) != 2 {
		t.Fatalf("columns %v, want id and v", c)
	}
	if _, err := d.W.ExecContext(ctx, "ALTER TABLE notes ADD COLUMN label TEXT NOT NULL DEFAULT 'x'"); err != nil {
		t.Fatal(err)
	}
	for range 10 { // every reader connection, whatever it had prepared
		if c := cols(); len(c) != 3 || c[2] != "label" {
			t.Fatalf("after ALTER TABLE: columns %v, want id, v, label", c)
		}
	}
}

// On one connection: the same text again while its rows are still open runs apart, and a
// statement evicted while its rows are open is closed only once they are read and closed.
func TestSQLiteCachedStatementInUse(t *testing.T) {
	t.Parallel()
	d := openNotes(t, 1, 2, 3)
	ctx := context.Background()
	conn := readerConn(t, d)
	const list = "SELECT v FROM notes ORDER BY v"
	// Read once, the text is seen; the next read keeps its statement.
	if n := countRows(t, conn, list); n != 3 {
		t.Fatalf("first read: %d rows, want 3", n)
	}
	outer, err := conn.QueryContext(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	if !outer.Next() {
		t.Fatal("no first row")
	}
	// The same text while outer is open, then more texts than the cache holds, which evicts it.
	if inner := countRows(t, conn, list); inner != 3 {
		t.Fatalf("the same text while its rows were open: %d rows, want 3", inner)
	}
	for i := range 40 { // each twice, so that it is kept
		for range 2 {
			var v int
			if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT %d + COUNT(*) FROM notes", i)).Scan(&v); err != nil || v != i+3 {
				t.Fatalf("text %d: %d (%v), want %d", i, v, err, i+3)
			}
		}
	}
	got := []int{}
	for {
		var v int
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
		if !outer.Next() {
			break
		}
	}
	if err := outer.Close(); err != nil || fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("the evicted statement's rows: %v (%v), want [1 2 3]", got, err)
	}
	if n, sum := sumNotes(t, conn); n != 3 || sum != 6 {
		t.Fatalf("after all that: %d notes, sum %d; want 3, 6", n, sum)
	}
}

// readerConn holds one reader connection of d for the test, so that its statements stay put.
func readerConn(t *testing.T, d *db.DB) *sql.Conn {
	t.Helper()
	conn, err := d.R.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// countRows runs query on q and counts its rows.
func countRows(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string) int {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// A text is kept the second time it comes, so texts that come once (a list filtered by one of a
// thousand projects) neither take the connection's memory nor push out the texts that repeat.
func TestSQLiteReaderKeepsTextsThatRepeat(t *testing.T) {
	t.Parallel()
	d := openNotes(t, 1, 2)
	conn := readerConn(t, d)
	const hot = "SELECT v FROM notes ORDER BY v"
	read := func(query string) (hits, misses int64) {
		h0, m0 := d.ReadStatementStats()
		if n := countRows(t, conn, query); n != 2 {
			t.Fatalf("%s: %d rows, want 2", query, n)
		}
		h1, m1 := d.ReadStatementStats()
		return h1 - h0, m1 - m0
	}
	read(hot)
	read(hot)
	if hits, _ := read(hot); hits != 1 {
		t.Fatal("a text read twice was not kept for the third read")
	}
	// More one-off texts than the cache holds, each read once.
	for i := range 3 * 32 {
		if hits, misses := read(fmt.Sprintf("SELECT v FROM notes WHERE id > %d - 1000 ORDER BY v", i)); hits != 0 || misses != 1 {
			t.Fatalf("one-off text %d: %d hits, %d misses; want a miss", i, hits, misses)
		}
	}
	if hits, _ := read(hot); hits != 1 {
		t.Fatal("texts read once pushed out the statement of a text that repeats")
	}
}
