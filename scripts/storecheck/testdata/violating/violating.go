// Package violating builds and runs queries outside a store file: each line marked "want" must
// be reported with exactly those messages.
package violating

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

type row struct {
	bun.BaseModel `bun:"table:rows,alias:r"`
	ID            string `bun:"id,pk"`
}

// handles embeds a bun handle: its promoted builders are bun's.
type handles struct {
	*bun.DB
}

// selecter is a module's own interface over bun handles.
type selecter interface {
	NewSelect() *bun.SelectQuery
}

func builders(ctx context.Context, d *db.DB) {
	var r row
	_ = d.R.NewSelect().Model(&r).Where("r.id = ?", "x").Scan(ctx) // want "NewSelect builds a query outside a *_store.go file" "Scan runs a statement outside a *_store.go file"
	_, _ = d.W.NewInsert().Model(&r).Exec(ctx)                     // want "NewInsert builds a query outside a *_store.go file" "Exec runs a statement outside a *_store.go file"
	_ = d.W.NewUpdate()                                            // want "NewUpdate builds a query outside a *_store.go file"
	_ = d.W.NewDelete()                                            // want "NewDelete builds a query outside a *_store.go file"
	_ = d.W.NewRaw("SELECT 1")                                     // want "NewRaw builds a query outside a *_store.go file"
	_ = d.W.NewCreateTable()                                       // want "NewCreateTable builds a query outside a *_store.go file"
	_ = d.W.NewDropTable()                                         // want "NewDropTable builds a query outside a *_store.go file"
	_ = d.W.NewMerge()                                             // want "NewMerge builds a query outside a *_store.go file"
	_ = d.W.NewValues(&r)                                          // want "NewValues builds a query outside a *_store.go file"
	_ = d.W.NewAddColumn()                                         // want "NewAddColumn builds a query outside a *_store.go file"
	_ = d.W.NewDropColumn()                                        // want "NewDropColumn builds a query outside a *_store.go file"
	_ = d.W.NewTruncateTable()                                     // want "NewTruncateTable builds a query outside a *_store.go file"
	_ = bun.NewSelectQuery(d.R)                                    // want "bun.NewSelectQuery builds a query outside a *_store.go file"
	_ = handles{d.W}.NewSelect()                                   // want "NewSelect builds a query outside a *_store.go file"
	var s selecter = d.R
	_ = s.NewSelect() // want "NewSelect builds a query outside a *_store.go file"
}

func runners(ctx context.Context, q *bun.SelectQuery, tx bun.Tx, idb bun.IDB) {
	var n int
	_, _ = q.Count(ctx)                              // want "Count runs a statement outside a *_store.go file"
	_, _ = q.Exists(ctx)                             // want "Exists runs a statement outside a *_store.go file"
	_, _ = q.ScanAndCount(ctx)                       // want "ScanAndCount runs a statement outside a *_store.go file"
	_, _ = tx.Exec("DELETE FROM rows")               // want "Exec runs a statement outside a *_store.go file"
	_, _ = tx.ExecContext(ctx, "DELETE FROM rows")   // want "ExecContext runs a statement outside a *_store.go file"
	_ = tx.QueryRowContext(ctx, "SELECT 1").Scan(&n) // want "QueryRowContext runs a statement outside a *_store.go file"
	_ = idb.NewRaw("SELECT 1").Scan(ctx, &n)         // want "NewRaw builds a query outside a *_store.go file" "Scan runs a statement outside a *_store.go file"
	run := q.Scan                                    // want "Scan runs a statement outside a *_store.go file"
	_ = run(ctx)
}

func scoped(ctx context.Context, idb bun.IDB, firm db.Firm) {
	_ = firm.Select(idb, (*row)(nil)) // want "db.Firm.Select builds a query outside a *_store.go file"
	_ = firm.Update(idb, (*row)(nil)) // want "db.Firm.Update builds a query outside a *_store.go file"
	_ = firm.Delete(idb, (*row)(nil)) // want "db.Firm.Delete builds a query outside a *_store.go file"
	_ = firm.ID()
}
