package projects_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Project messages of this module that SPEC §5 leaves to the implementation.
const (
	msgCodeTaken       = "A project with this code already exists."
	msgContractUnknown = "Select a valid contract."
	msgUserUnknown     = "Select a user of your firm."
	msgProjectInUse    = "This project has tasks or time entries and cannot be deleted."
	msgCurrencyLocked  = "The currency cannot change once time has been logged on the project."
	msgFieldNull       = "This field may not be null."
)

// projectKeys are the fields of a project in every answer, none omitted.
var projectKeys = []string{"actual_completion_date", "billable_hours", "billing_type", "budget", "budget_used_percent",
	"client", "client_name", "contract", "contract_number", "created_at", "created_by", "currency", "description",
	"end_date", "hourly_rate", "id", "name", "notes", "project_code", "project_manager", "project_manager_name",
	"start_date", "status", "total_billed_amount", "total_hours_logged", "unbilled_amount", "updated_at"}

// sameProject fails unless got equals want, field by field; with anyUpdated the update stamp may
// differ but must not move backwards.
func sameProject(t testing.TB, what string, got, want project, anyUpdated bool) {
	t.Helper()
	g := got
	if anyUpdated {
		if testkit.Stamp(t, g.UpdatedAt).Before(testkit.Stamp(t, want.UpdatedAt)) {
			t.Errorf("%s: updated_at went back from %s to %s", what, want.UpdatedAt, g.UpdatedAt)
		}
		g.UpdatedAt = want.UpdatedAt
	}
	if !reflect.DeepEqual(g, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s: project mismatch\n got: %s\nwant: %s", what, gj, wj)
	}
}

// projectCodes returns the codes of projects, in order.
func projectCodes(ps []project) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ProjectCode
	}
	return out
}

// patchProject PATCHes a project as the token's user, expects 200 and returns it.
func (s *apiServer) patchProject(t testing.TB, token, id string, body map[string]any) project {
	t.Helper()
	r := s.Do(t, http.MethodPatch, projectPath(id), token, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var p project
	testkit.Decode(t, r, &p)
	return p
}

func TestProjectCreateDefaultsAndShape(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme Corp"})

	r := s.Do(t, http.MethodPost, projectsPath, f.Owner.Token, projectBody(c.ID, map[string]any{"name": "  Audit  "}))
	testkit.WantStatus(t, r, http.StatusCreated)
	m := testkit.Object(t, r)
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, projectKeys) {
		t.Errorf("keys = %q\nwant %q", keys, projectKeys)
	}
	var p project
	testkit.Decode(t, r, &p)
	if loc := r.Header.Get("Location"); loc != "/api/v1/projects/projects/"+p.ID+"/" {
		t.Errorf("Location = %q", loc)
	}
	want := project{ID: p.ID, Client: c.ID, ClientName: ptr("Acme Corp"), ProjectCode: "PRJ-2026-001", Name: "Audit",
		Status: "planning", BillingType: "time_and_materials", Currency: "USD", StartDate: "2026-01-01",
		EndDate: "2026-12-31", CreatedBy: ptr(f.Owner.ID), CreatedAt: "2026-02-10T14:00:00Z", UpdatedAt: "2026-02-10T14:00:00Z",
		TotalHoursLogged: "0.00", BillableHours: "0.00", TotalBilledAmount: "0.00", UnbilledAmount: "0.00"}
	sameProject(t, "created", p, want, false)
	sameProject(t, "fetched", s.getProject(t, f.Owner.Token, p.ID), want, false)
	for _, k := range []string{"contract", "contract_number", "project_manager", "project_manager_name", "budget",
		"hourly_rate", "actual_completion_date", "budget_used_percent"} {
		if m[k] != nil {
			t.Errorf("%s = %v, want null", k, m[k])
		}
	}

	t.Run("every field set", func(t *testing.T) {
		mgr := f.AddUser(t, roleManager)
		k := s.createContract(t, f.Owner.Token, c.ID)
		p := s.createProject(t, mgr.Token, c.ID, map[string]any{"contract": k.ID, "project_manager": mgr.ID,
			"project_code": "ACME-1", "description": "Year-end audit", "status": "in_progress", "billing_type": "fixed_price",
			"budget": "50000.00", "hourly_rate": 150, "currency": "EUR", "notes": "n", "start_date": "2026-03-01",
			"end_date": "2026-03-02", "actual_completion_date": "2026-03-01"})
		want := project{ID: p.ID, Client: c.ID, ClientName: ptr("Acme Corp"), Contract: &k.ID, ContractNumber: &k.ContractNumber,
			ProjectManager: &mgr.ID, ProjectManagerName: &mgr.Name, ProjectCode: "ACME-1", Name: p.Name,
			Description: "Year-end audit", Status: "in_progress", BillingType: "fixed_price", Budget: ptr("50000.00"),
			HourlyRate: ptr("150.00"), Currency: "EUR", StartDate: "2026-03-01", EndDate: "2026-03-02",
			ActualCompletionDate: ptr("2026-03-01"), Notes: "n", CreatedBy: &mgr.ID, CreatedAt: p.CreatedAt,
			UpdatedAt: p.UpdatedAt, TotalHoursLogged: "0.00", BillableHours: "0.00", TotalBilledAmount: "0.00",
			UnbilledAmount: "0.00", BudgetUsedPercent: ptr("0.00")}
		sameProject(t, "every field", p, want, false)
	})

	t.Run("read-only fields in the body are ignored", func(t *testing.T) {
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"id": "01900000-0000-7000-8000-000000000000",
			"client_name": "X", "contract_number": "CTR-1", "project_manager_name": "Y", "created_by": "someone",
			"created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z", "total_hours_logged": "99.00",
			"billable_hours": "9", "total_billed_amount": "1", "unbilled_amount": "1", "budget_used_percent": "50"})
		if p.ID == "01900000-0000-7000-8000-000000000000" || deref(p.ClientName) != "Acme Corp" || p.ContractNumber != nil ||
			p.ProjectManagerName != nil || deref(p.CreatedBy) != f.Owner.ID || p.CreatedAt != "2026-02-10T14:00:00Z" ||
			p.TotalHoursLogged != "0.00" || p.BillableHours != "0.00" || p.TotalBilledAmount != "0.00" ||
			p.BudgetUsedPercent != nil {
			t.Errorf("read-only fields taken from the body: %+v", p)
		}
	})

	t.Run("firm currency", func(t *testing.T) {
		g := s.RegisterFirm(t)
		g.Settings(t, map[string]any{"default_currency": "JPY"})
		gc := s.createClient(t, g.Owner.Token, nil)
		p := s.createProject(t, g.Owner.Token, gc.ID, map[string]any{"budget": "1600", "hourly_rate": 15000})
		if p.Currency != "JPY" || deref(p.Budget) != "1600" || deref(p.HourlyRate) != "15000" || p.TotalBilledAmount != "0" {
			t.Errorf("JPY project: currency %s budget %s rate %s billed %s", p.Currency, deref(p.Budget),
				deref(p.HourlyRate), p.TotalBilledAmount)
		}
	})
}

func TestProjectCreateValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	c2 := s.createClient(t, f.Owner.Token, nil)
	k2 := s.createContract(t, f.Owner.Token, c2.ID)
	otherClient := s.createClient(t, other.Owner.Token, nil)
	otherContract := s.createContract(t, other.Owner.Token, otherClient.ID)
	gone := f.AddUser(t, roleConsultant)
	f.Deactivate(t, gone)
	s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "Taken-1"})
	const unknownID = "01900000-0000-7000-8000-000000000000"

	tests := []struct {
		name string
		body map[string]any
		want map[string][]string // exact messages on exactly these fields
		any  []string            // or: fields that must carry some message
	}{
		{name: "everything missing", body: map[string]any{},
			want: map[string][]string{"client": {msgRequired}, "name": {msgRequired}, "start_date": {msgRequired},
				"end_date": {msgRequired}}},
		{name: "end date missing", body: projectBody(c.ID, map[string]any{"end_date": nil}),
			want: map[string][]string{"end_date": {msgRequired}}},
		{name: "empty name", body: projectBody(c.ID, map[string]any{"name": ""}),
			want: map[string][]string{"name": {msgRequired}}},
		{name: "blank name", body: projectBody(c.ID, map[string]any{"name": "   "}),
			want: map[string][]string{"name": {msgRequired}}},
		{name: "client not an id", body: projectBody("acme", nil),
			want: map[string][]string{"client": {msgClientUnknown}}},
		{name: "client unknown", body: projectBody(unknownID, nil),
			want: map[string][]string{"client": {msgClientUnknown}}},
		{name: "client of another firm", body: projectBody(otherClient.ID, nil),
			want: map[string][]string{"client": {msgClientUnknown}}},
		{name: "end before start", body: projectBody(c.ID, map[string]any{"start_date": "2026-05-01", "end_date": "2026-04-30"}),
			want: map[string][]string{"end_date": {msgEndDate}}},
		{name: "end on start", body: projectBody(c.ID, map[string]any{"start_date": "2026-05-01", "end_date": "2026-05-01"}),
			want: map[string][]string{"end_date": {msgEndDate}}},
		{name: "bad dates", body: projectBody(c.ID, map[string]any{"start_date": "2026-02-30", "end_date": "31/12/2026"}),
			any: []string{"start_date", "end_date"}},
		{name: "contract of another client", body: projectBody(c.ID, map[string]any{"contract": k2.ID}),
			want: map[string][]string{"contract": {msgContractClient}}},
		{name: "contract of another firm", body: projectBody(c.ID, map[string]any{"contract": otherContract.ID}),
			want: map[string][]string{"contract": {msgContractUnknown}}},
		{name: "contract unknown", body: projectBody(c.ID, map[string]any{"contract": unknownID}),
			want: map[string][]string{"contract": {msgContractUnknown}}},
		{name: "contract not an id", body: projectBody(c.ID, map[string]any{"contract": "CTR-2026-001"}),
			want: map[string][]string{"contract": {msgContractUnknown}}},
		{name: "completion before start", body: projectBody(c.ID, map[string]any{"actual_completion_date": "2025-12-31"}),
			want: map[string][]string{"actual_completion_date": {msgCompletion}}},
		{name: "zero budget", body: projectBody(c.ID, map[string]any{"budget": "0"}),
			want: map[string][]string{"budget": {msgBudget}}},
		{name: "negative budget number", body: projectBody(c.ID, map[string]any{"budget": -100}),
			want: map[string][]string{"budget": {msgBudget}}},
		{name: "zero rate", body: projectBody(c.ID, map[string]any{"hourly_rate": "0.00"}),
			want: map[string][]string{"hourly_rate": {msgHourlyRate}}},
		{name: "negative rate", body: projectBody(c.ID, map[string]any{"hourly_rate": "-0.01"}),
			want: map[string][]string{"hourly_rate": {msgHourlyRate}}},
		{name: "budget with three decimals", body: projectBody(c.ID, map[string]any{"budget": "100.005"}),
			want: map[string][]string{"budget": {msgTwoDecimals}}},
		{name: "rate with decimals in JPY", body: projectBody(c.ID, map[string]any{"currency": "JPY", "hourly_rate": "150.5"}),
			want: map[string][]string{"hourly_rate": {msgNoDecimals}}},
		{name: "budget not a number", body: projectBody(c.ID, map[string]any{"budget": "lots"}),
			want: map[string][]string{"budget": {msgInvalidNumber}}},
		{name: "budget boolean", body: projectBody(c.ID, map[string]any{"budget": true}), any: []string{"budget"}},
		{name: "unknown currency", body: projectBody(c.ID, map[string]any{"currency": "ABC"}), any: []string{"currency"}},
		{name: "status not a choice", body: projectBody(c.ID, map[string]any{"status": "done"}),
			want: map[string][]string{"status": {`"done" is not a valid choice.`}}},
		{name: "billing type not a choice", body: projectBody(c.ID, map[string]any{"billing_type": "hourly"}),
			want: map[string][]string{"billing_type": {`"hourly" is not a valid choice.`}}},
		{name: "manager of another firm", body: projectBody(c.ID, map[string]any{"project_manager": other.Owner.ID}),
			want: map[string][]string{"project_manager": {msgUserUnknown}}},
		{name: "manager deactivated", body: projectBody(c.ID, map[string]any{"project_manager": gone.ID}),
			want: map[string][]string{"project_manager": {msgUserUnknown}}},
		{name: "manager not an id", body: projectBody(c.ID, map[string]any{"project_manager": "boss"}),
			want: map[string][]string{"project_manager": {msgUserUnknown}}},
		{name: "code too long", body: projectBody(c.ID, map[string]any{"project_code": strings.Repeat("X", 51)}),
			any: []string{"project_code"}},
		{name: "code taken, other case", body: projectBody(c.ID, map[string]any{"project_code": "TAKEN-1"}),
			want: map[string][]string{"project_code": {msgCodeTaken}}},
		{name: "unknown field", body: projectBody(c.ID, map[string]any{"priority": "high"}),
			want: map[string][]string{"priority": {msgUnknownField}}},
		{name: "several at once", body: projectBody(c.ID, map[string]any{"budget": "0", "hourly_rate": "0",
			"start_date": "2026-05-01", "end_date": "2026-01-01"}),
			want: map[string][]string{"budget": {msgBudget}, "hourly_rate": {msgHourlyRate}, "end_date": {msgEndDate}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, projectsPath, f.Owner.Token, tc.body)
			if tc.want != nil {
				testkit.WantOnly(t, r, tc.want)
				return
			}
			env := testkit.WantValidation(t, r, nil)
			testkit.WantFields(t, r, env, tc.any...)
			testkit.WantOnlyFields(t, r, env, tc.any...)
		})
	}
	t.Run("nothing was created", func(t *testing.T) {
		t.Parallel()
		if p, _ := s.listProjects(t, f.Owner.Token, ""); p.Count != 1 {
			t.Errorf("count = %d, want the one valid project", p.Count)
		}
	})
	t.Run("malformed JSON", func(t *testing.T) {
		t.Parallel()
		testkit.WantError(t, s.Do(t, http.MethodPost, projectsPath, f.Owner.Token, `{"client": `), http.StatusBadRequest,
			typeParse, codeBadRequest)
	})
}

