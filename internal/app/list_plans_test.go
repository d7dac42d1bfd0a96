package app_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The lists' page queries are served by their partial indexes (WHERE deleted_at IS NULL): each
// query must say deleted_at IS NULL for the engine to use them. On PostgreSQL, whose planner
// prefers a scan of a test's few rows, sequential scans are priced out first, so the plan shows
// whether the index can serve the query at all.
func TestListPagesUseTheirPartialIndexes(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Log: true})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := auditedClient(t, s, tok)
	project := created(t, s, tok, "/api/projects/projects/", map[string]any{"client": client,
		"name": fmt.Sprintf("Project %d", testkit.Seq()), "start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"})
	for _, day := range []string{"2026-02-02", "2026-02-03"} {
		created(t, s, tok, "/api/projects/time-entries/", map[string]any{"project": project, "date": day, "hours": "2.00",
			"description": "Interviews"})
	}
	cases := []struct {
		name, path, table string
		indexes           []string // any of them serves the page (the choice follows the statistics)
	}{
		{"project list", "/api/projects/projects/", "projects", []string{"projects_firm_created"}},
		{"time-entry list", "/api/projects/time-entries/", "time_entries", []string{"time_entries_firm_date"}},
		{"time entries of a project in a range", "/api/projects/time-entries/?project=" + project +
			"&date_after=2026-02-01&date_before=2026-02-28", "time_entries",
			[]string{"time_entries_firm_project_date", "time_entries_firm_date"}},
	}
	for _, tc := range cases {
		s.Statements.Take()
		testkit.WantStatus(t, s.Do(t, http.MethodGet, tc.path, tok, nil), http.StatusOK)
		page := pageQuery(s.Statements.Take(), tc.table)
		if page == "" {
			t.Errorf("%s: no page query of %s ran", tc.name, tc.table)
			continue
		}
		plan := explain(t, s.DB(), page)
		if !slices.ContainsFunc(tc.indexes, func(index string) bool {
			return strings.Contains(plan, "INDEX "+index+" ") ||
				strings.Contains(plan, " using "+index+" on ")
		}) {
			t.Errorf("%s: plan uses none of %v:\n%s\nquery: %s", tc.name, tc.indexes, plan, page)
		}
		t.Logf("%s:\n%s", tc.name, plan)
	}
}

// pageQuery is the statement that read a list's page of table (the one with a LIMIT).
func pageQuery(statements []string, table string) string {
	for _, q := range statements {
		if strings.HasPrefix(q, "SELECT") && strings.Contains(q, `FROM "`+table+`" AS`) && strings.Contains(q, "LIMIT") {
			return q
		}
	}
	return ""
}

// explain is the engine's plan of query, one line per step.
func explain(t *testing.T, d *db.DB, query string) string {
	t.Helper()
	ctx := context.Background()
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	prefix := "EXPLAIN QUERY PLAN "
	if d.Dialect == db.Postgres {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		prefix = "EXPLAIN (COSTS OFF) "
	}
	rows, err := tx.QueryContext(ctx, prefix+query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
