package db

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// Deletion is embedded in the model of a table whose rows are deleted softly: DELETE marks the
// row (Firm.Remove) and the firm's reads skip it (Firm.Select, Firm.Update, Firm.Exists) until
// it is restored or purged. The table has the two columns and partial indexes (WHERE
// deleted_at IS NULL) for its lists and unique rules.
type Deletion struct {
	DeletedAt *time.Time `bun:"deleted_at"`
	DeletedBy *string    `bun:"deleted_by"`
}

// Deleted reports whether the row is marked deleted.
func (d Deletion) Deleted() bool { return d.DeletedAt != nil }

// Mark returns the deletion mark (for the API form of a model that embeds Deletion).
func (d Deletion) Mark() Deletion { return d }

func (Deletion) softDeleted() {}

type softDeleter interface{ softDeleted() }

var softTypes sync.Map // reflect.Type → bool

// SoftDeletes reports whether model (a *T, a *[]T or a *[]*T) is a soft-deleted table's model.
func SoftDeletes(model any) bool {
	t := reflect.TypeOf(model)
	if t == nil {
		return false
	}
	if v, ok := softTypes.Load(t); ok {
		return v.(bool)
	}
	e := t
	for e.Kind() == reflect.Pointer || e.Kind() == reflect.Slice {
		e = e.Elem()
	}
	ok := e.Kind() == reflect.Struct && reflect.PointerTo(e).Implements(reflect.TypeFor[softDeleter]())
	softTypes.Store(t, ok)
	return ok
}

// live reports whether a SELECT on model keeps to live rows: the table deletes softly and the
// scope does not include deleted rows.
func (f Firm) live(model any) bool { return !f.withDeleted && SoftDeletes(model) }

// WithDeleted is the firm's scope with soft-deleted rows included: the lists an owner or admin
// asks for with include_deleted, restore and the purge.
func (f Firm) WithDeleted() Firm {
	f.withDeleted = true
	return f
}

// IncludesDeleted reports whether the scope reads soft-deleted rows too.
func (f Firm) IncludesDeleted() bool { return f.withDeleted }

// Remove deletes the row id of model's table: it marks it deleted (by the user, at the time)
// when the table deletes softly, and deletes it otherwise. A row already marked is not found.
func (f Firm) Remove(ctx context.Context, idb bun.IDB, model any, id, by string, at time.Time) error {
	if !SoftDeletes(model) {
		res, err := idb.NewDelete().Model(model).Where("?TableAlias.firm_id = ?", f.id).
			Where("?TableAlias.id = ?", id).Exec(ctx)
		return oneRow(res, err)
	}
	table := idb.Dialect().Tables().Get(reflect.TypeOf(model).Elem()).Name
	used, err := f.referenced(ctx, idb, table, id)
	if err != nil {
		return err
	}
	if used {
		return &fault.Error{Kind: fault.Invalid, Message: fault.ValidationMessage,
			Details: map[string][]string{fault.NonField: {MsgReference}}, Cause: errStillReferenced}
	}
	q := idb.NewUpdate().Model(model).Where("?TableAlias.firm_id = ?", f.id).Where("?TableAlias.id = ?", id).
		Where("?TableAlias.deleted_at IS NULL").Set("deleted_at = ?", Stamp(at))
	if by != "" {
		q = q.Set("deleted_by = ?", by)
	}
	res, err := q.Exec(ctx)
	return oneRow(res, err)
}

// Restore clears the deleted mark of the row id of model's table. It reports whether the row
// was deleted; a row that is not the firm's is not found.
func (f Firm) Restore(ctx context.Context, idb bun.IDB, model any, id string) (bool, error) {
	if !ValidID(id) {
		return false, NotFound()
	}
	deleted, err := f.WithDeleted().Select(idb, model).
		Where("?TableAlias.id = ?", id).Where("?TableAlias.deleted_at IS NOT NULL").Exists(ctx)
	if err != nil || !deleted {
		if err == nil {
			var live bool
			live, err = f.Exists(ctx, idb, model, "?TableAlias.id = ?", id)
			if err == nil && !live {
				err = NotFound()
			}
		}
		return false, Translate(err)
	}
	_, err = idb.NewUpdate().Model(model).Where("?TableAlias.firm_id = ?", f.id).Where("?TableAlias.id = ?", id).
		Set("deleted_at = NULL").Set("deleted_by = NULL").Exec(ctx)
	return true, Translate(err)
}

// oneRow turns a statement that touched no row into not found.
func oneRow(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return Translate(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return NotFound()
	}
	return nil
}

// Parent names a column of a soft-deleted row that refers to another soft-deleted table's row.
type Parent struct {
	Column string // "project_id"
	Model  any    // (*projects.Project)(nil)
}

// DeletedParent returns the first parent of row id of model's table (deleted or not) that is
// itself deleted: restoring the row then would leave it under a deleted parent. parents are
// checked first, in order; then every other foreign key of the table to a soft-deleted table,
// as the schema declares it, so that a parent left out of parents is still checked. It returns
// the referring column and the parent's table, "" when no parent is deleted.
func (f Firm) DeletedParent(ctx context.Context, idb bun.IDB, model any, id string, parents []Parent) (column, table string, err error) {
	sc, err := readSchema(ctx, idb)
	if err != nil {
		return "", "", err
	}
	child := idb.Dialect().Tables().Get(reflect.TypeOf(model).Elem()).Name
	type parentRef struct{ table, column string }
	refs := make([]parentRef, 0, len(parents))
	declared := map[string]bool{}
	for _, p := range parents {
		refs = append(refs, parentRef{table: idb.Dialect().Tables().Get(reflect.TypeOf(p.Model).Elem()).Name, column: p.Column})
		declared[p.Column] = true
	}
	var others []parentRef
	for parent, rs := range sc.refs {
		for _, r := range rs {
			if r.child == child && !declared[r.column] && sc.columns[parent+".deleted_at"] {
				others = append(others, parentRef{table: parent, column: r.column})
			}
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].column < others[j].column })
	for _, r := range append(refs, others...) {
		var ref *string
		err := f.WithDeleted().Select(idb, model).ColumnExpr("?TableAlias.? AS ref", bun.Ident(r.column)).
			Where("?TableAlias.id = ?", id).Scan(ctx, &ref)
		if err != nil {
			return "", "", Translate(err)
		}
		if ref == nil {
			continue
		}
		q := idb.NewSelect().TableExpr("?", bun.Ident(r.table)).Where("id = ?", *ref).Where("deleted_at IS NOT NULL")
		if sc.columns[r.table+".firm_id"] {
			q = q.Where("firm_id = ?", f.id)
		}
		deleted, err := q.Exists(ctx)
		if err != nil {
			return "", "", Translate(err)
		}
		if deleted {
			return r.column, r.table, nil
		}
	}
	return "", "", nil
}
