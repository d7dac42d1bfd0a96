package app_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// demoPassword passes every password rule and is unlike the demo usernames.
const demoPassword = "Vq7mTz3kWp9xLr2nHs4d"

// demoRow is what the demo test reads of every listed resource.
type demoRow struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Currency string `json:"currency"`
	User     string `json:"user"`
	Date     string `json:"date"`
}

// demoLists are the demo firm's lists that the seeding fills.
var demoLists = []string{"/api/crm/clients/", "/api/crm/proposals/", "/api/crm/contracts/",
	"/api/projects/projects/", "/api/projects/tasks/", "/api/projects/time-entries/",
	"/api/finance/invoices/", "/api/finance/bills/", "/api/finance/payments/"}

// demoCounts reads every demo list (all of it: the demo has fewer than 200 rows of each) and
// returns the rows by list.
func demoCounts(t *testing.T, s *testkit.API, token string) map[string][]demoRow {
	t.Helper()
	out := map[string][]demoRow{}
	for _, path := range demoLists {
		page, rows := testkit.ListOf[demoRow](t, s, token, path, "page_size=200")
		if page.Count != int64(len(rows)) {
			t.Fatalf("%s: count %d, %d rows on the only page", path, page.Count, len(rows))
		}
		out[path] = rows
	}
	return out
}

// statuses is the set of statuses of rows, sorted.
func statuses(rows []demoRow) []string {
	set := map[string]bool{}
	for _, r := range rows {
		set[r.Status] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// The demo firm gets a small consultancy's business through the modules' services: clients,
// proposals and contracts at every stage, projects with tasks, and three weeks of time logged by
// several users up to the firm's today (in its time zone, not UTC's), in the firm's currency.
// Seeding again adds nothing.
func TestDemoSeedsAFirmWithBusinessData(t *testing.T) {
	t.Parallel()
	// 02:00 UTC on Tuesday 3 March is still Monday 2 March in Honolulu.
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)})
	app := s.Srv.App
	ctx := context.Background()

	// The users first, then the firm's settings, then the data: it follows the settings.
	if _, _, err := app.Auth.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatalf("seed the demo users: %v", err)
	}
	owner := s.Login(t, "demo-owner", demoPassword)
	testkit.WantStatus(t, s.Do(t, "PATCH", "/api/firm/", owner,
		map[string]any{"timezone": "Pacific/Honolulu", "default_currency": "EUR"}), 200)
	empty := demoCounts(t, s, owner) // cached: the seeding must refresh the lists
	for path, rows := range empty {
		if len(rows) != 0 {
			t.Fatalf("%s before the data is seeded: %d rows", path, len(rows))
		}
	}

	firm, users, err := app.SeedDemo(ctx, demoPassword)
	if err != nil {
		t.Fatalf("seed the demo: %v", err)
	}
	if firm.Name != "Northwind Advisory (demo)" || len(users) != 4 {
		t.Fatalf("demo firm %q with %d users", firm.Name, len(users))
	}
	first := demoCounts(t, s, owner)
	want := map[string][]string{
		"/api/crm/clients/":       {"active", "inactive", "lead", "lost", "prospect"},
		"/api/crm/proposals/":     {"accepted", "draft", "expired", "rejected", "sent", "under_review"},
		"/api/crm/contracts/":     {"active", "completed", "draft"},
		"/api/projects/projects/": {"completed", "in_progress", "planning"},
		"/api/projects/tasks/":    {"blocked", "done", "in_progress", "review", "todo"},
		"/api/finance/invoices/":  {"draft", "paid", "partial"},
		"/api/finance/bills/":     {"paid", "received"},
	}
	for path, w := range want {
		if got := statuses(first[path]); !slices.Equal(got, w) {
			t.Errorf("%s: statuses %v, want %v", path, got, w)
		}
	}
	for _, path := range []string{"/api/crm/clients/", "/api/crm/proposals/", "/api/crm/contracts/",
		"/api/projects/projects/", "/api/projects/time-entries/", "/api/finance/invoices/", "/api/finance/bills/",
		"/api/finance/payments/"} {
		for _, r := range first[path] {
			if r.Currency != "EUR" {
				t.Errorf("%s %s: currency %q, want the firm's EUR", path, r.ID, r.Currency)
			}
		}
	}
	entries := first["/api/projects/time-entries/"]
	loggers := map[string]bool{}
	days := map[string]bool{}
	for _, e := range entries {
		loggers[e.User] = true
		days[e.Date] = true
		if e.Date > "2026-03-02" || e.Date < "2026-02-09" {
			t.Errorf("time entry %s dated %s: want the three weeks up to the firm's today, 2026-03-02", e.ID, e.Date)
		}
	}
	if len(loggers) != 3 || !days["2026-03-02"] || len(days) != 16 {
		t.Errorf("time entries: %d users on %d days (today %v), want 3 users on the 16 working days up to today",
			len(loggers), len(days), days["2026-03-02"])
	}

	// A second run (the demo command run again) seeds nothing more.
	if _, _, err := app.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatalf("seed the demo again: %v", err)
	}
	owner = s.Login(t, "demo-owner", demoPassword)
	second := demoCounts(t, s, owner)
	for _, path := range demoLists {
		if len(first[path]) == 0 || len(second[path]) != len(first[path]) {
			t.Errorf("%s: %d rows after the first run, %d after the second", path, len(first[path]), len(second[path]))
		}
	}
	// Every demo user sees the same data.
	for _, username := range []string{"demo-manager", "demo-consultant", "demo-accountant"} {
		token := s.Login(t, username, demoPassword)
		_, rows := testkit.ListOf[demoRow](t, s, token, "/api/crm/clients/", "")
		if len(rows) != len(first["/api/crm/clients/"]) {
			t.Errorf("%s sees %d clients, want %d", username, len(rows), len(first["/api/crm/clients/"]))
		}
	}
}