func TestProjectCode(t *testing.T) {
	t.Parallel()

	t.Run("assigned in sequence, past codes typed by hand", func(t *testing.T) {
		t.Parallel()
		s := startServerAt(t, time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC))
		f := s.RegisterFirm(t)
		c := s.createClient(t, f.Owner.Token, nil)
		var got []string
		got = append(got, s.createProject(t, f.Owner.Token, c.ID, nil).ProjectCode)
		got = append(got, s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "prj-2026-002"}).ProjectCode)
		got = append(got, s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": ""}).ProjectCode)
		got = append(got, s.createProject(t, f.Owner.Token, c.ID, nil).ProjectCode)
		want := []string{"PRJ-2026-001", "prj-2026-002", "PRJ-2026-003", "PRJ-2026-004"}
		if !slices.Equal(got, want) {
			t.Errorf("codes = %q, want %q", got, want)
		}
		// Each firm counts on its own.
		g := s.RegisterFirm(t)
		if code := s.createProject(t, g.Owner.Token, s.createClient(t, g.Owner.Token, nil).ID, nil).ProjectCode; code != "PRJ-2026-001" {
			t.Errorf("second firm's first code = %s", code)
		}
	})

	t.Run("year of the firm's today", func(t *testing.T) {
		t.Parallel()
		// 03:00 UTC on New Year's Day is still 31 December in New York.
		s := startServerAt(t, time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC))
		f := s.RegisterFirm(t)
		c := s.createClient(t, f.Owner.Token, nil)
		if code := s.createProject(t, f.Owner.Token, c.ID, nil).ProjectCode; code != "PRJ-2026-001" {
			t.Errorf("UTC firm: code %s", code)
		}
		f.Settings(t, map[string]any{"timezone": "America/New_York"})
		if code := s.createProject(t, f.Owner.Token, c.ID, nil).ProjectCode; code != "PRJ-2025-001" {
			t.Errorf("New York firm: code %s, want PRJ-2025-001", code)
		}
	})

	t.Run("unique per firm, ignoring case", func(t *testing.T) {
		t.Parallel()
		s := startServer(t)
		f := s.RegisterFirm(t)
		g := s.RegisterFirm(t)
		c := s.createClient(t, f.Owner.Token, nil)
		a := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "Ärzte-01"})
		b := s.createProject(t, f.Owner.Token, c.ID, nil)
		testkit.WantOnly(t, s.Do(t, http.MethodPost, projectsPath, f.Owner.Token, projectBody(c.ID, map[string]any{"project_code": "ÄRZTE-01"})),
			map[string][]string{"project_code": {msgCodeTaken}})
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(b.ID), f.Owner.Token, map[string]any{"project_code": "ärzte-01"}),
			map[string][]string{"project_code": {msgCodeTaken}})
		// Renaming a project to its own code in another case is no clash.
		if p := s.patchProject(t, f.Owner.Token, a.ID, map[string]any{"project_code": "ÄRZTE-01"}); p.ProjectCode != "ÄRZTE-01" {
			t.Errorf("code = %s", p.ProjectCode)
		}
		// PUT of the fetched object keeps its code.
		body := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(a.ID), f.Owner.Token, nil))
		testkit.WantStatus(t, s.Do(t, http.MethodPut, projectPath(a.ID), f.Owner.Token, body), http.StatusOK)
		// Another firm may use it.
		s.createProject(t, g.Owner.Token, s.createClient(t, g.Owner.Token, nil).ID, map[string]any{"project_code": "ärzte-01"})
		// A code cannot be removed.
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(a.ID), f.Owner.Token, map[string]any{"project_code": ""}),
			map[string][]string{"project_code": {msgRequired}})
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(a.ID), f.Owner.Token, map[string]any{"project_code": "   "}),
			map[string][]string{"project_code": {msgRequired}})
	})
}

