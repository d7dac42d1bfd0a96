package api_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
)

type widgetPage struct {
	Count    int64       `json:"count"`
	Next     *string     `json:"next"`
	Previous *string     `json:"previous"`
	Results  []widgetOut `json:"results"`
}

func (e *env) list(path string) widgetPage {
	e.t.Helper()
	res := e.do("GET", path, nil)
	if res.status != 200 {
		e.t.Fatalf("GET %s: %d %s", path, res.status, res.body)
	}
	var p widgetPage
	res.decode(e.t, &p)
	return p
}

func names(p widgetPage) []string {
	out := make([]string, len(p.Results))
	for i, w := range p.Results {
		out[i] = w.Name
	}
	return out
}

func seedNumbered(e *env, n int) {
	rows := make([]widget, n)
	for i := range rows {
		rows[i].Name = fmt.Sprintf("w%03d", i)
		rows[i].Size = int64(i)
	}
	e.seed(rows...)
}

func TestPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})

	empty := e.list("/api/widgets/")
	if empty.Count != 0 || empty.Next != nil || empty.Previous != nil || empty.Results == nil || len(empty.Results) != 0 {
		t.Fatalf("empty list = %+v (results must be [], not null)", empty)
	}
	seedNumbered(e, 120)

	first := e.list("/api/widgets/?ordering=name")
	if first.Count != 120 || len(first.Results) != api.DefaultPageSize || first.Previous != nil || first.Next == nil {
		t.Fatalf("first page: count %d, %d results, next %v, previous %v", first.Count, len(first.Results), first.Next, first.Previous)
	}
	next, err := url.Parse(*first.Next)
	if err != nil || next.Scheme != "http" || next.Host == "" || next.Path != "/api/v1/widgets/" ||
		next.Query().Get("page") != "2" || next.Query().Get("ordering") != "name" {
		t.Fatalf("next link %q must be the canonical path with the client's parameters and page=2", *first.Next)
	}

	third := e.list("/api/v1/widgets/?ordering=name&page=3")
	if len(third.Results) != 20 || third.Next != nil || third.Previous == nil || third.Results[0].Name != "w100" {
		t.Fatalf("last page: %d results, next %v, first %v", len(third.Results), third.Next, names(third)[:1])
	}
	prev, _ := url.Parse(*third.Previous)
	if prev.Query().Get("page") != "2" {
		t.Fatalf("previous = %q", *third.Previous)
	}
	second := e.list("/api/v1/widgets/?ordering=name&page=2")
	prev, _ = url.Parse(*second.Previous)
	if prev.Query().Has("page") || prev.Path != "/api/v1/widgets/" {
		t.Fatalf("previous of page 2 should drop page: %q", *second.Previous)
	}

	// Pages never overlap and together hold every row once.
	var all []string
	for page := 1; page <= 3; page++ {
		all = append(all, names(e.list(fmt.Sprintf("/api/widgets/?ordering=name&page=%d", page)))...)
	}
	if len(all) != 120 || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != 120 {
		t.Fatalf("pages overlap or miss rows: %d rows", len(all))
	}

	if p := e.list("/api/widgets/?page_size=200"); len(p.Results) != 120 || p.Next != nil {
		t.Fatalf("page_size=200: %d results", len(p.Results))
	}
	if p := e.list("/api/widgets/?page_size=1"); len(p.Results) != 1 || p.Next == nil {
		t.Fatalf("page_size=1: %d results", len(p.Results))
	}
	if p := e.list("/api/widgets/?page_size=40&page=3"); len(p.Results) != 40 || p.Next != nil {
		t.Fatalf("exact last page: %d results, next %v", len(p.Results), p.Next)
	}
}

func TestPaginationErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	seedNumbered(e, 3)
	tests := []struct {
		query  string
		status int
		field  string
		msg    string
	}{
		{"page_size=0", 400, "page_size", api.MsgPageSize},
		{"page_size=-1", 400, "page_size", api.MsgPageSize},
		{"page_size=abc", 400, "page_size", api.MsgPageSize},
		{"page_size=201", 400, "page_size", api.MsgPageSize},
		{"page_size=", 400, "page_size", api.MsgPageSize},
		{"page=0", 400, "page", api.MsgPageNumber},
		{"page=-2", 400, "page", api.MsgPageNumber},
		{"page=two", 400, "page", api.MsgPageNumber},
		{"page=2", 404, "", api.MsgInvalidPage},
		{"page=2&page_size=3", 404, "", api.MsgInvalidPage},
		{"page=999999999999", 404, "", api.MsgInvalidPage},
		{"page=99999999999999999999", 400, "page", api.MsgPageNumber},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := e.do("GET", "/api/widgets/?"+tt.query, nil)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			p := res.envelope(t)
			if tt.field == "" {
				if p.Message != tt.msg || p.Type != "NotFound" {
					t.Fatalf("got %s %q, want NotFound %q", p.Type, p.Message, tt.msg)
				}
				return
			}
			if p.Type != "ParseError" || !slices.Equal(p.Details[tt.field], []string{tt.msg}) {
				t.Fatalf("got %s %v, want ParseError %s: %q", p.Type, p.Details, tt.field, tt.msg)
			}
		})
	}
	// Page 1 is valid even when it is empty; page 1 of 3 rows with size 3 has no next.
	if p := e.list("/api/widgets/?page=1&page_size=3"); p.Next != nil || len(p.Results) != 3 {
		t.Fatalf("page 1 of exactly one page: next %v", p.Next)
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	d1, d2, d3 := "2026-01-10", "2026-01-20", "2026-01-31"
	e.seed(
		widget{Name: "alpha", Status: "new", Active: true, Size: 1, MadeOn: &d1},
		widget{Name: "beta", Status: "used", Active: false, Size: 2, MadeOn: &d2},
		widget{Name: "gamma", Status: "used", Active: true, Size: 3, MadeOn: &d3},
		widget{Name: "delta", Status: "broken", Active: false, Size: 2},
	)
	all := e.list("/api/widgets/?ordering=name")
	id := all.Results[0].ID // alpha
	tests := []struct {
		query string
		want  []string
	}{
		{"status=used", []string{"beta", "gamma"}},
		{"active=true", []string{"alpha", "gamma"}},
		{"active=false", []string{"beta", "delta"}},
		{"size=2", []string{"beta", "delta"}},
		{"status=used&active=true", []string{"gamma"}},
		{"id=" + id, []string{"alpha"}},
		{"made_after=2026-01-20", []string{"beta", "gamma"}},  // inclusive
		{"made_before=2026-01-20", []string{"alpha", "beta"}}, // inclusive
		{"made_after=2026-01-11&made_before=2026-01-30", []string{"beta"}},
		{"status=", []string{"alpha", "beta", "delta", "gamma"}}, // empty value: no filter
		{"unknown_param=1", []string{"alpha", "beta", "delta", "gamma"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := names(e.list("/api/widgets/?ordering=name&" + tt.query))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	tests := []struct {
		query string
		field string
		msg   string
	}{
		{"status=shiny", "status", `Select a valid choice. "shiny" is not one of the available choices (new, used, broken).`},
		{"active=yes", "active", api.MsgBool},
		{"active=1", "active", api.MsgBool},
		{"id=42", "id", api.MsgUUID},
		{"size=big", "size", api.MsgInteger},
		{"made_after=2026-13-01", "made_after", api.MsgDate},
		{"made_before=yesterday", "made_before", api.MsgDate},
		{"updated_since=2026-01-01", "updated_since", api.MsgUpdatedSince},
		{"ordering=colour", "ordering", `Unknown ordering field "colour". Allowed: name, size, created_at.`},
		{"ordering=name,-secret", "ordering", `Unknown ordering field "secret". Allowed: name, size, created_at.`},
		{"search=" + strings.Repeat("x", 101), "search", api.MsgSearchTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := e.do("GET", "/api/widgets/?"+tt.query, nil)
			if res.status != 400 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			p := res.envelope(t)
			if p.Type != "ParseError" || p.Code != "BAD_REQUEST" || !slices.Equal(p.Details[tt.field], []string{tt.msg}) {
				t.Fatalf("got %s %v, want %s: %q", p.Type, p.Details, tt.field, tt.msg)
			}
		})
	}
	// Every bad parameter is reported at once.
	res := e.do("GET", "/api/widgets/?status=x&active=x&page_size=0", nil)
	if d := res.envelope(t).Details; len(d) != 3 {
		t.Fatalf("want 3 fields reported, got %v", d)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.seed(
		widget{Name: "Acme Anvil", Note: "heavy"},
		widget{Name: "Acme Rocket", Note: "fast and LOUD"},
		widget{Name: "Globex Rocket", Note: "quiet"},
		widget{Name: "100% Cotton", Note: ""},
	)
	tests := []struct {
		search string
		want   []string
	}{
		{"acme", []string{"Acme Anvil", "Acme Rocket"}},
		{"ROCKET", []string{"Acme Rocket", "Globex Rocket"}},
		{"acme rocket", []string{"Acme Rocket"}},   // every term must match
		{"rocket loud", []string{"Acme Rocket"}},   // terms may match different fields
		{"  globex   ", []string{"Globex Rocket"}}, // whitespace is not a term
		{"%", []string{"100% Cotton"}},             // wildcards are literal
		{"acme quiet", nil},
		{strings.Repeat("x", 100), nil}, // 100 characters is allowed
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			got := names(e.list("/api/widgets/?ordering=name&search=" + url.QueryEscape(tt.search)))
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && tt.want == nil) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOrdering(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.seed( // created in this order, a minute apart
		widget{Name: "b", Size: 2},
		widget{Name: "c", Size: 1},
		widget{Name: "a", Size: 2},
	)
	tests := []struct {
		ordering string
		want     []string
	}{
		{"", []string{"a", "c", "b"}}, // default -created_at
		{"name", []string{"a", "b", "c"}},
		{"-name", []string{"c", "b", "a"}},
		{"size,name", []string{"c", "a", "b"}},
		{"-size,-name", []string{"b", "a", "c"}},
		{"created_at", []string{"b", "c", "a"}},
		{"name,name", []string{"a", "b", "c"}},
		{" size , -name ", []string{"c", "b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.ordering, func(t *testing.T) {
			got := names(e.list("/api/widgets/?ordering=" + url.QueryEscape(tt.ordering)))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUpdatedSince(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	e.seed(
		widget{Name: "old", UpdatedAt: at("2026-02-10T13:59:59Z")},
		widget{Name: "exact", UpdatedAt: at("2026-02-10T14:00:00Z")},
		widget{Name: "new", UpdatedAt: at("2026-02-11T09:00:00.5Z")},
	)
	tests := []struct {
		since string
		want  []string
	}{
		{"2026-02-10T14:00:00Z", []string{"exact", "new"}}, // inclusive
		{"2026-02-10T16:00:00+02:00", []string{"exact", "new"}},
		{"2026-02-11T09:00:00.4Z", []string{"new"}},
		{"2026-02-12T00:00:00Z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.since, func(t *testing.T) {
			got := names(e.list("/api/widgets/?ordering=name&updated_since=" + url.QueryEscape(tt.since)))
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && tt.want == nil) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
