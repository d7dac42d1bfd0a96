package db

import (
	"context"
	"errors"
	"sync"

	"github.com/uptrace/bun"
)

// errStillReferenced is the cause of a soft delete refused because live rows refer to the row:
// ConstraintOf reports it as ForeignKey, as the engine does for a hard delete, so a module's
// "in use" answer covers both.
var errStillReferenced = errors.New("db: live rows still refer to the row")

// reference is a foreign key of a table (child) to another (parent), as the schema declares it.
type reference struct {
	child, column string
	cascade       bool // ON DELETE CASCADE: the child rows belong to the parent's row
}

// tableFacts is what a soft delete needs to know of the tables: the foreign keys by parent table
// and which tables have firm_id and deleted_at columns.
type tableFacts struct {
	refs    map[string][]reference
	columns map[string]bool // "table.column" for firm_id and deleted_at
}

// schemas caches the schema by dialect (the migrations give both engines the same).
var schemas sync.Map // dialect name → *tableFacts

// owned are child tables whose rows belong to their parent's row though their key does not
// cascade; Owns declares them.
var owned sync.Map // "parent.child" → true

// Owns declares that the rows of child belong to their parent's row: they do not keep a soft
// delete of it from happening, and the purge removes them with it.
func Owns(parent, child string) { owned.Store(parent+"."+child, true) }

// readSchema reads the schema's foreign keys and columns once per dialect.
func readSchema(ctx context.Context, idb bun.IDB) (*tableFacts, error) {
	name := idb.Dialect().Name().String()
	if m, ok := schemas.Load(name); ok {
		return m.(*tableFacts), nil
	}
	var rows []struct {
		Child    string `bun:"child"`
		Column   string `bun:"col"`
		Parent   string `bun:"parent"`
		OnDelete string `bun:"on_delete"`
	}
	q := `SELECT m.name AS child, f."from" AS col, f."table" AS parent, f.on_delete AS on_delete
		FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'`
	if name == "pg" {
		q = `SELECT tc.table_name AS child, kcu.column_name AS col, ccu.table_name AS parent, rc.delete_rule AS on_delete
		FROM information_schema.table_constraints AS tc
		JOIN information_schema.key_column_usage AS kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
		JOIN information_schema.constraint_column_usage AS ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
		JOIN information_schema.referential_constraints AS rc ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.table_schema
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`
	}
	if err := idb.NewRaw(q).Scan(ctx, &rows); err != nil {
		return nil, Translate(err)
	}
	sc := &tableFacts{refs: make(map[string][]reference), columns: make(map[string]bool)}
	for _, r := range rows {
		sc.refs[r.Parent] = append(sc.refs[r.Parent], reference{child: r.Child, column: r.Column, cascade: r.OnDelete == "CASCADE"})
	}
	q = `SELECT m.name || '.' || c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
		WHERE m.type = 'table' AND c.name IN ('firm_id', 'deleted_at')`
	if name == "pg" {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name IN ('firm_id', 'deleted_at')`
	}
	var cols []string
	if err := idb.NewRaw(q).Scan(ctx, &cols); err != nil {
		return nil, Translate(err)
	}
	for _, c := range cols {
		sc.columns[c] = true
	}
	schemas.Store(name, sc)
	return sc, nil
}

// referenced reports whether a live row of the firm other than the table's own rows that
// belong to it refers to row id of table: a soft delete then leaves it alone, as the engine's
// foreign keys refuse a hard delete. Rows of soft-deleted child tables count only while live.
func (f Firm) referenced(ctx context.Context, idb bun.IDB, table, id string) (bool, error) {
	sc, err := readSchema(ctx, idb)
	if err != nil {
		return false, err
	}
	for _, r := range sc.refs[table] {
		if _, mine := owned.Load(table + "." + r.child); mine || r.cascade {
			continue
		}
		q := idb.NewSelect().TableExpr("?", bun.Ident(r.child)).Where("? = ?", bun.Ident(r.column), id)
		if sc.columns[r.child+".firm_id"] {
			q = q.Where("firm_id = ?", f.id)
		}
		if sc.columns[r.child+".deleted_at"] {
			q = q.Where("deleted_at IS NULL")
		}
		if r.child == table {
			q = q.Where("id <> ?", id)
		}
		found, err := q.Exists(ctx)
		if err != nil {
			return false, Translate(err)
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}
