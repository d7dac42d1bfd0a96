package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// On PostgreSQL a reader connection prepares a text the second time it comes: one-off texts
// run unprepared (no round trip to prepare them, nothing kept on the server), a repeated one is
// prepared once and served from pgx's statement cache after that, and both answer the same.
func TestPostgresReaderPreparesTextsThatRepeat(t *testing.T) {
	t.Parallel()
	if testkit.Engine() != "postgres" {
		t.Skip("PostgreSQL's reader; the suite runs it with TEST_DATABASE_URL")
	}
	d := testkit.OpenDB(t, testkit.DatabaseURL(t), false)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, "INSERT INTO notes VALUES (1, 10), (2, 20), (3, 30)"); err != nil {
		t.Fatal(err)
	}
	conn, err := d.R.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	prepared := func(query string) (n int) {
		t.Helper()
		const q = "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1"
		if err := conn.QueryRowContext(ctx, q, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	sum := func(query string) (s int) {
		t.Helper()
		if err := conn.QueryRowContext(ctx, query).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for i := range 50 {
		q := fmt.Sprintf("SELECT COALESCE(SUM(v), 0) FROM notes WHERE id > %d", i%3)
		q += fmt.Sprintf(" AND %d = %d", i, i) // one-off
		if got, want := sum(q), []int{60, 50, 30}[i%3]; got != want {
			t.Fatalf("one-off text %d: sum %d, want %d", i, got, want)
		}
		if n := prepared(q); n != 0 {
			t.Fatalf("one-off text %d was prepared on the server", i)
		}
	}
	const hot = "SELECT COALESCE(SUM(v), 0) FROM notes"
	for i := range 5 {
		if got := sum(hot); got != 60+i {
			t.Fatalf("read %d of a repeated text: sum %d, want %d", i, got, 60+i)
		}
		want := 1
		if i == 0 {
			want = 0
		}
		if n := prepared(hot); n != want {
			t.Fatalf("after read %d of a repeated text: prepared %d times, want %d", i, n, want)
		}
		if _, err := d.W.ExecContext(ctx, "UPDATE notes SET v = v + 1 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
	}
}
