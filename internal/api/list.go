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
)

// Messages of list parameter errors.
const (
	MsgInvalidPage    = "Invalid page."
	MsgPageNumber     = "A page number must be a positive integer."
	MsgPageSize       = "Page size must be an integer from 1 to 200."
	MsgSearchTooLong  = "Ensure this value has at most 100 characters."
	MsgUpdatedSince   = "Enter a valid RFC 3339 timestamp, e.g. 2026-02-10T14:00:00Z." // also any TimeFilter
	MsgBool           = "Must be true or false."
	MsgUUID           = "Must be a valid UUID."
	MsgDate           = "Enter a valid date in YYYY-MM-DD format."
	MsgInteger        = "Must be an integer."
	msgChoiceFormat   = "Select a valid choice. %q is not one of the available choices (%s)."
	msgOrderingFormat = "Unknown ordering field %q. Allowed: %s."
)

// ListInput is embedded in a list operation's input. It captures the query string and the
// request's canonical URL, from which the page links (and the response cache's key) are built.
type ListInput struct {
	query url.Values
	url   url.URL
}

// Resolve implements huma.Resolver.
func (in *ListInput) Resolve(ctx huma.Context) []error {
	u := ctx.URL()
	in.query = u.Query()
	in.url = canonicalURL(ctx)
	return nil
}

// canonicalURL is the request's URL as the API names it: the client's scheme and host, the
// canonical versioned path with its trailing slash, and the query in sorted order. Two requests
// with the same canonical URL get the same answer.
func canonicalURL(ctx huma.Context) url.URL {
	scheme := Info(ctx.Context()).Scheme
	if scheme == "" {
		scheme = "http"
	}
	u := ctx.URL()
	p := CanonicalPath(u.Path)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return url.URL{Scheme: scheme, Host: ctx.Host(), Path: p, RawQuery: u.Query().Encode()}
}

// Query returns the raw query string values (for parameters a module handles itself).
func (in *ListInput) Query() url.Values { return in.query }

// Parse validates the list parameters against spec. Every invalid parameter is reported at once,
// as a 400 ParseError with the parameter names in details.
func (in *ListInput) Parse(spec *db.ListSpec) (db.ListQuery, error) {
	return ParseList(spec, in.query)
}

// ParseList validates list parameters q against spec (see ListInput.Parse).
func ParseList(spec *db.ListSpec, q url.Values) (db.ListQuery, error) {
	l := db.ListQuery{Spec: spec, Page: 1, PageSize: DefaultPageSize}
	var bad fault.Fields
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad.Add("page", MsgPageNumber)
		}
		// Saturate so offsets cannot overflow; a page this far out is past the end of any list
		// and is answered "Invalid page.".
		l.Page = min(n, math.MaxInt32)
	}
	if v, ok := q["page_size"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > MaxPageSize {
			bad.Add("page_size", MsgPageSize)
		}
		l.PageSize = n
	}
	if v := q.Get("search"); v != "" {
		if utf8.RuneCountInString(v) > MaxSearchLength {
			bad.Add("search", MsgSearchTooLong)
		} else if len(spec.Search) > 0 {
			l.Terms = strings.Fields(v)
		}
	}
	ordering := q.Get("ordering")
	if ordering == "" {
		ordering = spec.Default
	}
	l.Order, bad = parseOrdering(spec, ordering, bad)
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			bad.Add("updated_since", MsgUpdatedSince)
		}
		l.UpdatedSince = t.UTC()
	}
	if v := q.Get("include_deleted"); v != "" && spec.SoftDelete {
		switch v {
		case "true", "false":
			l.IncludeDeleted = v == "true"
		default:
			bad.Add("include_deleted", MsgBool)
		}
	}
	for _, f := range spec.Filters {
		v := q.Get(f.Name)
		if v == "" {
			continue // an empty filter is no filter
		}
		value, msg := parseFilter(f, v)
		if msg != "" {
			bad.Add(f.Name, msg)
			continue
		}
		op := f.Op
		if op == "" {
			op = "="
		}
		l.Conditions = append(l.Conditions, db.Condition{Column: f.Column, Op: op, Value: value, Expr: f.Expr})
	}
	if err := bad.Err(); err != nil {
		e := fault.As(err).WithKind(fault.BadRequest)
		e.Message = MsgBadParameter
		return db.ListQuery{}, e
	}
	return l, nil
}

// parseOrdering turns "a,-b" into ORDER BY terms; the list query appends the tie-breaker.
func parseOrdering(spec *db.ListSpec, v string, bad fault.Fields) ([]db.Order, fault.Fields) {
	var order []db.Order
	var seen []string
	for _, term := range strings.Split(v, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		name, desc := strings.CutPrefix(term, "-")
		col, ok := spec.OrderColumn(name)
		if !ok {
			bad.Add("ordering", fmt.Sprintf(msgOrderingFormat, name, strings.Join(spec.OrderNames(), ", ")))
			continue
		}
		if slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		order = append(order, db.Order{Column: col, Desc: desc})
	}
	return order, bad
}

// parseFilter validates one filter value; it returns the value to bind or a message.
func parseFilter(f db.Filter, v string) (any, string) {
	switch f.Kind {
	case db.ChoiceFilter:
		if !slices.Contains(f.Choices, v) {
			return nil, fmt.Sprintf(msgChoiceFormat, v, strings.Join(f.Choices, ", "))
		}
	case db.BoolFilter:
		switch v {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, MsgBool
	case db.IDFilter:
		id, err := uuid.Parse(v)
		if err != nil || len(v) != 36 {
			return nil, MsgUUID
		}
		return id.String(), ""
	case db.DateFilter:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return nil, MsgDate
		}
	case db.TimeFilter:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, MsgUpdatedSince
		}
		return t.UTC(), ""
	case db.IntegerFilter:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, MsgInteger
		}
		return n, ""
	}
	return v, ""
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
// always valid, even when empty). The links are in's canonical URL with another page number.
func NewPage[T any](in *ListInput, l db.ListQuery, count int64, results []T) (*ListOutput[T], error) {
	if l.Page > 1 && int64(l.Page-1)*int64(l.PageSize) >= count {
		return nil, fault.New(fault.NotFound, MsgInvalidPage)
	}
	if results == nil {
		results = []T{}
	}
	out := &ListOutput[T]{Body: Page[T]{Count: count, Results: results}}
	if int64(l.Page)*int64(l.PageSize) < count {
		out.Body.Next = in.link(l.Page + 1)
	}
	if l.Page > 1 {
		out.Body.Previous = in.link(l.Page - 1)
	}
	return out, nil
}

// link is the URL of another page of the same list, with every other parameter kept.
func (in *ListInput) link(page int) *string {
	u := in.url
	q := u.Query()
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
func PageOf[R, O any](in *ListInput, l db.ListQuery, count int64, rows []R, out func(*R) O) (*ListOutput[O], error) {
	results := make([]O, len(rows))
	for i := range rows {
		results[i] = out(&rows[i])
	}
	return NewPage(in, l, count, results)
}
