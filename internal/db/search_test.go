package db

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"
)

func TestFTSPhrases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		terms []string
		want  string
	}{
		{[]string{"Acme"}, `"acme"`},
		{[]string{"ab", "c"}, ``}, // too short for trigrams: LIKE alone
		{[]string{"ab", "Acme"}, `"acme"`},
		{[]string{`"quoted"`}, `"""quoted"""`},
		{[]string{"a AND b"}, `"a and b"`},
		{[]string{"near(", "xy*", "-co", "o'b"}, `"near(" AND "xy*" AND "-co" AND "o'b"`},
		{[]string{"MÜL"}, `"mül"`}, // three characters, four bytes
		{[]string{"Ül"}, ``},
		{[]string{"100%", "a_b"}, `"100%" AND "a_b"`},
	}
	for _, tt := range tests {
		if got := ftsPhrases(tt.terms); got != tt.want {
			t.Errorf("ftsPhrases(%q) = %s, want %s", tt.terms, got, tt.want)
		}
	}
}

// searchRow is a model for the SQL of an indexed search.
type searchRow struct {
	bun.BaseModel `bun:"table:things,alias:t"`
	ID            string `bun:"id,pk"`
	Name          string `bun:"name"`
}

func TestSearchIndexSQL(t *testing.T) {
	t.Parallel()
	spec := &ListSpec{Search: []string{"t.name"}, ID: "t.id", UpdatedAt: "t.updated_at",
		SearchIndex: &SearchIndex{Table: "things", FTS: "things_fts"}}
	spec.Check()
	tests := []struct {
		name    string
		dialect schema.Dialect
		terms   []string
		want    []string
		notWant []string
	}{
		{"sqlite, long term", sqlitedialect.New(), []string{"Acme"},
			[]string{`FROM "things" AS "t" NOT INDEXED`, `"t".rowid IN (SELECT rowid FROM "things_fts" WHERE "things_fts" MATCH '"acme"')`, `lower(t.name) LIKE '%acme%'`}, nil},
		{"sqlite, short term", sqlitedialect.New(), []string{"ac"},
			[]string{`lower(t.name) LIKE '%ac%'`}, []string{"MATCH", "NOT INDEXED"}},
		{"postgres", pgdialect.New(), []string{"Acme"},
			[]string{`lower(t.name) LIKE '%acme%'`}, []string{"MATCH", "NOT INDEXED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idb := bun.NewDB(&sql.DB{}, tt.dialect)
			got := ListQuery{Spec: spec, Terms: tt.terms}.Where(idb.NewSelect().Model((*searchRow)(nil))).String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("SQL lacks %s:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("SQL has %s:\n%s", w, got)
				}
			}
		})
	}
}

func TestSearchIndexNeedsOwnColumns(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("a search column of a joined table did not panic")
		}
	}()
	spec := &ListSpec{Search: []string{"t.name", "o.name"}, ID: "t.id", UpdatedAt: "t.updated_at",
		SearchIndex: &SearchIndex{Table: "things", FTS: "things_fts"}}
	spec.Check()
}
