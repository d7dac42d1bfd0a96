package db

import (
	"context"

	"github.com/uptrace/bun"
)

// Firm scopes queries to one firm (the tenant). Module stores build their queries through it, so
// every SELECT, UPDATE and DELETE carries "firm_id = ?" and an unscoped query has to be written
// on purpose, in plain sight. Another firm's row is simply not found (404, never 403).
type Firm struct {
	id          string
	withDeleted bool
}

// ForFirm returns the scope of one firm. An empty id is a programming error: it would match
// nothing on one engine and surprise on another, so it panics.
func ForFirm(id string) Firm {
	if id == "" {
		panic("db: ForFirm with an empty firm id")
	}
	return Firm{id: id}
}

// ID is the firm's id, for the firm_id column of rows being inserted.
func (f Firm) ID() string { return f.id }

// Select starts a SELECT on model limited to the firm's rows, live ones only when the table
// deletes softly (unless the scope is WithDeleted).
func (f Firm) Select(idb bun.IDB, model any) *bun.SelectQuery {
	q := idb.NewSelect().Model(model).Where("?TableAlias.firm_id = ?", f.id)
	if f.live(model) {
		q = q.Where("?TableAlias.deleted_at IS NULL")
	}
	return q
}

// Update starts an UPDATE on model limited to the firm's rows, live ones only when the table
// deletes softly: a deleted row changes only through Restore.
func (f Firm) Update(idb bun.IDB, model any) *bun.UpdateQuery {
	q := idb.NewUpdate().Model(model).Where("?TableAlias.firm_id = ?", f.id)
	if SoftDeletes(model) {
		q = q.Where("?TableAlias.deleted_at IS NULL")
	}
	return q
}

// Delete starts a DELETE on model limited to the firm's rows. It deletes for good: a resource
// deletes its rows with Remove, which marks them when the table deletes softly.
func (f Firm) Delete(idb bun.IDB, model any) *bun.DeleteQuery {
	return idb.NewDelete().Model(model).Where("?TableAlias.firm_id = ?", f.id)
}

// Exists reports whether a row of model's table of the firm matches where.
func (f Firm) Exists(ctx context.Context, idb bun.IDB, model any, where string, args ...any) (bool, error) {
	ok, err := f.Select(idb, model).Where(where, args...).Exists(ctx)
	return ok, Translate(err)
}
