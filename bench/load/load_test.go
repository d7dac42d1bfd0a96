package load

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Credentials of the firm the tests seed (the generator's defaults break the password rules the
// API applies to registration, so the tests register their own owner).
const (
	testUsername = "ada"
	testPassword = "correct horse battery staple 42"
)

// seedFirm registers a firm through the API of srv and gives it clients, a proposal, projects,
// tasks and time entries: enough for every scenario to answer 2xx with rows.
func seedFirm(t *testing.T, srv *testkit.Server) {
	t.Helper()
	ctx := context.Background()
	a := &api{base: srv.URL, client: newClient(4)}
	var reg struct {
		Access string `json:"access"`
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.call(ctx, http.MethodPost, "/api/auth/register/", "", map[string]string{
		"firm_name": "Load Test Consulting", "username": testUsername, "email": "ada@firm.example",
		"password": testPassword, "first_name": "Ada", "last_name": "Lovelace",
	}, &reg))
	token := reg.Access
	type created struct {
		ID string `json:"id"`
	}
	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	day := 0
	for c, name := range []string{"Northwind Traders", "Contoso Pharmaceuticals", "Fabrikam Robotics"} {
		var client created
		must(a.call(ctx, http.MethodPost, "/api/crm/clients/", token, map[string]any{
			"company_name": name, "primary_contact_name": "Grace Hopper",
			"primary_contact_email": fmt.Sprintf("grace%d@client.example", c),
		}, &client))
		must(a.call(ctx, http.MethodPost, "/api/crm/proposals/", token, map[string]any{
			"client": client.ID, "title": "Discovery", "description": "Two weeks of interviews",
			"total_value": "12000.00", "valid_until": yesterday.AddDate(1, 0, 0).Format(time.DateOnly),
		}, nil))
		for p := range 2 {
			var project created
			must(a.call(ctx, http.MethodPost, "/api/projects/projects/", token, map[string]any{
				"client": client.ID, "name": fmt.Sprintf("%s project %d", name, p), "start_date": "2025-01-01",
				"end_date": "2026-12-31", "hourly_rate": "150.00", "budget": "40000.00",
			}, &project))
			var task created
			must(a.call(ctx, http.MethodPost, "/api/projects/tasks/", token, map[string]any{
				"project": project.ID, "title": "Workshop",
			}, &task))
			for e := range 3 {
				day++
				must(a.call(ctx, http.MethodPost, "/api/projects/time-entries/", token, map[string]any{
					"project": project.ID, "task": task.ID, "date": yesterday.AddDate(0, 0, -day).Format(time.DateOnly),
					"hours": "2.50", "description": fmt.Sprintf("Session %d", e),
				}, nil))
			}
		}
	}
}

// testOptions are short, small options for a run against the seeded firm.
func testOptions() Options {
	return Options{Username: testUsername, Password: testPassword, Concurrency: 3, WriteConcurrency: 2,
		Duration: 150 * time.Millisecond, Runs: 2, Writers: 2, WriterPassword: "tangerine voltage harbour 7731",
		Hours: "0.25", MaxDisturbance: 1, ProfileScenario: ScenarioProjects, NoLogs: true, fastPasswords: true,
		SearchTerms: SearchWords}
}

// checkOutcome asserts that every scenario ran every run with requests and without errors, and
// that the report shows the medians and the targets.
func checkOutcome(t *testing.T, o Options, out *outcome) {
	t.Helper()
	if len(out.scenarios) != len(ScenarioNames()) {
		t.Fatalf("%d scenarios ran, want %d", len(out.scenarios), len(ScenarioNames()))
	}
	for _, sc := range out.scenarios {
		runs := out.runs[sc.name]
		if len(runs) != o.Runs {
			t.Errorf("%s: %d runs, want %d", sc.name, len(runs), o.Runs)
		}
		for i, r := range runs {
			if r.Requests == 0 || r.Errors != 0 || r.Bytes == 0 || r.P99 < r.P50 || r.Max < r.P99 {
				t.Errorf("%s run %d: %d requests, %d errors (%q), %d bytes, p50 %s p99 %s max %s",
					sc.name, i+1, r.Requests, r.Errors, r.ErrSamples, r.Bytes, r.P50, r.P99, r.Max)
			}
		}
	}
	// The bare endpoint serves a snapshot; created time entries then change the totals' digits.
	if pl, bare := summarize(out.runs[ScenarioProjects]), summarize(out.runs[ScenarioBare]); bare.Bytes < pl.Bytes*9/10 || bare.Bytes > pl.Bytes*11/10 {
		t.Errorf("bare endpoint serves %d bytes, the project list %d", bare.Bytes, pl.Bytes)
	}
	var buf bytes.Buffer
	report(&buf, out.env, out.scenarios, o, out.runs)
	for _, want := range []string{"| project-list | 3 |", "| time-entry-create | 2 |", "project-list / bare throughput",
		"project-list / bare p99 at 3 connections", "time-entry create p99 at 2 connections", "### Every run"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "not a result") {
		t.Errorf("report flags a run with errors:\n%s", buf.String())
	}
}

// TestRunAgainstRunningServer drives every scenario against a server started elsewhere (--url),
// then against a server the harness starts itself on the same database (--database-url).
func TestRunAgainstRunningServer(t *testing.T) {
	srv := testkit.StartServer(t, nil, nil)
	seedFirm(t, srv)
	ctx := context.Background()

	t.Run("url", func(t *testing.T) {
		o := testOptions()
		o.URL = srv.URL
		var progress bytes.Buffer
		out, err := collect(ctx, o, &progress)
		if err != nil {
			t.Fatalf("collect: %v\n%s", err, progress.String())
		}
		checkOutcome(t, o, out)
	})
	t.Run("in-process", func(t *testing.T) {
		o := testOptions()
		o.DatabaseURL = srv.App.Config.DatabaseURL
		o.Scenarios = nil
		var progress bytes.Buffer
		out, err := collect(ctx, o, &progress)
		if err != nil {
			t.Fatalf("collect: %v\n%s", err, progress.String())
		}
		checkOutcome(t, o, out)
		if !strings.Contains(out.env.Target, "in-process") || !strings.Contains(out.env.Data, "6 projects") {
			t.Errorf("environment = %+v", out.env)
		}
	})
}

// TestRunRefusesMissingData explains what to do when the owner cannot log in.
func TestRunRefusesMissingData(t *testing.T) {
	srv := testkit.StartServer(t, nil, nil)
	o := testOptions()
	o.URL = srv.URL
	err := Run(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "generate the data first") {
		t.Fatalf("Run on an empty database = %v, want advice to generate the data", err)
	}
}
