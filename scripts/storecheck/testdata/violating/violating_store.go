package violating

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// A store file holds the resource's SQL: nothing here is reported.
func load(ctx context.Context, d *db.DB, firm db.Firm) (row, error) {
	var r row
	err := firm.Select(d.R, &r).Where("r.id = ?", "x").Scan(ctx)
	return r, err
}

func insert(ctx context.Context, tx bun.Tx, r *row) error {
	_, err := tx.NewInsert().Model(r).Exec(ctx)
	return err
}
