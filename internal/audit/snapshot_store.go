package audit

import (
	"context"
	"database/sql"
	"errors"
	"reflect"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// snapshot reads the row of model type t with id, deleted or not, through the change's
// transaction; nil when there is none.
func snapshot(ctx context.Context, tx bun.Tx, t reflect.Type, id string) (row, error) {
	v := reflect.New(t)
	table := tx.Dialect().Tables().Get(t)
	if len(table.PKs) != 1 {
		return nil, nil
	}
	err := tx.NewSelect().Model(v.Interface()).Where("?TableAlias.? = ?", bun.Ident(table.PKs[0].Name), id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Translate(err)
	}
	return fields(tx, v.Elem()), nil
}
