package gen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// tiny is a firm small enough to check row by row.
func tiny() Scale {
	return Scale{Name: "tiny", Clients: 3, Projects: 5, Tasks: 20, TimeEntries: 200,
		Managers: 1, Consultants: 2, Accountants: 1}
}

// generate builds a tiny firm on a fresh test database and opens the real app on it.
func generate(t *testing.T, seed uint64, now func() time.Time) (Result, *app.App) {
	t.Helper()
	url := testkit.DatabaseURL(t)
	res, err := Generate(context.Background(), Options{DatabaseURL: url, Scale: tiny(), Seed: seed, Now: now,
		fastPasswords: true})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	cfg := testkit.Config(t)
	cfg.DatabaseURL = url
	a, err := app.New(context.Background(), cfg, logging.Discard(), "test", app.WithFastPasswords())
	if err != nil {
		t.Fatalf("open the generated database: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return res, a
}

func TestGenerateBuildsAConsistentFirm(t *testing.T) {
	t.Parallel()
	res, a := generate(t, 7, nil)
	ctx := context.Background()
	sc := tiny()
	want := Counts{Users: sc.Users(), Clients: sc.Clients, Projects: sc.Projects, Tasks: sc.Tasks,
		TimeEntries: sc.TimeEntries, Proposals: res.Counts.Proposals, Contracts: res.Counts.Contracts}
	if res.Counts != want || res.Counts.Proposals == 0 {
		t.Fatalf("reported counts %+v, want %+v with some proposals", res.Counts, want)
	}
	for table, n := range map[string]int{"users": want.Users, "clients": want.Clients, "proposals": want.Proposals,
		"contracts": want.Contracts, "projects": want.Projects, "tasks": want.Tasks, "time_entries": want.TimeEntries} {
		got, err := a.DB.R.NewSelect().Table(table).Where("firm_id = ?", res.FirmID).Count(ctx)
		if err != nil || got != int64(n) {
			t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
		}
	}

	t.Run("users log in", func(t *testing.T) {
		for _, login := range []string{res.Owner, DefaultUserPrefix + "-consultant-001"} {
			u, _, err := a.Auth.Login(ctx, login, res.Password, auth.ClientMeta{})
			if err != nil || u.FirmID != res.FirmID {
				t.Fatalf("login %s: %v (firm %v)", login, err, u)
			}
		}
		if _, _, err := a.Auth.Login(ctx, res.Owner, res.Password+"x", auth.ClientMeta{}); err == nil {
			t.Fatal("a wrong password logged in")
		}
	})

	t.Run("time entries", func(t *testing.T) {
		checkEntries(t, a.DB, res.FirmID)
	})

	t.Run("document counters", func(t *testing.T) {
		checkCounters(t, a.DB, res.FirmID)
	})
}

// entryRow is what the checks read of a time entry.
type entryRow struct {
	UserID       string       `bun:"user_id"`
	Date         date.Date    `bun:"date"`
	Hours        money.Hours  `bun:"hours"`
	IsBillable   bool         `bun:"is_billable"`
	HourlyRate   money.Amount `bun:"hourly_rate"`
	BilledAmount money.Amount `bun:"billed_amount"`
	Invoiced     bool         `bun:"invoiced"`
}

// checkEntries asserts every entry's amount, hours and date, and every user's daily total.
func checkEntries(t *testing.T, d *db.DB, firmID string) {
	t.Helper()
	var rows []entryRow
	if err := d.R.NewSelect().Table("time_entries").Column("user_id", "date", "hours", "is_billable",
		"hourly_rate", "billed_amount", "invoiced").Where("firm_id = ?", firmID).Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	today := date.Today(time.Now(), time.UTC)
	perDay := map[string]money.Hours{}
	billable := 0
	for _, r := range rows {
		want, err := projects.EntryBilledAmount(r.Hours, r.HourlyRate, r.IsBillable)
		if err != nil || r.BilledAmount != want {
			t.Errorf("entry %+v: billed_amount %v, want %v (%v)", r, r.BilledAmount, want, err)
		}
		if r.Hours <= 0 || r.Hours > projects.MaxHoursPerDay || r.Hours%25 != 0 {
			t.Errorf("entry %+v: hours %v are not quarter hours within a day", r, r.Hours)
		}
		if !r.Date.Before(today) {
			t.Errorf("entry %+v: dated today or later (%s)", r, today)
		}
		if r.Invoiced && !r.IsBillable {
			t.Errorf("entry %+v: invoiced but not billable", r)
		}
		if r.IsBillable {
			billable++
		}
		perDay[r.UserID+" "+string(r.Date)] += r.Hours
	}
	for key, h := range perDay {
		if h > projects.MaxHoursPerDay {
			t.Errorf("%s: %v hours logged in one day", key, h)
		}
	}
	if billable == 0 || billable == len(rows) {
		t.Errorf("%d of %d entries billable: want a mix", billable, len(rows))
	}
}

// checkCounters asserts that each doc_counters row holds the highest number of its kind and
// year, that numbers run from 1 without gaps, and that the API's next number follows on.
func checkCounters(t *testing.T, d *db.DB, firmID string) {
	t.Helper()
	ctx := context.Background()
	highest := map[string]int64{}
	for kind, q := range map[string]string{
		"proposal": "SELECT proposal_number FROM proposals WHERE firm_id = ?",
		"contract": "SELECT contract_number FROM contracts WHERE firm_id = ?",
		"project":  "SELECT project_code FROM projects WHERE firm_id = ?",
	} {
		var numbers []string
		if err := d.R.NewRaw(q, firmID).Scan(ctx, &numbers); err != nil {
			t.Fatal(err)
		}
		perYear := map[string]int64{}
		for _, s := range numbers {
			parts := strings.Split(s, "-")
			n, err := strconv.ParseInt(parts[len(parts)-1], 10, 64)
			if len(parts) != 3 || err != nil || len(parts[2]) < 3 {
				t.Fatalf("%s number %q is not PREFIX-YYYY-NNN", kind, s)
			}
			key := kind + " " + parts[1]
			highest[key] = max(highest[key], n)
			perYear[key]++
		}
		for key, n := range perYear {
			if highest[key] != n {
				t.Errorf("%s: %d documents but the highest number is %d", key, n, highest[key])
			}
		}
	}
	var counters []struct {
		Kind string `bun:"kind"`
		Year int    `bun:"year"`
		Last int64  `bun:"last"`
	}
	if err := d.R.NewRaw("SELECT kind, year, last FROM doc_counters WHERE firm_id = ?", firmID).Scan(ctx, &counters); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, c := range counters {
		got[fmt.Sprintf("%s %d", c.Kind, c.Year)] = c.Last
	}
	if fmt.Sprint(got) != fmt.Sprint(highest) {
		t.Fatalf("doc_counters %v, want the highest numbers %v", got, highest)
	}
	for key, last := range highest {
		kind, yearText, _ := strings.Cut(key, " ")
		year, _ := strconv.Atoi(yearText)
		var next int64
		_ = d.Tx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
			if next, err = db.NextNumber(ctx, tx, firmID, kind, year); err != nil {
				return err
			}
			return context.Canceled // roll back: only look
		})
		if next != last+1 {
			t.Errorf("%s: the API's next number is %d, want %d", key, next, last+1)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 3, 11, 15, 4, 5, 0, time.UTC) }
	var prints [2]string
	for i := range prints {
		_, a := generate(t, 42, now)
		prints[i] = fingerprint(t, a.DB)
	}
	if prints[0] != prints[1] {
		t.Fatalf("the same seed and day built different firms:\n%s\n%s", prints[0], prints[1])
	}
	_, a := generate(t, 43, now)
	if fingerprint(t, a.DB) == prints[0] {
		t.Fatal("another seed built the same firm")
	}
}

// fingerprint summarises a generated firm without its ids.
func fingerprint(t *testing.T, d *db.DB) string {
	t.Helper()
	ctx := context.Background()
	var parts []string
	for _, q := range []string{
		"SELECT company_name || '|' || status || '|' || currency FROM clients ORDER BY company_name",
		"SELECT project_code || '|' || name || '|' || status || '|' || start_date FROM projects ORDER BY project_code",
		"SELECT proposal_number || '|' || status || '|' || total_value FROM proposals ORDER BY proposal_number",
		"SELECT date || '|' || hours || '|' || billed_amount || '|' || description FROM time_entries ORDER BY date, created_at",
	} {
		var rows []string
		if err := d.R.NewRaw(q).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, strings.Join(rows, "\n"))
	}
	return strings.Join(parts, "\n--\n")
}
