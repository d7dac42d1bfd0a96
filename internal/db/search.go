package db

import (
	"strings"

	"github.com/uptrace/bun"
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
