package db

import (
	"context"

	"github.com/uptrace/bun"
)

// Plain reports whether the list query narrows nothing: no filter, search term, updated_since
// or deleted rows. Its count is then the number of the firm's live rows.
func (l ListQuery) Plain() bool {
	return len(l.Conditions) == 0 && len(l.Terms) == 0 && l.UpdatedSince.IsZero() && !l.IncludeDeleted
}

// Count returns the number of rows of the list: from row_counts when the spec has a tally, the
// query is plain and the scope keeps to live rows, else by running count, the firm-scoped count
// query with the list's conditions (ListQuery.Where). A firm with a million time entries
// counts them in one indexed read of a few rows instead of reading a million.
func (l ListQuery) Count(ctx context.Context, idb bun.IDB, f Firm, count *bun.SelectQuery) (int64, error) {
	if l.Spec.Tally != "" && l.Plain() && !f.IncludesDeleted() {
		return f.LiveRows(ctx, idb, l.Spec.Tally)
	}
	n, err := count.Count(ctx)
	return int64(n), Translate(err)
}

// LiveRows returns how many live rows of table the firm has, as row_counts keeps them: triggers
// add and take back in every writing transaction, per scope (time entries: per user), so the
// sum is exact as of the reader's snapshot.
func (f Firm) LiveRows(ctx context.Context, idb bun.IDB, table string) (int64, error) {
	var n int64
	err := idb.NewSelect().TableExpr("row_counts").ColumnExpr("COALESCE(SUM(n), 0)").
		Where("firm_id = ?", f.id).Where("table_name = ?", table).Scan(ctx, &n)
	return n, Translate(err)
}
