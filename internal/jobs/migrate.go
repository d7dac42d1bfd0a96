package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrate applies River's own migrations (its job, queue and leader tables) to d and returns
// how many it applied. They are River's, versioned by River in its river_migration table, and
// run right after the app's own (db.Migrate).
func Migrate(ctx context.Context, d *db.DB) (int, error) {
	var res *rivermigrate.MigrateResult
	var err error
	if d.Dialect == db.SQLite {
		var m *rivermigrate.Migrator[*sql.Tx]
		if m, err = rivermigrate.New(riversqlite.New(d.W.DB), nil); err == nil {
			res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	} else {
		var m *rivermigrate.Migrator[*sql.Tx]
		if m, err = rivermigrate.New(riverdatabasesql.New(d.W.DB), nil); err == nil {
			res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("migrate jobs tables: %w", err)
	}
	return len(res.Versions), nil
}
