package db

import (
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// FilterKind says how a filter's value is parsed and validated.
type FilterKind int

// Filter kinds.
const (
	TextFilter    FilterKind = iota // any string, compared exactly
	ChoiceFilter                    // one of Filter.Choices
	BoolFilter                      // true or false
	IDFilter                        // a UUID
	DateFilter                      // YYYY-MM-DD
	IntegerFilter                   // a whole number
	TimeFilter                      // an RFC 3339 timestamp, bound as a time
)

// Filter is one query parameter that narrows a list: ?Name=value compares Column with Op
// ("=" by default; ">=" and "<=" for inclusive ranges).
type Filter struct {
	Name    string
	Column  string // trusted SQL expression, e.g. "c.status"
	Kind    FilterKind
	Choices []string
	Op      string
	Doc     string
	// Expr, when set, is the whole condition instead of Column Op ?: a trusted SQL expression
	// with one ? for the value, for a filter on related rows ("EXISTS (… = ?)").
	Expr string
}

// DateRange returns the inclusive pair <prefix>_after / <prefix>_before on a date column.
func DateRange(prefix, column string) []Filter {
	return []Filter{
		{Name: prefix + "_after", Column: column, Kind: DateFilter, Op: ">=", Doc: "On or after this date (YYYY-MM-DD)."},
		{Name: prefix + "_before", Column: column, Kind: DateFilter, Op: "<=", Doc: "On or before this date (YYYY-MM-DD)."},
	}
}

// OrderField is one field a list may be ordered by.
type OrderField struct {
	Name   string // as written in ?ordering=
	Column string // trusted SQL expression
}

// ListSpec declares how a resource's list is filtered, searched and ordered. A store declares
// one per resource (in a function, so no caller can change it); the API layer parses a request
// into a ListQuery against it and documents its parameters.
type ListSpec struct {
	Filters   []Filter
	Search    []string // SQL expressions that search terms are matched against
	Ordering  []OrderField
	Default   string // default ordering, e.g. "-created_at"
	UpdatedAt string // SQL expression of the row's update stamp, for updated_since
	ID        string // SQL expression of the primary key: the last tie-breaker, so pages never overlap
	// SearchIndex, when set, is the index that serves Search (every Search expression a column
	// of the listed table, in the index's column order).
	SearchIndex *SearchIndex
	// SoftDelete: the rows are deleted softly, and include_deleted lists them too (for owners
	// and admins; the resource kit checks who asks).
	SoftDelete bool
	// Tally, when set, is the table whose live rows row_counts keeps per firm (migration
	// 00016): a list with no filter, search or updated_since reads its count there instead of
	// counting every row (ListQuery.Count). Only for a list whose store adds no condition of
	// its own beyond the firm's (no per-role scope): the tally counts every live row.
	Tally string
}

// Check panics on a spec that contradicts itself: a programming error found at start-up.
func (s *ListSpec) Check() {
	if s.ID == "" || s.UpdatedAt == "" {
		panic("db: ListSpec needs ID and UpdatedAt")
	}
	if s.SearchIndex != nil {
		alias := s.alias()
		for _, col := range s.Search {
			if !strings.HasPrefix(col, alias+".") {
				panic(fmt.Sprintf("db: search column %q is not a column of the indexed table %s", col, alias))
			}
		}
	}
	for _, term := range strings.Split(s.Default, ",") {
		if _, ok := s.OrderColumn(strings.TrimPrefix(strings.TrimSpace(term), "-")); !ok && s.Default != "" {
			panic(fmt.Sprintf("db: default ordering %q is not an ordering field", term))
		}
	}
}

// alias is the listed table's alias: what ID's column is qualified with ("c" of "c.id").
func (s *ListSpec) alias() string {
	alias, _, _ := strings.Cut(s.ID, ".")
	return alias
}

// OrderColumn returns the SQL expression of an ordering field.
func (s *ListSpec) OrderColumn(name string) (string, bool) {
	for _, f := range s.Ordering {
		if f.Name == name {
			return f.Column, true
		}
	}
	return "", false
}

// OrderNames lists the ordering fields' names.
func (s *ListSpec) OrderNames() []string {
	names := make([]string, len(s.Ordering))
	for i, f := range s.Ordering {
		names[i] = f.Name
	}
	return names
}

// Condition is one validated filter: Column Op Value.
type Condition struct {
	Column, Op string
	Value      any
	Expr       string // the whole condition with one ? for Value, when the filter has one
}

// Order is one ORDER BY term.
type Order struct {
	Column string
	Desc   bool
}

// ListQuery is one request's validated list parameters, ready to become SQL: what a service
// receives from the API layer, with no HTTP in it.
type ListQuery struct {
	Spec         *ListSpec
	Page         int
	PageSize     int
	Conditions   []Condition
	Terms        []string // search terms; each must match one of Spec.Search
	Order        []Order
	UpdatedSince time.Time
	// IncludeDeleted asks for soft-deleted rows too (ListSpec.SoftDelete).
	IncludeDeleted bool
}

// Searching reports whether the query has search terms (a count query then needs the joins the
// search fields come from).
func (l ListQuery) Searching() bool { return len(l.Terms) > 0 }

// Where adds the filters, search terms and updated_since to q, without ordering: for a count
// query that leaves out the display joins a page needs.
func (l ListQuery) Where(q *bun.SelectQuery) *bun.SelectQuery {
	for _, c := range l.Conditions {
		if c.Expr != "" {
			q = q.Where(c.Expr, c.Value)
			continue
		}
		q = q.Where("? "+c.Op+" ?", bun.Safe(c.Column), c.Value)
	}
	if len(l.Terms) > 0 {
		q = l.Spec.SearchIndex.whereIndexed(q, l.Spec.alias(), l.Terms)
	}
	for _, term := range l.Terms {
		q = WhereContainsAnyFold(q, l.Spec.Search, term)
	}
	if !l.UpdatedSince.IsZero() {
		q = q.Where("? >= ?", bun.Safe(l.Spec.UpdatedAt), l.UpdatedSince)
	}
	return q
}

// Apply adds the filters, search terms, updated_since and ordering to q (not the page window).
func (l ListQuery) Apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = l.Where(q)
	for _, o := range l.Order {
		q = q.OrderExpr(o.Column + direction(o.Desc))
	}
	return q.OrderExpr(l.tieBreaker(q))
}

// Window limits q to the requested page.
func (l ListQuery) Window(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Limit(int64(l.PageSize)).Offset(int64(l.Page-1) * int64(l.PageSize))
}

// tieBreaker is the last sort key, which makes the order total so pages never overlap. It
// follows the last term's direction, so one index serves both. On SQLite it is the row's rowid
// rather than its id: every index ends with the rowid, so "(firm_id, created_at)" serves ORDER BY
// created_at, rowid without sorting the whole table.
func (l ListQuery) tieBreaker(q *bun.SelectQuery) string {
	tie := l.Spec.ID
	if q.Dialect().Name() == dialect.SQLite {
		if alias, ok := strings.CutSuffix(tie, ".id"); ok {
			tie = alias + ".rowid"
		}
	}
	desc := len(l.Order) > 0 && l.Order[len(l.Order)-1].Desc
	return tie + direction(desc)
}

func direction(desc bool) string {
	if desc {
		return " DESC"
	}
	return " ASC"
}

// Choices turns a typed enum's values into a choice filter's choices.
func Choices[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