func TestProjectContractRule(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c1 := s.createClient(t, f.Owner.Token, nil)
	c2 := s.createClient(t, f.Owner.Token, nil)
	k1 := s.createContract(t, f.Owner.Token, c1.ID)
	k2 := s.createContract(t, f.Owner.Token, c2.ID)
	p := s.createProject(t, f.Owner.Token, c1.ID, map[string]any{"contract": k1.ID})
	if deref(p.Contract) != k1.ID || deref(p.ContractNumber) != k1.ContractNumber {
		t.Fatalf("contract/contract_number = %s/%s", deref(p.Contract), deref(p.ContractNumber))
	}
	contractErr := map[string][]string{"contract": {msgContractClient}}
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"client": c2.ID}), contractErr)
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"contract": k2.ID}), contractErr)
	put := projectBody(c2.ID, nil)
	testkit.WantOnly(t, s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, put), contractErr)
	// Moving to the other client with its contract, or without any, is fine.
	got := s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"client": c2.ID, "contract": k2.ID})
	if got.Client != c2.ID || deref(got.Contract) != k2.ID || deref(got.ContractNumber) != k2.ContractNumber {
		t.Errorf("moved: client %s contract %s (%s)", got.Client, deref(got.Contract), deref(got.ContractNumber))
	}
	got = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"client": c1.ID, "contract": nil})
	if got.Contract != nil || got.ContractNumber != nil || deref(got.ClientName) != c1.CompanyName {
		t.Errorf("contract cleared: %s %s %s", deref(got.Contract), deref(got.ContractNumber), deref(got.ClientName))
	}
	if m := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil)); m["contract"] != nil || m["contract_number"] != nil {
		t.Errorf("contract and contract_number must be present as null")
	}
}

func TestProjectDateRulesOnUpdate(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"start_date": "2026-04-01", "end_date": "2026-06-30"})
	tests := []struct {
		body map[string]any
		want map[string][]string
	}{
		{map[string]any{"end_date": "2026-04-01"}, map[string][]string{"end_date": {msgEndDate}}},
		{map[string]any{"start_date": "2026-07-01"}, map[string][]string{"end_date": {msgEndDate}}},
		{map[string]any{"actual_completion_date": "2026-03-31"}, map[string][]string{"actual_completion_date": {msgCompletion}}},
		{map[string]any{"budget": "0"}, map[string][]string{"budget": {msgBudget}}},
		{map[string]any{"hourly_rate": -1}, map[string][]string{"hourly_rate": {msgHourlyRate}}},
		{map[string]any{"budget": "1.001"}, map[string][]string{"budget": {msgTwoDecimals}}},
		{map[string]any{"name": nil}, map[string][]string{"name": {msgFieldNull}}},
		{map[string]any{"end_date": nil, "client": nil}, map[string][]string{"end_date": {msgFieldNull}, "client": {msgFieldNull}}},
		{map[string]any{"name": ""}, map[string][]string{"name": {msgRequired}}},
		{map[string]any{"client": "x"}, map[string][]string{"client": {msgClientUnknown}}},
	}
	for _, tc := range tests {
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, tc.body), tc.want)
	}
	sameProject(t, "after refused changes", s.getProject(t, f.Owner.Token, p.ID), p, false)
	// Both dates moving together, and a completion on the start date, pass.
	got := s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"start_date": "2026-08-01", "end_date": "2026-09-01",
		"actual_completion_date": "2026-08-01"})
	if got.StartDate != "2026-08-01" || got.EndDate != "2026-09-01" || deref(got.ActualCompletionDate) != "2026-08-01" {
		t.Errorf("dates = %s %s %s", got.StartDate, got.EndDate, deref(got.ActualCompletionDate))
	}
}

func TestProjectCompletionStamp(t *testing.T) {
	t.Parallel()
	// 02:00 UTC on 1 March is still 28 February in New York: the firm's today.
	s := startServerAt(t, time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	f.Settings(t, map[string]any{"timezone": "America/New_York"})
	c := s.createClient(t, f.Owner.Token, nil)

	t.Run("completing stamps today, reopening clears", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"status": "in_progress"})
		if p.ActualCompletionDate != nil {
			t.Fatalf("in progress with a completion date %s", *p.ActualCompletionDate)
		}
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"status": "completed"})
		if deref(p.ActualCompletionDate) != "2026-02-28" {
			t.Errorf("completed: actual_completion_date %s, want the firm's today 2026-02-28", deref(p.ActualCompletionDate))
		}
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"notes": "still done"})
		if deref(p.ActualCompletionDate) != "2026-02-28" {
			t.Errorf("other change: actual_completion_date %s", deref(p.ActualCompletionDate))
		}
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"status": "on_hold"})
		if p.ActualCompletionDate != nil {
			t.Errorf("reopened: actual_completion_date %s, want null", *p.ActualCompletionDate)
		}
		if m := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil)); m["actual_completion_date"] != nil {
			t.Errorf("actual_completion_date must be present as null")
		}
	})
	t.Run("a given completion date is kept", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"status": "completed", "actual_completion_date": "2026-02-01"})
		if deref(p.ActualCompletionDate) != "2026-02-01" {
			t.Errorf("created completed: %s", deref(p.ActualCompletionDate))
		}
		q := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"status": "completed"})
		if deref(q.ActualCompletionDate) != "2026-02-28" {
			t.Errorf("created completed without a date: %s", deref(q.ActualCompletionDate))
		}
		// Clearing the date of a completed project stamps today again.
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"actual_completion_date": nil})
		if deref(p.ActualCompletionDate) != "2026-02-28" {
			t.Errorf("cleared while completed: %s", deref(p.ActualCompletionDate))
		}
		// Leaving completed clears it even when a date is sent along.
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"status": "cancelled", "actual_completion_date": "2026-02-02"})
		if p.ActualCompletionDate != nil {
			t.Errorf("left completed with a date: %s", *p.ActualCompletionDate)
		}
	})
	t.Run("the stamp follows the clock", func(t *testing.T) {
		t.Parallel()
		s := startServerAt(t, time.Date(2026, 7, 4, 23, 30, 0, 0, time.UTC))
		f := s.RegisterFirm(t)
		f.Settings(t, map[string]any{"timezone": "Asia/Tokyo"}) // already 5 July there
		p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
		s.Clock.Advance(48 * time.Hour)
		f.Owner.Token = s.Login(t, f.Owner.Username, testPassword) // the old token expired meanwhile
		p = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"status": "completed"})
		if deref(p.ActualCompletionDate) != "2026-07-07" {
			t.Errorf("completed: %s, want 2026-07-07", deref(p.ActualCompletionDate))
		}
	})
	t.Run("completing before the start is refused", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"start_date": "2026-03-01", "end_date": "2026-04-01"})
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"status": "completed"}),
			map[string][]string{"actual_completion_date": {msgCompletion}})
		sameProject(t, "after the refusal", s.getProject(t, f.Owner.Token, p.ID), p, false)
	})
}

