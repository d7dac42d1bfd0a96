package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// NextNumber allocates the next document number of a kind (e.g. "proposal") for a firm and
// year. It must run inside the transaction that inserts the document: the counter row is bumped
// with an upsert, which PostgreSQL row-locks and SQLite serialises on its single writer, so
// concurrent inserts get distinct, consecutive numbers and a rolled-back insert gives its number
// back.
func NextNumber(ctx context.Context, tx bun.IDB, firmID, kind string, year int) (int64, error) {
	var n int64
	err := tx.NewRaw(`INSERT INTO doc_counters (firm_id, kind, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (firm_id, kind, year) DO UPDATE SET last = doc_counters.last + 1
		RETURNING last`, firmID, kind, year).Scan(ctx, &n)
	return n, Translate(err)
}

// FormatNumber renders PREFIX-YYYY-NNN (at least three digits).
func FormatNumber(prefix string, year int, n int64) string {
	return fmt.Sprintf("%s-%d-%03d", prefix, year, n)
}
