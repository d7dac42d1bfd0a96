package projects_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// jsonNull sends an explicit null in a body built by entryBody (where nil removes the field).
var jsonNull = json.RawMessage("null")

// patchEntry PATCHes an entry and returns the response.
func (s *apiServer) patchEntry(t testing.TB, token, id string, body any) *response {
	t.Helper()
	return s.Do(t, http.MethodPatch, teEntryPath(id), token, body)
}

// patchedEntry PATCHes an entry, expects 200 and returns it.
func (s *apiServer) patchedEntry(t testing.TB, token, id string, body any) teEntry {
	t.Helper()
	r := s.patchEntry(t, token, id, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var e teEntry
	testkit.Decode(t, r, &e)
	return e
}

func TestTimeEntryCreateAndGet(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	p := entryProject(t, f, "Atlas rollout", nil)

	e := s.createEntry(t, f.Owner.Token, p.ID, nil)
	want := teEntry{ID: e.ID, Project: p.ID, ProjectName: &p.Name, User: f.Owner.ID, UserName: &f.Owner.Name,
		Date: "2026-03-10", Hours: "8.00", Description: "Workshop", IsBillable: true, HourlyRate: "150.00",
		Currency: "USD", BilledAmount: "1200.00", CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if !sameEntry(e, want) {
		t.Errorf("created %+v, want %+v", e, want)
	}
	if e.CreatedAt != "2026-03-15T12:00:00Z" || e.UpdatedAt != e.CreatedAt {
		t.Errorf("created_at %q is not the frozen clock's", e.CreatedAt)
	}
	// The raw body shows the display fields and the invoice as null, never omitted.
	r := s.Do(t, http.MethodGet, teEntryPath(e.ID), f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	for _, frag := range []string{`"task":null`, `"task_title":null`, `"invoice":null`, `"invoiced":false`, `"hours":"8.00"`} {
		if !strings.Contains(string(r.Body), frag) {
			t.Errorf("GET body lacks %s: %s", frag, r.Body)
		}
	}
	if got := s.getEntry(t, f.Owner.Token, e.ID); !sameEntry(got, e) {
		t.Errorf("GET %+v, want %+v", got, e)
	}
	r = s.Do(t, http.MethodGet, "/api/v1/projects/time-entries/"+e.ID, f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)

	t.Run("with a task", func(t *testing.T) {
		task := entryTask(t, f, p.ID, "Discovery")
		e := s.createEntry(t, f.Owner.Token, p.ID, map[string]any{"task": task, "is_billable": false})
		if e.Task == nil || *e.Task != task || e.TaskTitle == nil || *e.TaskTitle != "Discovery" {
			t.Errorf("task %v %v, want %s Discovery", e.Task, e.TaskTitle, task)
		}
		if e.IsBillable || e.BilledAmount != "0.00" || e.HourlyRate != "150.00" {
			t.Errorf("not billable: is_billable %v billed %s rate %s, want false 0.00 150.00", e.IsBillable, e.BilledAmount, e.HourlyRate)
		}
	})
	t.Run("read-only fields are ignored", func(t *testing.T) {
		e := s.createEntry(t, f.Owner.Token, p.ID, map[string]any{"id": "x", "billed_amount": "1.00", "invoiced": true,
			"invoice": "0193a000-0000-7000-8000-000000000001", "project_name": "Other", "user_name": "Mallory",
			"currency": "EUR", "created_at": "2020-01-01T00:00:00Z", "task_title": "T"})
		if e.Invoiced || e.Invoice != nil || e.BilledAmount != "1200.00" || e.Currency != "USD" ||
			*e.ProjectName != p.Name || *e.UserName != f.Owner.Name || strings.HasPrefix(e.CreatedAt, "2020") {
			t.Errorf("read-only fields changed something: %+v", e)
		}
	})
}

// sameEntry compares entries, the update stamp aside.
func sameEntry(got, want teEntry) bool {
	got.UpdatedAt = want.UpdatedAt
	eq := func(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return got.ID == want.ID && got.Project == want.Project && eq(got.ProjectName, want.ProjectName) &&
		eq(got.Task, want.Task) && eq(got.TaskTitle, want.TaskTitle) && got.User == want.User &&
		eq(got.UserName, want.UserName) && got.Date == want.Date && got.Hours == want.Hours &&
		got.Description == want.Description && got.IsBillable == want.IsBillable && got.HourlyRate == want.HourlyRate &&
		got.Currency == want.Currency && got.BilledAmount == want.BilledAmount && got.Invoiced == want.Invoiced &&
		eq(got.Invoice, want.Invoice) && got.CreatedAt == want.CreatedAt
}

func TestTimeEntryCreateValidation(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	p := entryProject(t, f, "Main", nil)
	q := entryProject(t, f, "Second", nil)
	noRate := entryProject(t, f, "Pro bono", map[string]any{"hourly_rate": nil})
	theirs := entryProject(t, other, "Theirs", nil)
	taskOfQ := entryTask(t, f, q.ID, "Elsewhere")
	theirTask := entryTask(t, other, theirs.ID, "Theirs")
	gone := f.AddUser(t, "consultant")
	f.Deactivate(t, gone)

	tests := []struct {
		name string
		body map[string]any
		want map[string][]string
	}{
		{"everything missing", map[string]any{}, map[string][]string{"project": {msgRequired}, "date": {msgRequired},
			"hours": {msgRequired}, "description": {msgRequired}}},
		{"blank description", entryBody(p.ID, map[string]any{"description": "  "}), map[string][]string{"description": {msgRequired}}},
		{"empty description", entryBody(p.ID, map[string]any{"description": ""}), map[string][]string{"description": {msgRequired}}},
		{"zero hours", entryBody(p.ID, map[string]any{"hours": "0"}), map[string][]string{"hours": {teMsgHoursPositive}}},
		{"zero hours as a number", entryBody(p.ID, map[string]any{"hours": 0}), map[string][]string{"hours": {teMsgHoursPositive}}},
		{"negative hours", entryBody(p.ID, map[string]any{"hours": "-1.00"}), map[string][]string{"hours": {teMsgHoursPositive}}},
		{"24.01 hours", entryBody(p.ID, map[string]any{"hours": "24.01"}), map[string][]string{"hours": {teMsgHoursPerEntry}}},
		{"25 hours as a number", entryBody(p.ID, map[string]any{"hours": 25}), map[string][]string{"hours": {teMsgHoursPerEntry}}},
		{"thousandth of an hour", entryBody(p.ID, map[string]any{"hours": "0.001"}), map[string][]string{"hours": {msgTwoDecimals}}},
		{"thousandth of an hour as a number", entryBody(p.ID, map[string]any{"hours": 1.125}), map[string][]string{"hours": {msgTwoDecimals}}},
		{"hours not a number", entryBody(p.ID, map[string]any{"hours": "eight"}), map[string][]string{"hours": {msgInvalidNumber}}},
		{"hours null", entryBody(p.ID, map[string]any{"hours": jsonNull}), map[string][]string{"hours": {msgInvalidNumber}}},
		{"date malformed", entryBody(p.ID, map[string]any{"date": "10/03/2026"}),
			map[string][]string{"date": {teMsgDate}}},
		{"date tomorrow", entryBody(p.ID, map[string]any{"date": "2026-03-16"}), map[string][]string{"date": {teMsgFuture}}},
		{"negative rate", entryBody(p.ID, map[string]any{"hourly_rate": "-0.01"}), map[string][]string{"hourly_rate": {teMsgRateNegative}}},
		{"rate with three decimals", entryBody(p.ID, map[string]any{"hourly_rate": "150.005"}),
			map[string][]string{"hourly_rate": {msgTwoDecimals}}},
		{"rate not a number", entryBody(p.ID, map[string]any{"hourly_rate": "cheap"}), map[string][]string{"hourly_rate": {msgInvalidNumber}}},
		{"project without a rate and none sent", entryBody(noRate.ID, nil), map[string][]string{"hourly_rate": {teMsgNoRate}}},
		{"project without a rate and null sent", entryBody(noRate.ID, map[string]any{"hourly_rate": jsonNull}),
			map[string][]string{"hourly_rate": {teMsgNoRate}}},
		{"project not an id", entryBody("PRJ-2026-001", nil), map[string][]string{"project": {teMsgProject}}},
		{"project unknown", entryBody("0193a000-0000-7000-8000-000000000001", nil), map[string][]string{"project": {teMsgProject}}},
		{"project of another firm", entryBody(theirs.ID, nil), map[string][]string{"project": {teMsgProject}}},
		{"task of another project", entryBody(p.ID, map[string]any{"task": taskOfQ}), map[string][]string{"task": {teMsgTaskProject}}},
		{"task of another firm", entryBody(p.ID, map[string]any{"task": theirTask}), map[string][]string{"task": {teMsgTask}}},
		{"task not an id", entryBody(p.ID, map[string]any{"task": "T-1"}), map[string][]string{"task": {teMsgTask}}},
		{"user of another firm", entryBody(p.ID, map[string]any{"user": other.Owner.ID}), map[string][]string{"user": {teMsgUser}}},
		{"user deactivated", entryBody(p.ID, map[string]any{"user": gone.ID}), map[string][]string{"user": {teMsgUser}}},
		{"user not an id", entryBody(p.ID, map[string]any{"user": "bob"}), map[string][]string{"user": {teMsgUser}}},
		{"unknown field", entryBody(p.ID, map[string]any{"minutes": 30}), map[string][]string{"minutes": {msgUnknownField}}},
		{"several rules at once", entryBody(p.ID, map[string]any{"hours": "0", "date": "2026-04-01", "hourly_rate": "-5"}),
			map[string][]string{"hours": {teMsgHoursPositive}, "date": {teMsgFuture}, "hourly_rate": {teMsgRateNegative}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, f.Owner.Token, tc.body), tc.want)
		})
	}
	t.Run("malformed JSON", func(t *testing.T) {
		t.Parallel()
		testkit.WantError(t, s.Do(t, http.MethodPost, teEntriesPath, f.Owner.Token, `{"hours": `), http.StatusBadRequest, typeParse, codeBadRequest)
	})
	t.Cleanup(func() {
		if n, _ := s.listEntries(t, f.Owner.Token, ""); n != 0 {
			t.Errorf("invalid creates left %d entries behind", n)
		}
	})
}

func TestTimeEntryMoneyAndHours(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	usd := entryProject(t, f, "Dollars", map[string]any{"hourly_rate": "33.33"})
	cent := entryProject(t, f, "Cent", map[string]any{"hourly_rate": "0.01"})
	yen := entryProject(t, f, "Yen", map[string]any{"currency": "JPY", "hourly_rate": "1001"})
	noRate := entryProject(t, f, "No rate", map[string]any{"hourly_rate": nil})

	tests := []struct {
		name      string
		project   string
		fields    map[string]any
		hours     string
		rate      string
		billed    string
		currency  string
		billable  bool
		wantError map[string][]string
	}{
		{name: "a hundredth of an hour", project: usd.ID, fields: map[string]any{"hours": "0.01"},
			hours: "0.01", rate: "33.33", billed: "0.33", currency: "USD", billable: true},
		{name: "24 hours exactly", project: usd.ID, fields: map[string]any{"hours": "24.00", "date": "2026-03-01"},
			hours: "24.00", rate: "33.33", billed: "799.92", currency: "USD", billable: true},
		{name: "24 as a number", project: usd.ID, fields: map[string]any{"hours": 24, "date": "2026-03-02"},
			hours: "24.00", rate: "33.33", billed: "799.92", currency: "USD", billable: true},
		{name: "49.995 rounds half-up", project: usd.ID, fields: map[string]any{"hours": "1.50"},
			hours: "1.50", rate: "33.33", billed: "50.00", currency: "USD", billable: true},
		{name: "half a cent rounds up", project: cent.ID, fields: map[string]any{"hours": "0.50"},
			hours: "0.50", rate: "0.01", billed: "0.01", currency: "USD", billable: true},
		{name: "under half a cent rounds down", project: cent.ID, fields: map[string]any{"hours": "0.49"},
			hours: "0.49", rate: "0.01", billed: "0.00", currency: "USD", billable: true},
		{name: "hours as a number with one decimal", project: usd.ID, fields: map[string]any{"hours": 7.5},
			hours: "7.50", rate: "33.33", billed: "249.98", currency: "USD", billable: true}, // 249.975
		{name: "rate with cents as a number", project: usd.ID, fields: map[string]any{"hours": "2", "hourly_rate": 120.5},
			hours: "2.00", rate: "120.50", billed: "241.00", currency: "USD", billable: true},
		{name: "rate overrides the project's", project: usd.ID, fields: map[string]any{"hours": "3", "hourly_rate": "99.99"},
			hours: "3.00", rate: "99.99", billed: "299.97", currency: "USD", billable: true},
		{name: "zero rate", project: usd.ID, fields: map[string]any{"hourly_rate": "0"},
			hours: "8.00", rate: "0.00", billed: "0.00", currency: "USD", billable: true},
		{name: "not billable", project: usd.ID, fields: map[string]any{"is_billable": false},
			hours: "8.00", rate: "33.33", billed: "0.00", currency: "USD"},
		{name: "yen rounds to whole yen", project: yen.ID, fields: map[string]any{"hours": "1.50"},
			hours: "1.50", rate: "1001", billed: "1502", currency: "JPY", billable: true}, // ¥1501.5
		{name: "yen rounds down under half", project: yen.ID, fields: map[string]any{"hours": "1.33"},
			hours: "1.33", rate: "1001", billed: "1331", currency: "JPY", billable: true}, // ¥1331.33
		{name: "yen rate with decimals", project: yen.ID, fields: map[string]any{"hourly_rate": "1000.50"},
			wantError: map[string][]string{"hourly_rate": {msgNoDecimals}}},
		{name: "explicit rate on a project without one", project: noRate.ID, fields: map[string]any{"hourly_rate": "80"},
			hours: "8.00", rate: "80.00", billed: "640.00", currency: "USD", billable: true},
	}
	for i, tc := range tests {
		if _, ok := tc.fields["date"]; !ok { // one day each: the entries would fill a shared day
			tc.fields["date"] = time.Date(2026, 2, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.wantError != nil {
				testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, f.Owner.Token, entryBody(tc.project, tc.fields)), tc.wantError)
				return
			}
			e := s.createEntry(t, f.Owner.Token, tc.project, tc.fields)
			if e.Hours != tc.hours || e.HourlyRate != tc.rate || e.BilledAmount != tc.billed || e.Currency != tc.currency ||
				e.IsBillable != tc.billable {
				t.Errorf("hours %s rate %s billed %s %s billable %v; want %s %s %s %s %v", e.Hours, e.HourlyRate,
					e.BilledAmount, e.Currency, e.IsBillable, tc.hours, tc.rate, tc.billed, tc.currency, tc.billable)
			}
		})
	}
}