func TestProjectPutAndPatch(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	mgr := f.AddUser(t, roleManager)
	full := map[string]any{"project_manager": mgr.ID, "description": "d", "budget": "1000.00", "hourly_rate": "100.00",
		"notes": "n", "billing_type": "retainer"}

	t.Run("fetched object sent back unchanged", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, full)
		body := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil))
		r := s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var got project
		testkit.Decode(t, r, &got)
		sameProject(t, "PUT of the fetched object", got, p, true)
	})
	t.Run("read-only fields changed in the body are ignored", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, full)
		body := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil))
		for k, v := range map[string]any{"id": "01900000-0000-7000-8000-000000000000", "client_name": "Other",
			"contract_number": "CTR-9", "project_manager_name": "Boss", "created_by": mgr.ID,
			"created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z", "total_hours_logged": "5.00",
			"billable_hours": "5.00", "total_billed_amount": "500.00", "unbilled_amount": "500.00", "budget_used_percent": "50.00"} {
			body[k] = v
		}
		testkit.WantStatus(t, s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, body), http.StatusOK)
		sameProject(t, "after PUT with read-only fields", s.getProject(t, f.Owner.Token, p.ID), p, true)
	})
	t.Run("PUT requires the required fields and clears what is null", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, full)
		testkit.WantOnly(t, s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, map[string]any{"name": "x"}),
			map[string][]string{"client": {msgRequired}, "start_date": {msgRequired}, "end_date": {msgRequired}})
		body := projectBody(c.ID, map[string]any{"name": "Renamed"})
		body["project_manager"], body["budget"], body["hourly_rate"] = nil, nil, nil // JSON null clears
		r := s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var got project
		testkit.Decode(t, r, &got)
		if got.Name != "Renamed" || got.ProjectManager != nil || got.ProjectManagerName != nil || got.Budget != nil ||
			got.HourlyRate != nil || got.BudgetUsedPercent != nil || got.Description != "d" || got.ProjectCode != p.ProjectCode {
			t.Errorf("after PUT: %+v", got)
		}
	})
	t.Run("PATCH changes only what is sent", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, full)
		got := s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"hourly_rate": 120.5, "status": "on_hold"})
		want := p
		want.HourlyRate, want.Status = ptr("120.50"), "on_hold"
		sameProject(t, "after PATCH", got, want, true)
		got = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"project_manager": nil})
		if got.ProjectManager != nil || got.ProjectManagerName != nil {
			t.Errorf("manager not cleared: %s %s", deref(got.ProjectManager), deref(got.ProjectManagerName))
		}
		got = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{})
		want.ProjectManager, want.ProjectManagerName = nil, nil
		sameProject(t, "after an empty PATCH", got, want, true)
	})
	t.Run("a deactivated manager stays until changed", func(t *testing.T) {
		t.Parallel()
		boss := f.AddUser(t, roleManager)
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_manager": boss.ID})
		f.Deactivate(t, boss)
		got := s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"notes": "boss left"})
		if deref(got.ProjectManager) != boss.ID || deref(got.ProjectManagerName) != boss.Name {
			t.Errorf("manager = %s (%s)", deref(got.ProjectManager), deref(got.ProjectManagerName))
		}
		body := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil))
		testkit.WantStatus(t, s.Do(t, http.MethodPut, projectPath(p.ID), f.Owner.Token, body), http.StatusOK)
		other := f.AddUser(t, roleManager)
		testkit.WantStatus(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"project_manager": other.ID}), http.StatusOK)
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"project_manager": boss.ID}),
			map[string][]string{"project_manager": {msgUserUnknown}})
	})
}

func TestProjectCurrency(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)

	p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"budget": "1600.00", "hourly_rate": "150.00"})
	got := s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"currency": "EUR"})
	if got.Currency != "EUR" || deref(got.Budget) != "1600.00" || deref(got.HourlyRate) != "150.00" {
		t.Errorf("EUR: %s %s %s", got.Currency, deref(got.Budget), deref(got.HourlyRate))
	}
	got = s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"currency": "JPY"})
	if got.Currency != "JPY" || deref(got.Budget) != "1600" || deref(got.HourlyRate) != "150" || got.TotalBilledAmount != "0" {
		t.Errorf("JPY: %s %s %s %s", got.Currency, deref(got.Budget), deref(got.HourlyRate), got.TotalBilledAmount)
	}
	// JPY has no minor unit: amounts with decimals are refused, sent or stored.
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"budget": "1600.5"}),
		map[string][]string{"budget": {msgNoDecimals}})
	q := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"hourly_rate": "150.50"})
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(q.ID), f.Owner.Token, map[string]any{"currency": "JPY"}),
		map[string][]string{"hourly_rate": {msgNoDecimals}})
	got = s.patchProject(t, f.Owner.Token, q.ID, map[string]any{"currency": "JPY", "hourly_rate": "151"})
	if deref(got.HourlyRate) != "151" {
		t.Errorf("new rate with the currency: %s", deref(got.HourlyRate))
	}

	t.Run("fixed once time is logged", func(t *testing.T) {
		p := s.createProject(t, f.Owner.Token, c.ID, nil)
		s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, User: f.Owner.ID, Hours: "1.00", Rate: "100.00", Billable: true})
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, projectPath(p.ID), f.Owner.Token, map[string]any{"currency": "EUR"}),
			map[string][]string{"currency": {msgCurrencyLocked}})
		// Sending the same currency is no change.
		s.patchProject(t, f.Owner.Token, p.ID, map[string]any{"currency": "USD", "notes": "same"})
	})
}

