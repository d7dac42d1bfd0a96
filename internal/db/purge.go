package db

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// PurgeBatch is how many rows of one table a purge pass removes at most; the next pass takes
// the rest.
const PurgeBatch = 1000

// PurgeDeleted removes for good the rows of model's table (a soft-deleted table) deleted before
// cutoff, in every firm, and the rows that cascade from them. It deletes one row at a time, each
// in its own transaction run with the context each returns for its id (the audit log's frame;
// nil: ctx itself): a row that something still refers to (a child deleted later, not yet due)
// stays for a later pass instead of failing the others. It returns how many rows it removed.
func (d *DB) PurgeDeleted(ctx context.Context, model any, cutoff time.Time, each func(context.Context, string) context.Context) (int, error) {
	var ids []string
	err := d.R.NewSelect().Model(model).Column("id").Where("?TableAlias.deleted_at < ?", Stamp(cutoff)).
		OrderExpr("?TableAlias.deleted_at").Limit(PurgeBatch).Scan(ctx, &ids)
	if err != nil {
		return 0, Translate(err)
	}
	purged := 0
	for _, id := range ids {
		rowCtx := ctx
		if each != nil {
			rowCtx = each(ctx, id)
		}
		err := d.Tx(rowCtx, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewDelete().Model(model).Where("?TableAlias.id = ?", id).
				Where("?TableAlias.deleted_at IS NOT NULL").Exec(ctx)
			return err
		})
		switch err = Translate(err); {
		case err == nil:
			purged++
		case ConstraintOf(err) == ForeignKey:
			continue
		default:
			return purged, err
		}
	}
	return purged, nil
}
