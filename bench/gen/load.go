package gen

import (
	"context"
	"fmt"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/uptrace/bun"
)

// rowsPerInsert is how many rows one INSERT carries: enough to amortise the statement and round
// trip, while a statement stays around a megabyte (bun inlines the values).
const rowsPerInsert = 2_000

// entriesPerTx is how many time entries one transaction commits, so a million-row load keeps
// its write-ahead log and memory bounded.
const entriesPerTx = 100_000

// sqliteCacheKiB is the page cache the writer connection gets for the load (256 MiB): the
// indexes of a million entries then stay in memory while they are built.
const sqliteCacheKiB = 256 * 1024

// loadedTables are the tables the generator fills, analysed once it is done.
func loadedTables() []string {
	return []string{"users", "clients", "proposals", "contracts", "projects", "tasks", "time_entries", "doc_counters"}
}

// insertRows inserts rows in statements of rowsPerInsert rows.
func insertRows[T any](ctx context.Context, idb bun.IDB, rows []T) error {
	for len(rows) > 0 {
		chunk := rows[:min(rowsPerInsert, len(rows))]
		if _, err := idb.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return fmt.Errorf("insert %T: %w", chunk[0], err)
		}
		rows = rows[len(chunk):]
	}
	return nil
}

// prepare readies the database for a bulk load: on SQLite a large page cache on the writer
// connection (the only one, so the setting holds for the whole load).
func prepare(ctx context.Context, d *db.DB) error {
	if d.Dialect != db.SQLite {
		return nil
	}
	_, err := d.W.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", sqliteCacheKiB))
	return err
}

// loadPlan inserts everything but the time entries, and the document counters, in one
// transaction.
func loadPlan(ctx context.Context, d *db.DB, firmID string, p *plan) error {
	return d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		steps := []func() error{
			func() error { return insertRows(ctx, tx, p.clients) },
			func() error { return insertRows(ctx, tx, p.proposals) },
			func() error { return insertRows(ctx, tx, p.contracts) },
			func() error { return insertRows(ctx, tx, p.projects) },
			func() error { return insertRows(ctx, tx, p.tasks) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		for _, c := range p.counters {
			if _, err := tx.ExecContext(ctx, "INSERT INTO doc_counters (firm_id, kind, year, last) VALUES (?, ?, ?, ?)",
				firmID, c.kind, c.year, c.last); err != nil {
				return fmt.Errorf("insert doc counter: %w", err)
			}
		}
		return nil
	})
}

// loadEntries generates the time entries project by project and inserts them, entriesPerTx
// to a transaction. Generation of the next batch overlaps the insertion of the last. It
// returns how many it inserted.
func loadEntries(ctx context.Context, d *db.DB, g *entryGen, work []projectWork) (int, error) {
	batches := make(chan []projects.TimeEntry, 1)
	genErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		genErr <- g.batches(ctx, work, entriesPerTx, batches)
	}()
	n := 0
	for rows := range batches {
		if err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return insertRows(ctx, tx, rows) }); err != nil {
			cancel()
			for range batches { // let the generator finish
			}
			return n, err
		}
		n += len(rows)
	}
	return n, <-genErr
}

// batches generates every project's entries and sends them in batches of at least size rows
// (the last may be smaller), stopping early when ctx ends.
func (g *entryGen) batches(ctx context.Context, work []projectWork, size int, out chan<- []projects.TimeEntry) error {
	var batch []projects.TimeEntry
	send := func() error {
		select {
		case out <- batch:
			batch = nil
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for i := range work {
		rows, err := g.project(&work[i])
		if err != nil {
			return err
		}
		batch = append(batch, rows...)
		if len(batch) >= size {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return send()
	}
	return nil
}

// finish refreshes the planner's statistics and, on SQLite, folds the write-ahead log back into
// the database file.
func finish(ctx context.Context, d *db.DB) error {
	for _, t := range loadedTables() {
		if _, err := d.W.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	if d.Dialect == db.SQLite {
		if _, err := d.W.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	return nil
}
