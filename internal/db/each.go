package db

import (
	"context"

	"github.com/uptrace/bun"
)

// Each runs q and calls each with every row it returns, one at a time, without holding the
// result in memory: the export path of a list (its filters, search and ordering applied,
// without a page window). It stops at the first error each returns. The row passed to each is
// reused for the next row: each must not keep it.
func Each[T any](ctx context.Context, q *bun.SelectQuery, each func(*T) error) error {
	rows, err := q.Rows(ctx)
	if err != nil {
		return Translate(err)
	}
	defer rows.Close()
	var row T
	for rows.Next() {
		var zero T
		row = zero
		if err := q.DB().ScanRow(ctx, rows, &row); err != nil {
			return Translate(err)
		}
		if err := each(&row); err != nil {
			return err
		}
	}
	return Translate(rows.Err())
}