func TestTimeEntryRateDefaulting(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	a := entryProject(t, f, "A", map[string]any{"hourly_rate": "100.00"})
	b := entryProject(t, f, "B", map[string]any{"hourly_rate": "200.00", "currency": "EUR"})
	none := entryProject(t, f, "None", map[string]any{"hourly_rate": nil})

	e := s.createEntry(t, f.Owner.Token, a.ID, map[string]any{"hours": "2"})
	if e.HourlyRate != "100.00" || e.BilledAmount != "200.00" {
		t.Fatalf("default rate: %s billed %s", e.HourlyRate, e.BilledAmount)
	}
	// Changing the project's rate later leaves logged entries alone.
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, "/api/projects/projects/"+a.ID+"/", f.Owner.Token, map[string]any{"hourly_rate": "120.00"}), http.StatusOK)
	if got := s.getEntry(t, f.Owner.Token, e.ID); got.HourlyRate != "100.00" || got.BilledAmount != "200.00" {
		t.Errorf("entry repriced by a project change: %s %s", got.HourlyRate, got.BilledAmount)
	}
	// A PATCH of other fields keeps the stored rate and reprices the hours.
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"hours": "3"})
	if e.HourlyRate != "100.00" || e.BilledAmount != "300.00" {
		t.Errorf("PATCH hours: %s billed %s, want 100.00 300.00", e.HourlyRate, e.BilledAmount)
	}
	// null resets the rate to the project's current one.
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"hourly_rate": nil})
	if e.HourlyRate != "120.00" || e.BilledAmount != "360.00" {
		t.Errorf("PATCH hourly_rate null: %s billed %s, want 120.00 360.00", e.HourlyRate, e.BilledAmount)
	}
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"hourly_rate": "10.10"})
	if e.HourlyRate != "10.10" || e.BilledAmount != "30.30" {
		t.Errorf("PATCH hourly_rate: %s billed %s", e.HourlyRate, e.BilledAmount)
	}
	// Moving to another project takes its rate and currency.
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"project": b.ID})
	if e.HourlyRate != "200.00" || e.Currency != "EUR" || e.BilledAmount != "600.00" || *e.ProjectName != "B" {
		t.Errorf("moved to B: %s %s billed %s project %s", e.HourlyRate, e.Currency, e.BilledAmount, *e.ProjectName)
	}
	// ... unless the request names a rate; a project without one needs it.
	testkit.WantOnly(t, s.patchEntry(t, f.Owner.Token, e.ID, map[string]any{"project": none.ID}),
		map[string][]string{"hourly_rate": {teMsgNoRate}})
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"project": none.ID, "hourly_rate": "55.55"})
	if e.HourlyRate != "55.55" || e.Currency != "USD" || e.BilledAmount != "166.65" {
		t.Errorf("moved to None with a rate: %s %s billed %s", e.HourlyRate, e.Currency, e.BilledAmount)
	}
	testkit.WantOnly(t, s.patchEntry(t, f.Owner.Token, e.ID, map[string]any{"hourly_rate": nil}),
		map[string][]string{"hourly_rate": {teMsgNoRate}})
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"is_billable": false})
	if e.BilledAmount != "0.00" || e.HourlyRate != "55.55" {
		t.Errorf("not billable: billed %s rate %s", e.BilledAmount, e.HourlyRate)
	}
	e = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"is_billable": true})
	if e.BilledAmount != "166.65" {
		t.Errorf("billable again: billed %s", e.BilledAmount)
	}
}

