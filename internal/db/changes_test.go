package db_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// change is one call of the OnChange function: the firm it named and the rows a reader saw then.
type change struct {
	firm string
	rows int
}

// The write hook installed by Open reports committed transactions once, after the commit, and
// writes made on W outside one; never a plain SELECT or a failed statement. Each report names
// the firm the write was made for.
func TestOnChangeReportsCommittedWrites(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var (
		mu      sync.Mutex
		changes []change
		d       *db.DB
	)
	notes := func(ctx context.Context) int {
		n, err := d.R.NewSelect().Table("notes").Count(ctx)
		if err != nil {
			t.Errorf("count notes: %v", err)
		}
		return int(n)
	}
	d, err := db.Open(ctx, testkit.DatabaseURL(t), db.OnChange(func(ctx context.Context) {
		c := change{firm: db.FirmOf(ctx)}
		if c.firm != "setup" {
			c.rows = notes(context.Background()) // what a cache refilled now would read
		}
		mu.Lock()
		changes = append(changes, c)
		mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.W.ExecContext(db.WithFirm(ctx, "setup"), "CREATE TABLE notes (id TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	// took returns the changes reported since the last call.
	took := func() []change {
		mu.Lock()
		defer mu.Unlock()
		got := changes
		changes = nil
		return got
	}
	if got := took(); !slices.Equal(got, []change{{firm: "setup"}}) {
		t.Fatalf("CREATE TABLE reported %v, want one change for the firm of its context", got)
	}
	a, b := db.WithFirm(ctx, "firm-a"), db.WithFirm(ctx, "firm-b")

	// Reads report nothing, on either handle, built or raw.
	var n int
	if _, err := d.W.NewSelect().Table("notes").Count(a); err != nil {
		t.Fatal(err)
	}
	if err := d.W.NewRaw("  select count(*) from notes").Scan(a, &n); err != nil {
		t.Fatal(err)
	}
	if err := d.R.NewRaw("SELECT count(*) FROM notes").Scan(a, &n); err != nil {
		t.Fatal(err)
	}
	if got := took(); len(got) != 0 {
		t.Fatalf("plain SELECTs reported %v", got)
	}

	// A write on W outside a transaction reports once, after the statement.
	if _, err := d.W.NewRaw("INSERT INTO notes (id) VALUES (?)", "n1").Exec(a); err != nil {
		t.Fatal(err)
	}
	if got := took(); !slices.Equal(got, []change{{firm: "firm-a", rows: 1}}) {
		t.Fatalf("an insert outside a transaction reported %v, want firm-a once with the row visible", got)
	}

	// A failed statement changes nothing and reports nothing.
	if _, err := d.W.NewRaw("INSERT INTO notes (id) VALUES (?)", "n1").Exec(a); err == nil {
		t.Fatal("a duplicate id was accepted")
	}
	if got := took(); len(got) != 0 {
		t.Fatalf("a failed insert reported %v", got)
	}

	// A transaction reports once, when it has committed: its rows are visible to a reader then.
	err = d.Tx(b, func(ctx context.Context, tx bun.Tx) error {
		for _, id := range []string{"n2", "n3"} {
			if _, err := tx.NewRaw("INSERT INTO notes (id) VALUES (?)", id).Exec(ctx); err != nil {
				return err
			}
		}
		if got := took(); len(got) != 0 {
			t.Errorf("statements inside the transaction reported %v before the commit", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := took(); !slices.Equal(got, []change{{firm: "firm-b", rows: 3}}) {
		t.Fatalf("a committed transaction reported %v, want firm-b once with its rows visible", got)
	}

	// A write that names no firm is still reported, naming none: the version decides (no firm's
	// version moves).
	if _, err := d.W.NewRaw("DELETE FROM notes WHERE id = ?", "n1").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := took(); !slices.Equal(got, []change{{firm: "", rows: 2}}) {
		t.Fatalf("a write naming no firm reported %v", got)
	}
}