func TestProjectTotals(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	cons := f.AddUser(t, roleConsultant)

	p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"budget": "1000.00", "project_code": "T-1"})
	seed := func(pid, hours, rate string, billable, invoiced bool) {
		s.seedTimeEntry(t, f.ID, seedEntry{Project: pid, User: cons.ID, Hours: hours, Rate: rate, Billable: billable, Invoiced: invoiced})
	}
	seed(p.ID, "1.50", "100.00", true, false) // 150.00, unbilled
	seed(p.ID, "2.00", "100.00", true, true)  // 200.00, invoiced
	seed(p.ID, "0.25", "100.00", false, false)
	seed(p.ID, "0.01", "33.33", true, false) // 0.3333 → 0.33
	seed(p.ID, "0.50", "0.01", true, false)  // 0.005 → 0.01 (half up)

	none := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "T-2"})
	noBudget := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "T-3"})
	seed(noBudget.ID, "24.00", "99.99", true, false) // 2399.76
	full := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "T-4", "budget": "3.00"})
	seed(full.ID, "0.01", "200.00", true, false) // 2.00 of 3.00 → 66.67 %
	nonBillable := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "T-5", "budget": "50"})
	seed(nonBillable.ID, "8.00", "100.00", false, false)

	type totals struct{ hours, billable, billed, unbilled, percent string }
	want := map[string]totals{
		p.ID:           {"4.26", "4.01", "350.34", "150.34", "35.03"},
		none.ID:        {"0.00", "0.00", "0.00", "0.00", ""},
		noBudget.ID:    {"24.00", "24.00", "2399.76", "2399.76", ""},
		full.ID:        {"0.01", "0.01", "2.00", "2.00", "66.67"},
		nonBillable.ID: {"8.00", "0.00", "0.00", "0.00", "0.00"},
	}
	check := func(t *testing.T, what string, got project) {
		t.Helper()
		w := want[got.ID]
		g := totals{got.TotalHoursLogged, got.BillableHours, got.TotalBilledAmount, got.UnbilledAmount, ""}
		if got.BudgetUsedPercent != nil {
			g.percent = *got.BudgetUsedPercent
		}
		if g != w {
			t.Errorf("%s %s: totals %+v, want %+v", what, got.ProjectCode, g, w)
		}
	}
	_, list := s.listProjects(t, cons.Token, "ordering=project_code")
	if codes := projectCodes(list); !slices.Equal(codes, []string{"T-1", "T-2", "T-3", "T-4", "T-5"}) {
		t.Fatalf("list = %q", codes)
	}
	for _, got := range list {
		check(t, "list", got)
		check(t, "detail", s.getProject(t, cons.Token, got.ID))
	}
	// Totals are JSON strings, and percent null without a budget.
	m := testkit.Object(t, s.Do(t, http.MethodGet, projectPath(noBudget.ID), f.Owner.Token, nil))
	for _, k := range []string{"total_hours_logged", "billable_hours", "total_billed_amount", "unbilled_amount"} {
		if _, ok := m[k].(string); !ok {
			t.Errorf("%s = %#v, want a string", k, m[k])
		}
	}
	if v, ok := m["budget_used_percent"]; !ok || v != nil {
		t.Errorf("budget_used_percent = %#v, want present and null", v)
	}
	// Another firm's entries never count.
	g := s.RegisterFirm(t)
	gp := s.createProject(t, g.Owner.Token, s.createClient(t, g.Owner.Token, nil).ID, nil)
	s.seedTimeEntry(t, g.ID, seedEntry{Project: gp.ID, User: g.Owner.ID, Hours: "5.00", Rate: "10.00", Billable: true})
	check(t, "after another firm's entries", s.getProject(t, f.Owner.Token, p.ID))
}

// The computed fields of the list cost a constant number of statements, whatever the page size:
// the totals are joined from project_totals, not read by a query per project.
func TestProjectListQueryCount(t *testing.T) {
	t.Parallel()
	s := startCountingServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	mgr := f.AddUser(t, roleManager)
	const n = 8
	for i := range n {
		c := s.createClient(t, f.Owner.Token, nil)
		k := s.createContract(t, f.Owner.Token, c.ID)
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"contract": k.ID, "project_manager": mgr.ID,
			"budget": "1000.00"})
		for j := range i + 1 {
			s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, User: cons.ID, Hours: "1.25", Rate: "80.00",
				Billable: j%2 == 0, Invoiced: j%3 == 0})
		}
	}
	measure := func(query string) (int64, page) {
		s.Queries.Reset()
		p, _ := s.listProjects(t, f.Owner.Token, query)
		return s.Queries.Count(), p
	}
	one, p1 := measure("page_size=1")
	all, p200 := measure("page_size=200")
	if len(p1.Results) != 1 || len(p200.Results) != n || p1.Count != n {
		t.Fatalf("pages: %d and %d results of %d", len(p1.Results), len(p200.Results), p1.Count)
	}
	t.Logf("statements per project list request: page_size=1 → %d, page_size=200 → %d (%s)", one, all, s.DB().Dialect)
	if one != all {
		t.Errorf("statements: %d for page_size=1, %d for page_size=200; want the same", one, all)
	}
	if all > 6 {
		t.Errorf("statements per list request = %d, want a handful (authentication, count, page)", all)
	}
	// The filtered, searched and ordered list costs the same.
	if q, _ := measure("page_size=200&search=client&ordering=-project_code&project_manager=" + mgr.ID); q != all {
		t.Errorf("statements with filters = %d, want %d", q, all)
	}
}