func TestTimeEntryDailyLimit(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	manager := f.AddUser(t, "manager")
	consultant := f.AddUser(t, "consultant")
	p := entryProject(t, f, "P", nil)
	q := entryProject(t, f, "Q", nil)
	dayFull := map[string][]string{"hours": {teMsgHoursPerDay}}

	// 16 + 8 on two projects fill the day; one more hundredth is refused.
	first := s.createEntry(t, consultant.Token, p.ID, map[string]any{"hours": "16.00", "date": "2026-03-02"})
	second := s.createEntry(t, consultant.Token, q.ID, map[string]any{"hours": "8.00", "date": "2026-03-02"})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, consultant.Token,
		entryBody(p.ID, map[string]any{"hours": "0.01", "date": "2026-03-02"})), dayFull)
	// A manager logging for the consultant is held to the consultant's day.
	testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, manager.Token,
		entryBody(p.ID, map[string]any{"hours": "1", "date": "2026-03-02", "user": consultant.ID})), dayFull)
	// Other users and other days are unaffected.
	s.createEntry(t, manager.Token, p.ID, map[string]any{"hours": "24", "date": "2026-03-02"})
	s.createEntry(t, consultant.Token, p.ID, map[string]any{"hours": "24", "date": "2026-03-03"})

	// On update the entry's own hours are replaced, not added.
	s.patchedEntry(t, consultant.Token, first.ID, map[string]any{"hours": "15.99"})
	s.patchedEntry(t, consultant.Token, first.ID, map[string]any{"hours": "16.00"})
	testkit.WantOnly(t, s.patchEntry(t, consultant.Token, first.ID, map[string]any{"hours": "16.01"}), dayFull)
	// Moving an entry into a full day is refused; moving it out is fine.
	testkit.WantOnly(t, s.patchEntry(t, consultant.Token, second.ID, map[string]any{"date": "2026-03-03"}), dayFull)
	s.patchedEntry(t, consultant.Token, second.ID, map[string]any{"date": "2026-03-04"})
	s.patchedEntry(t, consultant.Token, first.ID, map[string]any{"hours": "24"})
	// Giving an entry to a user whose day is full is refused.
	mine := s.createEntry(t, manager.Token, p.ID, map[string]any{"hours": "1", "date": "2026-03-03"})
	testkit.WantOnly(t, s.patchEntry(t, manager.Token, mine.ID, map[string]any{"user": consultant.ID}), dayFull)
	// PUT with the same values counts the entry once.
	full := s.getEntry(t, consultant.Token, first.ID)
	r := s.Do(t, http.MethodPut, teEntryPath(first.ID), consultant.Token, full)
	testkit.WantStatus(t, r, http.StatusOK)
	// Deleting frees the day.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(first.ID), consultant.Token, nil), http.StatusNoContent)
	s.createEntry(t, consultant.Token, p.ID, map[string]any{"hours": "12", "date": "2026-03-02"})
}

