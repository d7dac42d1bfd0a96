package db

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
)

// Tx runs fn inside one transaction on the writer: committed when fn returns nil, rolled back
// otherwise (and on panic). Errors come back translated (see Translate). fn receives the
// transaction, which it must use for every statement, reads included, so that all of them see
// the same snapshot.
func (d *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	err := d.W.RunInTx(ctx, &sql.TxOptions{}, fn)
	return Translate(err)
}