func TestProjectList(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	acme := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme Widgets"})
	globex := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Globex"})
	mgr := f.AddUser(t, roleManager)
	// Created in this order: the default ordering is newest first.
	s.createProject(t, f.Owner.Token, acme.ID, map[string]any{"project_code": "B-100", "name": "Website relaunch",
		"start_date": "2026-03-01", "status": "in_progress", "project_manager": mgr.ID})
	s.createProject(t, f.Owner.Token, acme.ID, map[string]any{"project_code": "a-200", "name": "Tax review 100%",
		"start_date": "2026-01-15", "billing_type": "fixed_price"})
	s.createProject(t, f.Owner.Token, globex.ID, map[string]any{"project_code": "C-300", "name": "Audit",
		"start_date": "2026-02-01", "status": "completed", "billing_type": "retainer", "project_manager": mgr.ID})

	t.Run("default order and envelope", func(t *testing.T) {
		t.Parallel()
		p, ps := s.listProjects(t, f.Owner.Token, "")
		if got := projectCodes(ps); p.Count != 3 || !slices.Equal(got, []string{"C-300", "a-200", "B-100"}) ||
			p.Next != nil || p.Previous != nil {
			t.Errorf("default list: %d %q next=%v prev=%v", p.Count, got, p.Next, p.Previous)
		}
	})
	t.Run("paths", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/api/projects/projects", "/api/v1/projects/projects/", "/api/v1/projects/projects"} {
			if p, _ := testkit.ListOf[project](t, s.API, f.Owner.Token, path, ""); p.Count != 3 {
				t.Errorf("%s: count %d", path, p.Count)
			}
		}
	})
	t.Run("pagination", func(t *testing.T) {
		t.Parallel()
		p, ps := s.listProjects(t, f.Owner.Token, "page_size=2&ordering=project_code")
		if got := projectCodes(ps); !slices.Equal(got, []string{"a-200", "B-100"}) || p.Next == nil || p.Previous != nil {
			t.Errorf("page 1: %q next=%v", got, p.Next)
		}
		u, _ := url.Parse(*p.Next)
		p, ps = s.listProjects(t, f.Owner.Token, u.RawQuery)
		if got := projectCodes(ps); !slices.Equal(got, []string{"C-300"}) || p.Next != nil || p.Previous == nil {
			t.Errorf("page 2: %q", got)
		}
		env := testkit.WantError(t, s.Do(t, http.MethodGet, projectsPath+"?page=3&page_size=2", f.Owner.Token, nil),
			http.StatusNotFound, typeNotFound, codeNotFound)
		if env.Error.Message != msgInvalidPage {
			t.Errorf("page past the end: %q", env.Error.Message)
		}
	})
	tests := []struct {
		query string
		want  []string
	}{
		{"client=" + acme.ID, []string{"a-200", "B-100"}},
		{"client=" + globex.ID, []string{"C-300"}},
		{"status=in_progress", []string{"B-100"}},
		{"status=planning", []string{"a-200"}},
		{"status=cancelled", []string{}},
		{"billing_type=fixed_price", []string{"a-200"}},
		{"billing_type=time_and_materials", []string{"B-100"}},
		{"project_manager=" + mgr.ID, []string{"B-100", "C-300"}},
		{"project_manager=" + mgr.ID + "&status=completed", []string{"C-300"}},
		{"search=b-1", []string{"B-100"}},
		{"search=AUDIT", []string{"C-300"}},
		{"search=acme", []string{"a-200", "B-100"}},
		{"search=globex+audit", []string{"C-300"}},
		{"search=acme+audit", []string{}},
		{"search=100%25", []string{"a-200"}},
		{"search=_", []string{}},
		{"ordering=-project_code", []string{"C-300", "B-100", "a-200"}},
		{"ordering=start_date", []string{"a-200", "C-300", "B-100"}},
		{"ordering=-start_date", []string{"B-100", "C-300", "a-200"}},
		{"ordering=created_at", []string{"B-100", "a-200", "C-300"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			q := tc.query
			if !strings.Contains(q, "ordering=") {
				q += "&ordering=project_code"
			}
			p, ps := s.listProjects(t, f.Owner.Token, q)
			if got := projectCodes(ps); p.Count != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
				t.Errorf("%s: %q (count %d), want %q", tc.query, got, p.Count, tc.want)
			}
		})
	}
	for _, tc := range []struct{ query, field string }{
		{"status=done", "status"},
		{"billing_type=hourly", "billing_type"},
		{"client=acme", "client"},
		{"project_manager=1", "project_manager"},
		{"ordering=name", "ordering"},
		{"page_size=201", "page_size"},
		{"page_size=0", "page_size"},
		{"updated_since=yesterday", "updated_since"},
	} {
		t.Run("bad "+tc.query, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodGet, projectsPath+"?"+tc.query, f.Owner.Token, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
			testkit.WantOnlyFields(t, r, env, tc.field)
		})
	}
}

func TestProjectPermissions(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	c := s.createClient(t, f.Owner.Token, nil)

	type expect struct{ list, get, create, patch, put, del int }
	byRole := map[string]expect{
		roleOwner:      {200, 200, 201, 200, 200, 204},
		roleAdmin:      {200, 200, 201, 200, 200, 204},
		roleManager:    {200, 200, 201, 200, 200, 204},
		roleConsultant: {200, 200, 403, 403, 403, 403},
		roleAccountant: {200, 200, 403, 403, 403, 403},
	}
	for _, role := range allRoles {
		want := byRole[role]
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			u := users[role]
			p := s.createProject(t, f.Owner.Token, c.ID, nil)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodGet, projectsPath, u.Token, nil), want.list)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodGet, projectPath(p.ID), u.Token, nil), want.get)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPost, projectsPath, u.Token, projectBody(c.ID, nil)), want.create)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPatch, projectPath(p.ID), u.Token, map[string]any{"notes": role}), want.patch)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPut, projectPath(p.ID), u.Token, projectBody(c.ID, nil)), want.put)
			if want.patch == http.StatusForbidden {
				sameProject(t, "after refused writes", s.getProject(t, f.Owner.Token, p.ID), p, false)
			}
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodDelete, projectPath(p.ID), u.Token, nil), want.del)
			if want.del == http.StatusForbidden {
				s.getProject(t, f.Owner.Token, p.ID)
			} else {
				testkit.WantNotFound(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil))
			}
		})
	}
	t.Run("a consultant managing the project still only reads it", func(t *testing.T) {
		t.Parallel()
		cons := users[roleConsultant]
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_manager": cons.ID})
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, projectPath(p.ID), cons.Token, map[string]any{"notes": "mine"}))
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, projectPath(p.ID), cons.Token, nil))
	})
	t.Run("no token", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, nil)
		for _, r := range []*response{
			s.Do(t, http.MethodGet, projectsPath, "", nil),
			s.Do(t, http.MethodGet, projectPath(p.ID), "", nil),
			s.Do(t, http.MethodPost, projectsPath, "", projectBody(c.ID, nil)),
			s.Do(t, http.MethodPatch, projectPath(p.ID), "", map[string]any{"notes": "x"}),
			s.Do(t, http.MethodDelete, projectPath(p.ID), "", nil),
		} {
			testkit.WantError(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth)
		}
	})
}