// Concurrent entries of one user and date that together exceed 24 hours never all succeed.
func TestTimeEntryDailyLimitConcurrent(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	consultant := f.AddUser(t, "consultant")
	p := entryProject(t, f, "P", nil)
	for round, date := range []string{"2026-03-05", "2026-03-06", "2026-03-07"} {
		const n = 6
		var wg sync.WaitGroup
		statuses := make([]int, n)
		bodies := make([]string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				token := consultant.Token
				body := entryBody(p.ID, map[string]any{"hours": "13.00", "date": date})
				if i%2 == 1 { // half of them logged by the owner for the consultant
					token, body["user"] = f.Owner.Token, consultant.ID
				}
				statuses[i], bodies[i] = tryPost(s, teEntriesPath, token, body)
			}()
		}
		wg.Wait()
		created := 0
		for i, st := range statuses {
			switch {
			case st == http.StatusCreated:
				created++
			case st == http.StatusBadRequest && strings.Contains(bodies[i], teMsgHoursPerDay):
			default:
				t.Errorf("round %d: status %d: %s", round, st, bodies[i])
			}
		}
		if created != 1 {
			t.Errorf("round %d: %d entries of 13 h created on one day, want 1", round, created)
		}
		if n, _ := s.listEntries(t, f.Owner.Token, "date="+date+"&user="+consultant.ID); n != 1 {
			t.Errorf("round %d: %d entries stored, want 1", round, n)
		}
	}
}

func TestTimeEntryFutureDateInFirmTimeZone(t *testing.T) {
	t.Parallel()
	future := map[string][]string{"date": {teMsgFuture}}
	// 01:00 UTC on 15 March is still 14 March in Los Angeles.
	t.Run("west of UTC", func(t *testing.T) {
		t.Parallel()
		s := startServerAt(t, time.Date(2026, 3, 15, 1, 0, 0, 0, time.UTC))
		utc := s.RegisterFirm(t)
		la := s.RegisterFirm(t)
		la.Settings(t, map[string]any{"timezone": "America/Los_Angeles"})
		pu, pl := entryProject(t, utc, "U", nil), entryProject(t, la, "L", nil)
		s.createEntry(t, utc.Owner.Token, pu.ID, map[string]any{"date": "2026-03-15"})
		testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, utc.Owner.Token, entryBody(pu.ID, map[string]any{"date": "2026-03-16"})), future)
		testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, la.Owner.Token, entryBody(pl.ID, map[string]any{"date": "2026-03-15"})), future)
		e := s.createEntry(t, la.Owner.Token, pl.ID, map[string]any{"date": "2026-03-14"})
		testkit.WantOnly(t, s.patchEntry(t, la.Owner.Token, e.ID, map[string]any{"date": "2026-03-15"}), future)
		s.patchedEntry(t, la.Owner.Token, e.ID, map[string]any{"date": "2026-03-13"})
	})
	// 12:00 UTC on 15 March is already 16 March in Auckland.
	t.Run("east of UTC", func(t *testing.T) {
		t.Parallel()
		s := startServerAt(t, teDefaultNow)
		nz := s.RegisterFirm(t)
		nz.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
		p := entryProject(t, nz, "N", nil)
		s.createEntry(t, nz.Owner.Token, p.ID, map[string]any{"date": "2026-03-16"})
		testkit.WantOnly(t, s.Do(t, http.MethodPost, teEntriesPath, nz.Owner.Token, entryBody(p.ID, map[string]any{"date": "2026-03-17"})), future)
	})
}

