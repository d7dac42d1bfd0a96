package db_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// Committing writers leave the log to the background checkpointer, which copies their frames
// into the database within moments.
func TestSQLiteLogIsCheckpointedInTheBackground(t *testing.T) {
	t.Parallel()
	d := testkit.OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "ckpt.db"), false)
	ctx := context.Background()
	var auto int
	if err := d.W.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d (%v), want 0", auto, err)
	}
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"); err != nil {
		t.Fatal(err)
	}
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
			INSERT INTO notes (body) SELECT printf('%0500d', i) FROM n`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		completed, copied := d.CheckpointStats()
		if completed > 0 && copied > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no background checkpoint copied the log: completed=%d copied=%d", completed, copied)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
