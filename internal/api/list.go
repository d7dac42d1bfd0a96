package api

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// Messages of list parameter errors.
const (
	MsgInvalidPage    = "Invalid page."
	MsgPageNumber     = "A page number must be a positive integer."
	MsgPageSize       = "Page size must be an integer from 1 to 200."
	MsgSearchTooLong  = "Ensure this value has at most 100 characters."
	MsgUpdatedSince   = "Enter a valid RFC 3339 timestamp, e.g. 2026-02-10T14:00:00Z."
	MsgBool           = "Must be true or false."
	MsgUUID           = "Must be a valid UUID."
	MsgDate           = "Enter a valid date in YYYY-MM-DD format."
	MsgInteger        = "Must be an integer."
	msgChoiceFormat   = "Select a valid choice. %q is not one of the available choices (%s)."
	msgOrderingFormat = "Unknown ordering field %q. Allowed: %s."
)

// ListInput is embedded in a list operation's input. It captures the raw query string and the
// URL the client used, so the ListSpec can validate every parameter with the API's own messages
// and build next/previous links.
type ListInput struct {
	query url.Values
	base  url.URL
}

// Resolve implements huma.Resolver.
func (in *ListInput) Resolve(ctx huma.Context) []error {
	u := ctx.URL()
	in.query = u.Query()
	info := Info(ctx.Context())
	in.base = url.URL{Scheme: info.Scheme, Host: ctx.Host(), Path: info.Path}
	if in.base.Scheme == "" {
		in.base.Scheme = "http"
	}
	if in.base.Path == "" {
		in.base.Path = u.Path
	}
	return nil
}

// Query returns the raw query string values (for parameters a module handles itself).
func (in *ListInput) Query() url.Values { return in.query }

// Params are one request's validated list parameters.
type Params struct {
	Page     int
	PageSize int

	spec     *ListSpec
	lastDesc bool // the tie-breaker follows the last term's direction, so one index serves both
	where    []condition
	terms    []string
	order    []string
	updated  time.Time
	in       *ListInput
}

type condition struct {
	column, op string
	value      any
}

// Parse validates the list parameters of a request against the spec. Every invalid parameter is
// reported at once, as a 400 ParseError with the parameter names in details.
func (s *ListSpec) Parse(in *ListInput) (Params, error) {
	q := in.query
	p := Params{Page: 1, PageSize: DefaultPageSize, spec: s, in: in}
	var bad fault.Fields
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad.Add("page", MsgPageNumber)
		}
		// Saturate so offsets cannot overflow; a page this far out is past the end of any list
		// and is answered "Invalid page.".
		p.Page = min(n, math.MaxInt32)
	}
	if v, ok := q["page_size"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > MaxPageSize {
			bad.Add("page_size", MsgPageSize)
		}
		p.PageSize = n
	}
	if v := q.Get("search"); v != "" {
		if utf8.RuneCountInString(v) > MaxSearchLength {
			bad.Add("search", MsgSearchTooLong)
		} else if len(s.Search) > 0 {
			p.terms = strings.Fields(v)
		}
	}
	ordering := q.Get("ordering")
	if ordering == "" {
		ordering = s.Default
	}
	p.order, p.lastDesc, bad = s.parseOrdering(ordering, bad)
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			bad.Add("updated_since", MsgUpdatedSince)
		}
		p.updated = t.UTC()
	}
	for _, f := range s.Filters {
		v := q.Get(f.Name)
		if v == "" {
			continue // an empty filter is no filter
		}
		value, msg := f.parse(v)
		if msg != "" {
			bad.Add(f.Name, msg)
			continue
		}
		op := f.Op
		if op == "" {
			op = "="
		}
		p.where = append(p.where, condition{column: f.Column, op: op, value: value})
	}
	if err := bad.Err(); err != nil {
		e := fault.As(err).WithKind(fault.BadRequest)
		e.Message = MsgBadParameter
		return Params{}, e
	}
	return p, nil
}

// parseOrdering turns "a,-b" into ORDER BY items; Apply appends the tie-breaker.
func (s *ListSpec) parseOrdering(v string, bad fault.Fields) (order []string, lastDesc bool, _ fault.Fields) {
	var seen []string
	for _, term := range strings.Split(v, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		name, desc := strings.CutPrefix(term, "-")
		col, ok := s.orderColumn(name)
		if !ok {
			bad.Add("ordering", fmt.Sprintf(msgOrderingFormat, name, strings.Join(s.orderNames(), ", ")))
			continue
		}
		if slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		dir := " ASC"
		if desc {
			dir = " DESC"
		}
		order, lastDesc = append(order, col+dir), desc
	}
	return order, lastDesc, bad
}