func TestTimeEntryUpdates(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	p := entryProject(t, f, "P", nil)
	q := entryProject(t, f, "Q", nil)
	taskP := entryTask(t, f, p.ID, "Design")
	taskQ := entryTask(t, f, q.ID, "Build")
	e := s.createEntry(t, f.Owner.Token, p.ID, map[string]any{"task": taskP})

	t.Run("PUT sends a fetched entry back", func(t *testing.T) {
		got := s.getEntry(t, f.Owner.Token, e.ID)
		got.Description = "Workshop, day two"
		r := s.Do(t, http.MethodPut, teEntryPath(e.ID), f.Owner.Token, got)
		testkit.WantStatus(t, r, http.StatusOK)
		var out teEntry
		testkit.Decode(t, r, &out)
		want := got
		if !sameEntry(out, want) {
			t.Errorf("PUT %+v, want %+v", out, want)
		}
	})
	t.Run("PUT needs the required fields", func(t *testing.T) {
		testkit.WantOnly(t, s.Do(t, http.MethodPut, teEntryPath(e.ID), f.Owner.Token, map[string]any{"hours": "2"}),
			map[string][]string{"project": {msgRequired}, "date": {msgRequired}, "description": {msgRequired}})
	})
	t.Run("PATCH validates like create", func(t *testing.T) {
		for body, want := range map[string]map[string][]string{
			`{"hours": "0"}`:              {"hours": {teMsgHoursPositive}},
			`{"hours": "24.5"}`:           {"hours": {teMsgHoursPerEntry}},
			`{"hours": "1.005"}`:          {"hours": {msgTwoDecimals}},
			`{"hourly_rate": "-1"}`:       {"hourly_rate": {teMsgRateNegative}},
			`{"description": ""}`:         {"description": {msgRequired}},
			`{"task": "` + taskQ + `"}`:   {"task": {teMsgTaskProject}},
			`{"project": "` + q.ID + `"}`: {"task": {teMsgTaskProject}},
			`{"date": "2026-03-16"}`:      {"date": {teMsgFuture}},
			`{"invoiced_by": "x"}`:        {"invoiced_by": {msgUnknownField}},
		} {
			testkit.WantOnly(t, s.patchEntry(t, f.Owner.Token, e.ID, body), want)
		}
	})
	t.Run("PATCH moves the entry with its task", func(t *testing.T) {
		got := s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"project": q.ID, "task": taskQ})
		if got.Project != q.ID || *got.Task != taskQ || *got.TaskTitle != "Build" || *got.ProjectName != "Q" {
			t.Errorf("moved: %+v", got)
		}
		got = s.patchedEntry(t, f.Owner.Token, e.ID, map[string]any{"task": nil})
		if got.Task != nil || got.TaskTitle != nil || got.Description != "Workshop, day two" {
			t.Errorf("task cleared: %+v", got)
		}
		if testkit.Stamp(t, got.UpdatedAt).Before(testkit.Stamp(t, e.UpdatedAt)) || got.CreatedAt != e.CreatedAt {
			t.Errorf("stamps: created %s→%s updated %s→%s", e.CreatedAt, got.CreatedAt, e.UpdatedAt, got.UpdatedAt)
		}
	})
}

func TestTimeEntryInvoicedIsImmutable(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	admin := f.AddUser(t, "admin")
	manager := f.AddUser(t, "manager")
	consultant := f.AddUser(t, "consultant")
	other := f.AddUser(t, "consultant")
	p := entryProject(t, f, "P", nil)
	e := s.createEntry(t, consultant.Token, p.ID, nil)
	invoice := "0193a000-0000-7000-8000-00000000f00d"
	execSQL(t, s, "UPDATE time_entries SET invoiced = ?, invoice_id = ? WHERE id = ?", true, invoice, e.ID)

	got := s.getEntry(t, consultant.Token, e.ID)
	if !got.Invoiced || got.Invoice == nil || *got.Invoice != invoice {
		t.Fatalf("invoiced entry shows invoiced %v invoice %v", got.Invoiced, got.Invoice)
	}
	invoiced := map[string][]string{"non_field_errors": {teMsgInvoiced}}
	for _, u := range []user{f.Owner, admin, manager, consultant} {
		testkit.WantOnly(t, s.patchEntry(t, u.Token, e.ID, map[string]any{"description": "x"}), invoiced)
		testkit.WantOnly(t, s.Do(t, http.MethodPut, teEntryPath(e.ID), u.Token, got), invoiced)
		testkit.WantOnly(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), u.Token, nil), invoiced)
		// The entry's state is answered before the body is read.
		testkit.WantOnly(t, s.patchEntry(t, u.Token, e.ID, map[string]any{"hours": "0", "bogus": 1}), invoiced)
	}
	// Someone who may not edit the entry at all learns that first.
	testkit.WantForbidden(t, s.patchEntry(t, other.Token, e.ID, map[string]any{"description": "x"}))
	testkit.WantForbidden(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), other.Token, nil))
	if after := s.getEntry(t, f.Owner.Token, e.ID); !sameEntry(after, got) || after.UpdatedAt != got.UpdatedAt {
		t.Errorf("invoiced entry changed: %+v, was %+v", after, got)
	}
	// Cancelling the invoice releases the entry; an update never touches the invoice columns.
	execSQL(t, s, "UPDATE time_entries SET invoiced = ? WHERE id = ?", false, e.ID)
	after := s.patchedEntry(t, consultant.Token, e.ID, map[string]any{"description": "Released"})
	if after.Invoiced || after.Invoice == nil || *after.Invoice != invoice {
		t.Errorf("update wrote the finance columns: invoiced %v invoice %v", after.Invoiced, after.Invoice)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), consultant.Token, nil), http.StatusNoContent)
}

