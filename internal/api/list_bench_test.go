package api

import (
	"net/url"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
)

// benchSpec is shaped like the time-entry list: id, bool and date filters with a date range,
// three search fields and two orderings.
var benchSpec = &db.ListSpec{
	Filters: append([]db.Filter{
		{Name: "project", Column: "te.project_id", Kind: db.IDFilter},
		{Name: "user", Column: "te.user_id", Kind: db.IDFilter},
		{Name: "task", Column: "te.task_id", Kind: db.IDFilter},
		{Name: "is_billable", Column: "te.is_billable", Kind: db.BoolFilter},
		{Name: "invoiced", Column: "te.invoiced", Kind: db.BoolFilter},
		{Name: "status", Column: "te.status", Kind: db.ChoiceFilter, Choices: []string{"draft", "submitted", "approved"}},
		{Name: "date", Column: "te.date", Kind: db.DateFilter},
	}, db.DateRange("date", "te.date")...),
	Search: []string{"te.description", "tep.name", "teu.name"},
	Ordering: []db.OrderField{
		{Name: "date", Column: "te.date"},
		{Name: "created_at", Column: "te.created_at"},
	},
	Default:   "-date,-created_at",
	UpdatedAt: "te.updated_at",
	ID:        "te.id",
}

// benchQuery is what a client sends for "this project's billable time this quarter, page 2".
const benchQuery = "project=0b8f5a52-6d0e-4c55-9a57-3f2f4a1c9e11&is_billable=true&status=approved" +
	"&date_after=2026-01-01&date_before=2026-03-31&search=design+review&ordering=-date,created_at" +
	"&page=2&page_size=50"

func benchListInput(b *testing.B) *ListInput {
	b.Helper()
	q, err := url.ParseQuery(benchQuery)
	if err != nil {
		b.Fatal(err)
	}
	return &ListInput{query: q, url: url.URL{Scheme: "http", Host: "127.0.0.1:8000", Path: "/api/v1/projects/time-entries/"}}
}

// BenchmarkListSpecParse measures validating a realistic list query against its spec.
func BenchmarkListSpecParse(b *testing.B) {
	in := benchListInput(b)
	var p db.ListQuery
	var err error
	b.ReportAllocs()
	for b.Loop() {
		p, err = in.Parse(benchSpec)
	}
	if err != nil || p.Page != 2 || p.PageSize != 50 || len(p.Conditions) != 5 || len(p.Terms) != 2 || len(p.Order) != 2 || p.Order[1].Desc {
		b.Fatalf("Parse = %+v, %v", p, err)
	}
}

// benchRow stands in for a list DTO: NewPage only moves the slice, so its shape does not matter.
type benchRow struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// BenchmarkNewPage measures assembling a 50-row page in the middle of a list, which builds both
// the next and the previous link.
func BenchmarkNewPage(b *testing.B) {
	in := benchListInput(b)
	p, err := in.Parse(benchSpec)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]benchRow, 50)
	var out *ListOutput[benchRow]
	b.ReportAllocs()
	for b.Loop() {
		out, err = NewPage(in, p, 1234, rows)
	}
	if err != nil || out.Body.Next == nil || out.Body.Previous == nil || len(out.Body.Results) != 50 {
		b.Fatalf("NewPage = %+v, %v", out, err)
	}
}
