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

// ForUpdate locks the rows q selects until the transaction ends, on PostgreSQL. SQLite needs no
// lock: its single writer already serialises write transactions (BEGIN IMMEDIATE).
func (d *DB) ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if d.Dialect == Postgres {
		return q.For("UPDATE")
	}
	return q
}