func TestTimeEntryPermissions(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	colleague := f.AddUser(t, "consultant")
	pm := f.AddUser(t, "consultant")
	p := entryProject(t, f, "Managed", map[string]any{"project_manager": pm.ID})
	q := entryProject(t, f, "Unmanaged", nil)
	consultant := users["consultant"]

	t.Run("create by role", func(t *testing.T) {
		for role, u := range users {
			r := s.Do(t, http.MethodPost, teEntriesPath, u.Token, entryBody(q.ID, map[string]any{"date": "2026-02-01", "hours": "1"}))
			if role == "accountant" {
				testkit.WantForbidden(t, r)
				continue
			}
			testkit.WantStatus(t, r, http.StatusCreated)
			var e teEntry
			testkit.Decode(t, r, &e)
			if e.User != u.ID || *e.UserName != u.Name {
				t.Errorf("%s: entry of %s (%v), want the caller %s", role, e.User, e.UserName, u.ID)
			}
		}
		// 403 before 400: the accountant's invalid body is not looked at.
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, teEntriesPath, users["accountant"].Token, map[string]any{"hours": "x"}))
	})
	t.Run("logging for another user", func(t *testing.T) {
		for _, role := range []string{"owner", "admin", "manager"} {
			e := s.createEntry(t, users[role].Token, q.ID, map[string]any{"user": consultant.ID, "date": "2026-02-02", "hours": "1"})
			if e.User != consultant.ID || *e.UserName != consultant.Name {
				t.Errorf("%s logged for %s (%v), want %s", role, e.User, e.UserName, consultant.ID)
			}
		}
		wantForbiddenWith(t, s.Do(t, http.MethodPost, teEntriesPath, consultant.Token,
			entryBody(q.ID, map[string]any{"user": colleague.ID})), teMsgLogForOthers)
		wantForbiddenWith(t, s.Do(t, http.MethodPost, teEntriesPath, pm.Token,
			entryBody(p.ID, map[string]any{"user": consultant.ID})), teMsgLogForOthers)
		wantForbiddenWith(t, s.Do(t, http.MethodPost, teEntriesPath, consultant.Token,
			map[string]any{"user": colleague.ID, "hours": "0.001"}), teMsgLogForOthers)
		e := s.createEntry(t, consultant.Token, q.ID, map[string]any{"user": consultant.ID, "date": "2026-02-03"})
		if e.User != consultant.ID {
			t.Errorf("consultant naming themselves: entry of %s", e.User)
		}
	})
	t.Run("update and delete by role", func(t *testing.T) {
		allowed := map[string]bool{"owner": true, "admin": true, "manager": true, "consultant": true, "pm": true}
		editors := map[string]user{"colleague": colleague, "pm": pm}
		for role, u := range users {
			editors[role] = u
		}
		for role, u := range editors {
			e := s.createEntry(t, consultant.Token, p.ID, map[string]any{"date": "2026-02-10", "hours": "1"})
			patch := s.patchEntry(t, u.Token, e.ID, map[string]any{"description": "By " + role})
			put := s.Do(t, http.MethodPut, teEntryPath(e.ID), u.Token, entryBody(p.ID, map[string]any{"date": "2026-02-10", "hours": "2"}))
			invalid := s.patchEntry(t, u.Token, e.ID, map[string]any{"hours": "-1"})
			del := s.Do(t, http.MethodDelete, teEntryPath(e.ID), u.Token, nil)
			if !allowed[role] {
				testkit.WantForbidden(t, patch)
				testkit.WantForbidden(t, put)
				testkit.WantForbidden(t, invalid) // 403 before 400
				testkit.WantForbidden(t, del)
				if got := s.getEntry(t, u.Token, e.ID); got.Description != "Workshop" {
					t.Errorf("%s changed an entry they may not edit: %q", role, got.Description)
				}
				continue
			}
			testkit.WantStatus(t, patch, http.StatusOK)
			testkit.WantStatus(t, put, http.StatusOK)
			var out teEntry
			testkit.Decode(t, put, &out)
			if out.User != consultant.ID {
				t.Errorf("%s: PUT without user moved the entry to %s", role, out.User)
			}
			testkit.WantOnly(t, invalid, map[string][]string{"hours": {teMsgHoursPositive}})
			testkit.WantStatus(t, del, http.StatusNoContent)
		}
	})
	t.Run("the project manager edits only their project's entries", func(t *testing.T) {
		e := s.createEntry(t, consultant.Token, q.ID, map[string]any{"date": "2026-02-11", "hours": "1"})
		testkit.WantForbidden(t, s.patchEntry(t, pm.Token, e.ID, map[string]any{"description": "x"}))
	})
	t.Run("only managers and above give an entry to someone else", func(t *testing.T) {
		e := s.createEntry(t, consultant.Token, p.ID, map[string]any{"date": "2026-02-12", "hours": "1"})
		wantForbiddenWith(t, s.patchEntry(t, consultant.Token, e.ID, map[string]any{"user": colleague.ID}), teMsgLogForOthers)
		wantForbiddenWith(t, s.patchEntry(t, pm.Token, e.ID, map[string]any{"user": pm.ID}), teMsgLogForOthers)
		wantForbiddenWith(t, s.patchEntry(t, consultant.Token, e.ID, map[string]any{"user": colleague.ID, "hours": "0"}), teMsgLogForOthers)
		// Sending the entry's own user back is no change.
		s.patchedEntry(t, pm.Token, e.ID, map[string]any{"user": consultant.ID, "description": "Reviewed"})
		got := s.patchedEntry(t, users["manager"].Token, e.ID, map[string]any{"user": colleague.ID})
		if got.User != colleague.ID || *got.UserName != colleague.Name {
			t.Errorf("manager reassigned to %s (%v), want %s", got.User, got.UserName, colleague.ID)
		}
		// Now the entry is the colleague's: its former user may not touch it.
		testkit.WantForbidden(t, s.patchEntry(t, consultant.Token, e.ID, map[string]any{"description": "x"}))
	})
	t.Run("everyone reads", func(t *testing.T) {
		e := s.createEntry(t, consultant.Token, p.ID, map[string]any{"date": "2026-02-13", "hours": "1"})
		for role, u := range users {
			if got := s.getEntry(t, u.Token, e.ID); got.ID != e.ID {
				t.Errorf("%s: GET returned %s", role, got.ID)
			}
			if n, _ := s.listEntries(t, u.Token, "user="+consultant.ID+"&date=2026-02-13"); n != 1 {
				t.Errorf("%s: list shows %d entries, want 1", role, n)
			}
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		testkit.WantError(t, s.Do(t, http.MethodGet, teEntriesPath, "", nil), http.StatusUnauthorized, typeNotAuth, codeUnauth)
		testkit.WantError(t, s.Do(t, http.MethodPost, teEntriesPath, "", entryBody(p.ID, nil)), http.StatusUnauthorized, typeNotAuth, codeUnauth)
	})
}