// SPEC §1–§2: a refusing role answers 403 and another firm's project 404, whatever the body holds.
func TestProjectAuthorizationBeforeValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	acc := f.AddUser(t, roleAccountant)
	other := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
	bad := map[string]any{"budget": "0", "end_date": "soon", "colour": "red"}

	testkit.WantForbidden(t, s.Do(t, http.MethodPost, projectsPath, cons.Token, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, projectsPath, acc.Token, map[string]any{}))
	testkit.WantForbidden(t, s.Do(t, http.MethodPatch, projectPath(p.ID), cons.Token, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPut, projectPath(p.ID), acc.Token, bad))
	testkit.WantNotFound(t, s.Do(t, http.MethodPatch, projectPath(p.ID), other.Owner.Token, bad))
	testkit.WantNotFound(t, s.Do(t, http.MethodPut, projectPath(p.ID), other.Owner.Token, bad))
	testkit.WantNotFound(t, s.Do(t, http.MethodPatch, projectPath("01900000-0000-7000-8000-000000000000"), f.Owner.Token, bad))
}

func TestProjectTenancy(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := s.RegisterFirm(t)
	b := s.RegisterFirm(t)
	bAdmin := b.AddUser(t, roleAdmin)
	bCons := b.AddUser(t, roleConsultant)
	p := s.createProject(t, a.Owner.Token, s.createClient(t, a.Owner.Token, nil).ID, map[string]any{"name": "Secret"})
	bClient := s.createClient(t, b.Owner.Token, nil)

	for _, u := range []user{b.Owner, bAdmin, bCons} {
		for _, tc := range []struct {
			method string
			body   any
		}{
			{http.MethodGet, nil},
			{http.MethodPatch, map[string]any{"notes": "pwned"}},
			{http.MethodPut, projectBody(bClient.ID, nil)},
			{http.MethodDelete, nil},
		} {
			testkit.WantNotFound(t, s.Do(t, tc.method, projectPath(p.ID), u.Token, tc.body))
			testkit.WantNotFound(t, s.Do(t, tc.method, "/api/v1/projects/projects/"+p.ID, u.Token, tc.body))
		}
	}
	sameProject(t, "firm A's project after firm B's attempts", s.getProject(t, a.Owner.Token, p.ID), p, false)
	if pg, _ := s.listProjects(t, b.Owner.Token, "search=secret"); pg.Count != 0 {
		t.Errorf("firm B finds firm A's project")
	}
	if pg, _ := s.listProjects(t, b.Owner.Token, "client="+p.Client); pg.Count != 0 {
		t.Errorf("firm B lists firm A's client's projects")
	}
	for _, id := range []string{"01900000-0000-7000-8000-000000000000", "not-a-uuid", "123"} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, projectPath(id), a.Owner.Token, nil))
		testkit.WantNotFound(t, s.Do(t, http.MethodPatch, projectPath(id), a.Owner.Token, map[string]any{"notes": "x"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, projectPath(id), a.Owner.Token, nil))
	}
}

func TestProjectDelete(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)

	t.Run("empty project", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "GONE-1"})
		r := s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil)
		testkit.WantStatus(t, r, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Errorf("204 with a body: %s", r.Body)
		}
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, projectPath(p.ID), f.Owner.Token, nil))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil))
		s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_code": "gone-1"}) // the code is free again
	})
	t.Run("with a task", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, nil)
		tk := s.createTask(t, f.Owner.Token, p.ID, nil)
		testkit.WantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil), msgProjectInUse)
		s.getProject(t, f.Owner.Token, p.ID)
		testkit.WantStatus(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), f.Owner.Token, nil), http.StatusNoContent)
		testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil), http.StatusNoContent)
	})
	t.Run("with a time entry", func(t *testing.T) {
		t.Parallel()
		p := s.createProject(t, f.Owner.Token, c.ID, nil)
		s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, User: f.Owner.ID, Hours: "1.00", Rate: "10.00"})
		testkit.WantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil), msgProjectInUse)
		s.getProject(t, f.Owner.Token, p.ID)
	})
	t.Run("manager deletes", func(t *testing.T) {
		t.Parallel()
		mgr := f.AddUser(t, roleManager)
		p := s.createProject(t, f.Owner.Token, c.ID, nil)
		testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/v1/projects/projects/"+p.ID, mgr.Token, nil), http.StatusNoContent)
	})
}

func TestProjectMethodsAndPaths(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	for _, path := range []string{"/api/projects/projects/", "/api/projects/projects", "/api/v1/projects/projects/", "/api/v1/projects/projects"} {
		r := s.Do(t, http.MethodPost, path, f.Owner.Token, projectBody(c.ID, nil))
		testkit.WantStatus(t, r, http.StatusCreated)
		var p project
		testkit.Decode(t, r, &p)
		for _, pp := range []string{projectPath(p.ID), "/api/projects/projects/" + p.ID, "/api/v1/projects/projects/" + p.ID} {
			testkit.WantStatus(t, s.Do(t, http.MethodGet, pp, f.Owner.Token, nil), http.StatusOK)
		}
	}
	r := s.Do(t, http.MethodDelete, projectsPath, f.Owner.Token, nil)
	testkit.WantError(t, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "METHOD_NOT_ALLOWED")
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 Allow = %q", allow)
	}
}