// tieBreaker is the last sort key, which makes the order total so pages never overlap. On
// SQLite it is the row's rowid rather than its id: every index ends with the rowid, so
// "(firm_id, created_at)" serves ORDER BY created_at, rowid without sorting the whole table.
func (p Params) tieBreaker(q *bun.SelectQuery) string {
	tie := p.spec.ID
	if q.Dialect().Name() == dialect.SQLite {
		if alias, ok := strings.CutSuffix(tie, ".id"); ok {
			tie = alias + ".rowid"
		}
	}
	if p.lastDesc {
		return tie + " DESC"
	}
	return tie + " ASC"
}

// parse validates one filter value; it returns the value to bind or a message.
func (f Filter) parse(v string) (any, string) {
	switch f.Kind {
	case Choice:
		if !slices.Contains(f.Choices, v) {
			return nil, fmt.Sprintf(msgChoiceFormat, v, choicesText(f.Choices))
		}
	case Bool:
		switch v {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, MsgBool
	case ID:
		id, err := uuid.Parse(v)
		if err != nil || len(v) != 36 {
			return nil, MsgUUID
		}
		return id.String(), ""
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return nil, MsgDate
		}
	case Integer:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, MsgInteger
		}
		return n, ""
	}
	return v, ""
}

// Searching reports whether the request has search terms (a count query then needs the
// joins the search fields come from).
func (p Params) Searching() bool { return len(p.terms) > 0 }

// Where adds the filters, search terms and updated_since to q, without ordering: for a count
// query that leaves out the display joins a page needs.
func (p Params) Where(q *bun.SelectQuery) *bun.SelectQuery {
	for _, c := range p.where {
		q = q.Where("? "+c.op+" ?", bun.Safe(c.column), c.value)
	}
	for _, term := range p.terms {
		q = db.WhereContainsAnyFold(q, p.spec.Search, term)
	}
	if !p.updated.IsZero() {
		q = q.Where("? >= ?", bun.Safe(p.spec.UpdatedAt), p.updated)
	}
	return q
}

// Apply adds the filters, search terms, updated_since and ordering to q (not the page window).
func (p Params) Apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = p.Where(q)
	for _, o := range p.order {
		q = q.OrderExpr(o)
	}
	return q.OrderExpr(p.tieBreaker(q))
}

// Window limits q to the requested page.
func (p Params) Window(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Limit(int64(p.PageSize)).Offset(int64(p.Page-1) * int64(p.PageSize))
}

// Page is the paginated list body (SPEC §2).
type Page[T any] struct {
	Count    int64   `json:"count" doc:"Number of results across all pages"`
	Next     *string `json:"next" doc:"URL of the next page, or null"`
	Previous *string `json:"previous" doc:"URL of the previous page, or null"`
	Results  []T     `json:"results"`
}

// ListOutput is the output of a list operation.
type ListOutput[T any] struct {
	Body Page[T]
}

// NewPage assembles the page, or answers 404 "Invalid page." for a page past the end (page 1 is
// always valid, even when empty).
func NewPage[T any](p Params, count int64, results []T) (*ListOutput[T], error) {
	if p.Page > 1 && int64(p.Page-1)*int64(p.PageSize) >= count {
		return nil, fault.New(fault.NotFound, MsgInvalidPage)
	}
	if results == nil {
		results = []T{}
	}
	out := &ListOutput[T]{Body: Page[T]{Count: count, Results: results}}
	if int64(p.Page)*int64(p.PageSize) < count {
		out.Body.Next = p.link(p.Page + 1)
	}
	if p.Page > 1 {
		out.Body.Previous = p.link(p.Page - 1)
	}
	return out, nil
}

// link is the URL of another page of the same list, with every other parameter kept.
func (p Params) link(page int) *string {
	u := p.in.base
	q := url.Values{}
	for k, v := range p.in.query {
		q[k] = v
	}
	if page == 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	u.RawQuery = q.Encode()
	s := u.String()
	return &s
}

// PageOf is NewPage for rows that still need their API form: it maps each row with out.
func PageOf[R, O any](p Params, count int64, rows []R, out func(*R) O) (*ListOutput[O], error) {
	results := make([]O, len(rows))
	for i := range rows {
		results[i] = out(&rows[i])
	}
	return NewPage(p, count, results)
}
