package db

import (
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// likeEscaper escapes LIKE wildcards so that a search term matches literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// WhereContainsAnyFold narrows q to rows where at least one of the columns contains term,
// ignoring case. The same SQL runs on SQLite and PostgreSQL (lower(…) LIKE with an explicit
// escape character). Columns are trusted SQL expressions from the module, never user input.
func WhereContainsAnyFold(q *bun.SelectQuery, columns []string, term string) *bun.SelectQuery {
	pattern := "%" + likeEscaper.Replace(strings.ToLower(term)) + "%"
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, col := range columns {
			q = q.WhereOr(`lower(?) LIKE ? ESCAPE '\'`, bun.Safe(col), pattern)
		}
		return q
	})
}

// SearchIndex says that an index serves a list's search, so that a term finds its rows
// without reading every row of the firm. The match itself stays the contains-match of
// WhereContainsAnyFold on every engine; the index only narrows the rows it is checked on.
//
//   - PostgreSQL: GIN trigram indexes (pg_trgm, gin_trgm_ops) on lower(column) of each search
//     column serve the LIKE '%term%' as it is; nothing changes in the query.
//   - SQLite: FTS names an FTS5 table with the trigram tokenizer (case_sensitive 1), one column
//     per search column holding lower(column), whose rowid is the searched row's rowid, kept in
//     step by triggers (see migrations/sqlite/00013_client_search.sql). Terms of three or more
//     characters are looked up in it as phrases.
//
// Search columns from joined tables cannot be served: the index holds the row's own columns.
type SearchIndex struct {
	Table string // the searched table, as the list's FROM names it ("clients")
	FTS   string // the SQLite FTS5 table ("clients_fts")
}

// minTrigram is the shortest term a trigram index can look up; shorter ones are matched by
// LIKE alone.
const minTrigram = 3

// ftsPhrases returns the FTS5 query that every one of terms matches as a substring, or ""
// when no term is long enough for the trigram index. Each term is lower-cased as the indexed
// text is (lower() on SQLite is Go's strings.ToLower, see fold.go) and quoted as a phrase,
// with its double quotes doubled, so that operators (AND, OR, NEAR, *, -, ^, :) and
// punctuation in it are text.
func ftsPhrases(terms []string) string {
	var phrases []string
	for _, term := range terms {
		term = strings.ToLower(term)
		if utf8.RuneCountInString(term) < minTrigram {
			continue
		}
		phrases = append(phrases, `"`+strings.ReplaceAll(term, `"`, `""`)+`"`)
	}
	return strings.Join(phrases, " AND ")
}

// whereIndexed narrows q, on SQLite, to the rows the search index finds for the terms. The
// table is then read by rowid only (NOT INDEXED): without statistics the planner would rather
// walk the firm's rows in the list's order and test each against the matches.
func (ix *SearchIndex) whereIndexed(q *bun.SelectQuery, alias string, terms []string) *bun.SelectQuery {
	if ix == nil || q.Dialect().Name() != dialect.SQLite {
		return q
	}
	match := ftsPhrases(terms)
	if match == "" {
		return q
	}
	return q.ModelTableExpr("? AS ? NOT INDEXED", bun.Ident(ix.Table), bun.Ident(alias)).
		Where("?.rowid IN (SELECT rowid FROM ? WHERE ? MATCH ?)",
			bun.Ident(alias), bun.Ident(ix.FTS), bun.Ident(ix.FTS), match)
}