func TestTimeEntryTenancy(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	otherConsultant := other.AddUser(t, "consultant")
	p := entryProject(t, f, "Ours", nil)
	e := s.createEntry(t, f.Owner.Token, p.ID, nil)

	for _, u := range []user{other.Owner, otherConsultant} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, teEntryPath(e.ID), u.Token, nil))
		testkit.WantNotFound(t, s.patchEntry(t, u.Token, e.ID, map[string]any{"hours": "0"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodPut, teEntryPath(e.ID), u.Token, entryBody(p.ID, nil)))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), u.Token, nil))
		if n, _ := s.listEntries(t, u.Token, ""); n != 0 {
			t.Errorf("another firm lists %d of our entries", n)
		}
		if n, _ := s.listEntries(t, u.Token, "project="+p.ID); n != 0 {
			t.Errorf("another firm filters %d of our entries", n)
		}
	}
	for _, id := range []string{"not-a-uuid", "0193a000-0000-7000-8000-000000000001"} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, teEntryPath(id), f.Owner.Token, nil))
		testkit.WantNotFound(t, s.patchEntry(t, f.Owner.Token, id, map[string]any{"hours": "1"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, teEntryPath(id), f.Owner.Token, nil))
	}
	if got := s.getEntry(t, f.Owner.Token, e.ID); !sameEntry(got, e) {
		t.Errorf("entry changed by another firm: %+v", got)
	}
}

func TestTimeEntryListFiltersSearchOrdering(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	ann := f.AddUser(t, "consultant")
	bob := f.AddUser(t, "manager")
	atlas := entryProject(t, f, "Atlas Migration", nil)
	zephyr := entryProject(t, f, "Zephyr Audit", nil)
	task := entryTask(t, f, atlas.ID, "Cutover")

	// Created in this order, a second apart.
	logTime := func(token, projectID string, fields map[string]any) teEntry {
		s.Clock.Advance(time.Second)
		return s.createEntry(t, token, projectID, fields)
	}
	e1 := logTime(ann.Token, atlas.ID, map[string]any{"date": "2026-03-01", "hours": "2", "description": "Kickoff meeting"})
	e2 := logTime(ann.Token, atlas.ID, map[string]any{"date": "2026-03-03", "hours": "3", "description": "Data mapping", "task": task})
	e3 := logTime(bob.Token, zephyr.ID, map[string]any{"date": "2026-03-03", "hours": "4", "description": "Interviews", "is_billable": false})
	e4 := logTime(bob.Token, atlas.ID, map[string]any{"date": "2026-03-05", "hours": "1", "description": "Steering committee"})
	e5 := logTime(f.Owner.Token, zephyr.ID, map[string]any{"date": "2026-02-27", "hours": "5", "description": "Report review"})
	execSQL(t, s, "UPDATE time_entries SET invoiced = ? WHERE id = ?", true, e5.ID)

	tests := []struct {
		query string
		want  []teEntry
	}{
		{"", []teEntry{e4, e3, e2, e1, e5}}, // -date, -created_at
		{"ordering=date", []teEntry{e5, e1, e2, e3, e4}},
		{"ordering=created_at", []teEntry{e1, e2, e3, e4, e5}},
		{"ordering=-created_at", []teEntry{e5, e4, e3, e2, e1}},
		{"ordering=date,-created_at", []teEntry{e5, e1, e3, e2, e4}},
		{"project=" + atlas.ID, []teEntry{e4, e2, e1}},
		{"project=" + zephyr.ID, []teEntry{e3, e5}},
		{"user=" + ann.ID, []teEntry{e2, e1}},
		{"user=" + bob.ID + "&project=" + atlas.ID, []teEntry{e4}},
		{"task=" + task, []teEntry{e2}},
		{"is_billable=false", []teEntry{e3}},
		{"is_billable=true", []teEntry{e4, e2, e1, e5}},
		{"invoiced=true", []teEntry{e5}},
		{"invoiced=false", []teEntry{e4, e3, e2, e1}},
		{"date=2026-03-03", []teEntry{e3, e2}},
		{"date_after=2026-03-03", []teEntry{e4, e3, e2}},
		{"date_before=2026-03-01", []teEntry{e1, e5}},
		{"date_after=2026-03-01&date_before=2026-03-03", []teEntry{e3, e2, e1}},
		{"date_after=2026-03-04&date_before=2026-03-02", nil},
		{"search=MEETING", []teEntry{e1}},
		{"search=atlas", []teEntry{e4, e2, e1}},
		{"search=zephyr+review", []teEntry{e5}},
		{"search=consultant", []teEntry{e2, e1}},
		{"search=Manager+steering", []teEntry{e4}},
		{"search=olive", []teEntry{e5}},
		{"search=nothing-matches", nil},
		{"search=%25", nil},
		{"page_size=2&page=2", []teEntry{e2, e1}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			n, got := s.listEntries(t, f.Owner.Token, tc.query)
			want := entryIDs(tc.want)
			if !slices.Equal(entryIDs(got), want) {
				t.Errorf("?%s: %v, want %v", tc.query, describe(got), describe(tc.want))
			}
			if !strings.Contains(tc.query, "page") && n != int64(len(want)) {
				t.Errorf("?%s: count %d, want %d", tc.query, n, len(want))
			}
		})
	}
	t.Run("list rows carry the display fields", func(t *testing.T) {
		_, got := s.listEntries(t, f.Owner.Token, "task="+task)
		if len(got) != 1 || !sameEntry(got[0], e2) {
			t.Errorf("list row %+v, want %+v", got, e2)
		}
	})
	for _, query := range []string{"is_billable=maybe", "invoiced=1", "date=2026-02-30", "date_after=yesterday",
		"project=P-1", "user=bob", "task=x", "ordering=hours", "page_size=0", "page_size=201"} {
		t.Run("bad "+query, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodGet, teEntriesPath+"?"+query, f.Owner.Token, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
			name, _, _ := strings.Cut(query, "=")
			if len(env.Error.Details[name]) == 0 {
				t.Errorf("?%s: no message on %s: %s", query, name, r.Body)
			}
		})
	}
}

// describe shows entries by description, for failure messages.
func describe(es []teEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = fmt.Sprintf("%s %s", e.Date, e.Description)
	}
	return out
}

// The exact strings of SPEC §1 and §5 these tests check (the shared ones are in
// http_helpers_test.go), spelled out rather than taken from the package's constants.
const (
	teMsgLogForOthers  = "You do not have permission to log time for another user."
	teMsgHoursPositive = "Hours must be greater than 0"
	teMsgHoursPerEntry = "Hours cannot exceed 24 hours per day"
	teMsgHoursPerDay   = "Total hours for this day cannot exceed 24"
	teMsgFuture        = "Time entry date cannot be in the future"
	teMsgRateNegative  = "Hourly rate cannot be negative"
	teMsgTaskProject   = "Task must belong to the same project"
	teMsgInvoiced      = "Cannot modify invoiced time entries"
	teMsgNoRate        = "This project has no hourly rate; set hourly_rate."
	teMsgProject       = "Select a valid project."
	teMsgTask          = "Select a valid task."
	teMsgUser          = "Select a user of your firm."
	teMsgDate          = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
)

// teEntriesPath is the Phase 1 alias of the time entries collection (SPEC §2).
const teEntriesPath = "/api/projects/time-entries/"

func teEntryPath(id string) string { return teEntriesPath + id + "/" }

// teDefaultNow is the frozen instant of most tests: noon UTC, so "today" is 2026-03-15 in UTC.
var teDefaultNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// entryProject creates a project of a new client as the firm's owner, named name, at 150.00 USD
// an hour unless fields say otherwise (a nil value removes a field).
func entryProject(t testing.TB, f *firm, name string, fields map[string]any) project {
	t.Helper()
	c := (&apiServer{f.API}).createClient(t, f.Owner.Token, nil)
	return (&apiServer{f.API}).createProject(t, f.Owner.Token, c.ID, withFields(map[string]any{"name": name, "hourly_rate": "150.00"}, fields))
}

// entryTask creates a task titled title in the project as the firm's owner and returns its id.
func entryTask(t testing.TB, f *firm, projectID, title string) string {
	t.Helper()
	return (&apiServer{f.API}).createTask(t, f.Owner.Token, projectID, map[string]any{"title": title}).ID
}

// execSQL runs a statement on the server's database directly, as the finance module will when it
// marks entries invoiced.
func execSQL(t testing.TB, s *apiServer, query string, args ...any) {
	t.Helper()
	if _, err := s.DB().W.NewRaw(query, args...).Exec(context.Background()); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// tryPost POSTs body as JSON from any goroutine (s.do may stop the test, which only the test's
// goroutine may do); a failure to send is status 0 with the error as body.
func tryPost(s *apiServer, path, token string, body any) (int, string) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, err.Error()
	}
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err.Error()
	}
	return res.StatusCode, string(out)
}

// wantForbiddenWith asserts a 403 PermissionDenied with this message.
func wantForbiddenWith(t testing.TB, r *response, message string) {
	t.Helper()
	env := testkit.WantError(t, r, http.StatusForbidden, typePermission, codeForbidden)
	if env.Error.Message != message {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, message)
	}
}

// teEntry is a time entry as the API shows it; money and hours decode as strings, so a number in
// their place fails.
type teEntry struct {
	ID           string  `json:"id"`
	Project      string  `json:"project"`
	ProjectName  *string `json:"project_name"`
	Task         *string `json:"task"`
	TaskTitle    *string `json:"task_title"`
	User         string  `json:"user"`
	UserName     *string `json:"user_name"`
	Date         string  `json:"date"`
	Hours        string  `json:"hours"`
	Description  string  `json:"description"`
	IsBillable   bool    `json:"is_billable"`
	HourlyRate   string  `json:"hourly_rate"`
	Currency     string  `json:"currency"`
	BilledAmount string  `json:"billed_amount"`
	Invoiced     bool    `json:"invoiced"`
	Invoice      *string `json:"invoice"`
	CreatedAt    string  `json:"created_at"`
	UpdatedAt    string  `json:"updated_at"`
}

// entryBody is a valid create body for the project (8 h on 2026-03-10), changed by fields (a nil
// value removes a field; jsonNull sends null).
func entryBody(projectID string, fields map[string]any) map[string]any {
	return withFields(map[string]any{"project": projectID, "date": "2026-03-10", "hours": "8.00", "description": "Workshop"}, fields)
}

// createEntry logs time as the token's user from entryBody and returns the entry, checking the
// Location header.
func (s *apiServer) createEntry(t testing.TB, token, projectID string, fields map[string]any) teEntry {
	t.Helper()
	r := s.Do(t, http.MethodPost, teEntriesPath, token, entryBody(projectID, fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var e teEntry
	testkit.Decode(t, r, &e)
	if want := "/api/v1/projects/time-entries/" + e.ID + "/"; r.Header.Get("Location") != want {
		t.Errorf("Location %q, want %q", r.Header.Get("Location"), want)
	}
	return e
}

// getEntry fetches an entry as the token's user.
func (s *apiServer) getEntry(t testing.TB, token, id string) teEntry {
	t.Helper()
	return testkit.Fetch[teEntry](t, s.API, token, teEntryPath(id))
}

// listEntries lists entries with the query (without "?") and returns the count and the page.
func (s *apiServer) listEntries(t testing.TB, token, query string) (int64, []teEntry) {
	t.Helper()
	p, es := testkit.ListOf[teEntry](t, s.API, token, teEntriesPath, query)
	return p.Count, es
}

// entryIDs returns the ids of entries, in order.
func entryIDs(es []teEntry) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

// A created entry reads back exactly as its create answered, whether the answer was built from
// what the transaction read (the caller's own entry) or read again (an entry for someone else).
func TestTimeEntryCreateAnswersAsGet(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, teDefaultNow)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	cons := f.AddUser(t, roleConsultant)
	p := entryProject(t, f, "Atlas rollout", nil)
	tk := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"title": "Interviews"})
	for _, tc := range []struct {
		name   string
		token  string
		fields map[string]any
	}{
		{"own entry with a task", cons.Token, map[string]any{"task": tk.ID, "hours": "1.25"}},
		{"own entry without a task", mgr.Token, map[string]any{"hours": "0.50", "is_billable": false}},
		{"for another user", mgr.Token, map[string]any{"user": cons.ID, "task": tk.ID, "hours": "2.00"}},
	} {
		created := s.Do(t, http.MethodPost, teEntriesPath, tc.token, entryBody(p.ID, tc.fields))
		testkit.WantStatus(t, created, http.StatusCreated)
		var e teEntry
		testkit.Decode(t, created, &e)
		got := s.Do(t, http.MethodGet, teEntryPath(e.ID), tc.token, nil)
		testkit.WantStatus(t, got, http.StatusOK)
		if !bytes.Equal(bytes.TrimSpace(created.Body), bytes.TrimSpace(got.Body)) {
			t.Errorf("%s: create answered\n%s\nGET answers\n%s", tc.name, created.Body, got.Body)
		}
		if e.UserName == nil || *e.UserName == "" || e.ProjectName == nil || *e.ProjectName != p.Name {
			t.Errorf("%s: display fields missing: %+v", tc.name, e)
		}
	}
}
