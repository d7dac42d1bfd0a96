package projects

import (
	"maps"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// SPEC §5's exact project messages, spelled out so that a change of wording fails here.
const (
	specEndDate    = "End date must be after start date"
	specContract   = "Contract must belong to the same client as the project"
	specCompletion = "Completion date cannot be before start date"
	specBudget     = "Budget must be greater than 0"
	specRate       = "Hourly rate must be greater than 0"
	specRequired   = "This field is required."
)

// refOf returns a pointer to v (for the pointer fields of the bodies).
func refOf[T any](v T) *T { return &v }

// sent is a text field of a PATCH body sent with v.
func sent(v string) api.Nullable[string] { return api.Value(v) }

// dec is a decimal field of a PATCH body sent with v.
func dec(v string) api.Nullable[api.Decimal] { return api.Value(api.Decimal(v)) }

// checkMessages fails unless got holds exactly the want messages, field by field.
func checkMessages(t *testing.T, got fault.Fields, want map[string][]string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !maps.EqualFunc(map[string][]string(got), want, slices.Equal[[]string]) {
		t.Errorf("messages = %v, want %v", got, want)
	}
}

// storedProject is a valid project from 2026-04-01 to 2026-12-31 for client c1, in USD.
func storedProject() *Project {
	budget, rate := money.Amount(5000000), money.Amount(15000)
	return &Project{ID: "p1", ClientID: "c1", ProjectCode: "PRJ-2026-001", Name: "Audit", Status: ProjectInProgress,
		BillingType: DefaultBillingType, Budget: &budget, HourlyRate: &rate, Currency: "USD",
		StartDate: "2026-04-01", EndDate: "2026-12-31"}
}

// mergeProject applies a change to a copy of the stored project (linked to contract k1 when
// linked), as an update does.
func mergeProject(t *testing.T, ch ProjectPatch, linked bool) (old, p *Project) {
	t.Helper()
	old = storedProject()
	if linked {
		old.ContractID = refOf("k1")
	}
	c := *old
	if bad := ch.apply(&c); len(bad) > 0 {
		t.Fatalf("apply: %v", bad)
	}
	return old, &c
}

func TestProjectRulesOnEffectiveValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		ch             ProjectPatch
		linked         bool // the stored project is linked to contract k1
		contractClient string
		want           map[string][]string
	}{
		{name: "nothing changes"},
		{name: "end before the stored start", ch: ProjectPatch{EndDate: sent("2026-03-31")},
			want: map[string][]string{"end_date": {specEndDate}}},
		{name: "end on the stored start", ch: ProjectPatch{EndDate: sent("2026-04-01")},
			want: map[string][]string{"end_date": {specEndDate}}},
		{name: "end the day after the start", ch: ProjectPatch{EndDate: sent("2026-04-02")}},
		{name: "start after the stored end", ch: ProjectPatch{StartDate: sent("2027-01-01")},
			want: map[string][]string{"end_date": {specEndDate}}},
		{name: "both dates move together", ch: ProjectPatch{StartDate: sent("2027-01-01"), EndDate: sent("2027-02-01")}},
		{name: "contract of the same client", ch: ProjectPatch{Contract: sent("k1")}, contractClient: "c1"},
		{name: "contract of another client", ch: ProjectPatch{Contract: sent("k1")}, contractClient: "c2",
			want: map[string][]string{"contract": {specContract}}},
		{name: "client changed away from the contract's", ch: ProjectPatch{Client: sent("c2")}, linked: true,
			contractClient: "c1", want: map[string][]string{"contract": {specContract}}},
		{name: "contract cleared with the client", ch: ProjectPatch{Contract: sent(""), Client: sent("c2")},
			linked: true, contractClient: "c1"},
		{name: "completion before the start", ch: ProjectPatch{ActualCompletionDate: sent("2026-03-31")},
			want: map[string][]string{"actual_completion_date": {specCompletion}}},
		{name: "completion on the start", ch: ProjectPatch{ActualCompletionDate: sent("2026-04-01")}},
		{name: "start moved after a stored completion", ch: ProjectPatch{ActualCompletionDate: sent("2026-05-01"),
			StartDate: sent("2026-05-02")}, want: map[string][]string{"actual_completion_date": {specCompletion}}},
		{name: "zero budget", ch: ProjectPatch{Budget: dec("0")},
			want: map[string][]string{"budget": {specBudget}}},
		{name: "negative budget", ch: ProjectPatch{Budget: dec("-0.01")},
			want: map[string][]string{"budget": {specBudget}}},
		{name: "smallest budget", ch: ProjectPatch{Budget: dec("0.01")}},
		{name: "budget cleared", ch: ProjectPatch{Budget: dec("")}},
		{name: "zero rate", ch: ProjectPatch{HourlyRate: dec("0.00")},
			want: map[string][]string{"hourly_rate": {specRate}}},
		{name: "negative rate", ch: ProjectPatch{HourlyRate: dec("-150")},
			want: map[string][]string{"hourly_rate": {specRate}}},
		{name: "rate cleared", ch: ProjectPatch{HourlyRate: dec("")}},
		{name: "several at once", ch: ProjectPatch{Budget: dec("0"), EndDate: sent("2026-01-01")},
			want: map[string][]string{"budget": {specBudget}, "end_date": {specEndDate}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, p := mergeProject(t, tc.ch, tc.linked)
			checkMessages(t, ProjectRules(p, tc.contractClient), tc.want)
		})
	}
}

func TestProjectRulesRequired(t *testing.T) {
	t.Parallel()
	checkMessages(t, ProjectRules(&Project{}, ""), map[string][]string{"client": {specRequired},
		"name": {specRequired}, "start_date": {specRequired}, "end_date": {specRequired}})
}

func TestProjectFormatProblems(t *testing.T) {
	t.Parallel()
	usd, _ := money.LookupCurrency("USD")
	tests := []struct {
		name string
		ch   ProjectPatch
		cur  money.Currency
		want map[string][]string
	}{
		{name: "valid", ch: ProjectPatch{Client: sent("01900000-0000-7000-8000-000000000000"),
			Budget: dec("1600.50"), StartDate: sent("2026-01-01")}, cur: usd},
		{name: "client not an id", ch: ProjectPatch{Client: sent("acme")}, cur: usd,
			want: map[string][]string{"client": {MsgProjectClientUnknown}}},
		{name: "contract and manager not ids", ch: ProjectPatch{Contract: sent("x"), ProjectManager: sent("y")},
			cur: usd, want: map[string][]string{"contract": {MsgProjectContract}, "project_manager": {MsgProjectManagerUnknown}}},
		{name: "contract and manager cleared", ch: ProjectPatch{Contract: sent(""), ProjectManager: sent("")}, cur: usd},
		{name: "status and billing type", ch: ProjectPatch{Status: refOf(ProjectStatus("done")), BillingType: refOf(BillingType("hourly"))}, cur: usd,
			want: map[string][]string{"status": {`"done" is not a valid choice.`}, "billing_type": {`"hourly" is not a valid choice.`}}},
		{name: "three decimals in USD", ch: ProjectPatch{Budget: dec("1.005"),
			HourlyRate: dec("1.005")}, cur: usd,
			want: map[string][]string{"budget": {"Ensure that there are no more than 2 decimal places."},
				"hourly_rate": {"Ensure that there are no more than 2 decimal places."}}},
		{name: "decimals in JPY sent", ch: ProjectPatch{Currency: refOf("JPY"), Budget: dec("1.5")},
			cur: usd, want: map[string][]string{"budget": {"Ensure that there are no decimal places."}}},
		{name: "unknown currency", ch: ProjectPatch{Currency: refOf("ABC")}, cur: usd,
			want: map[string][]string{"currency": {"Unknown currency code."}}},
		{name: "amount unchecked without a currency", ch: ProjectPatch{Budget: dec("1.005")}},
		{name: "bad dates", ch: ProjectPatch{StartDate: sent("2026-02-30"), EndDate: sent(""),
			ActualCompletionDate: sent("tomorrow")}, cur: usd,
			want: map[string][]string{"start_date": {date.MsgInvalid}, "end_date": {specRequired},
				"actual_completion_date": {date.MsgInvalid}}},
		{name: "completion cleared", ch: ProjectPatch{ActualCompletionDate: sent("")}, cur: usd},
		{name: "nulls", ch: ProjectPatch{Name: api.Nullable[string]{Set: true, Null: true}}, cur: usd,
			want: map[string][]string{"name": {validate.MsgNull}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMessages(t, projectFormat(tc.ch, tc.cur), tc.want)
		})
	}
}

// projectFormat is what a body's format checks report on a new project in currency cur: what
// the body cannot merge, then the merged project's formats (a zero cur leaves amounts unread).
func projectFormat(b ProjectPatch, cur money.Currency) fault.Fields {
	p := &Project{Status: ProjectPlanning, BillingType: DefaultBillingType, Currency: cur.Code}
	bad := b.apply(p)
	bad.Merge(p.formatProblems())
	return bad
}

func TestProjectApplyCurrencyChange(t *testing.T) {
	t.Parallel()
	t.Run("figures follow the currency", func(t *testing.T) {
		t.Parallel()
		_, p := mergeProject(t, ProjectPatch{Currency: refOf("EUR")}, false)
		if p.Currency != "EUR" || *p.Budget != 5000000 || *p.HourlyRate != 15000 {
			t.Errorf("EUR: currency %s budget %d rate %d", p.Currency, *p.Budget, *p.HourlyRate)
		}
	})
	t.Run("to JPY", func(t *testing.T) {
		t.Parallel()
		_, p := mergeProject(t, ProjectPatch{Currency: refOf("JPY")}, false)
		if *p.Budget != 50000 || *p.HourlyRate != 150 {
			t.Errorf("JPY: budget %d rate %d, want 50000 and 150", *p.Budget, *p.HourlyRate)
		}
	})
	t.Run("cents cannot become yen", func(t *testing.T) {
		t.Parallel()
		p := storedProject()
		rate := money.Amount(15050)
		p.HourlyRate = &rate
		bad := (&ProjectPatch{Currency: refOf("JPY")}).apply(p)
		checkMessages(t, bad, map[string][]string{"hourly_rate": {"Ensure that there are no decimal places."}})
	})
	t.Run("new amount in the new currency", func(t *testing.T) {
		t.Parallel()
		_, p := mergeProject(t, ProjectPatch{Currency: refOf("JPY"), Budget: dec("1000000")}, false)
		if *p.Budget != 1000000 || *p.HourlyRate != 150 {
			t.Errorf("JPY: budget %d rate %d", *p.Budget, *p.HourlyRate)
		}
	})
}

func TestStampProject(t *testing.T) {
	t.Parallel()
	const today = date.Date("2026-06-15")
	tests := []struct {
		name       string
		old        *Project // nil on create
		status     ProjectStatus
		completion date.Date
		want       date.Date
	}{
		{name: "created completed", status: ProjectCompleted, want: today},
		{name: "created completed with a date", status: ProjectCompleted, completion: "2026-05-01", want: "2026-05-01"},
		{name: "created planning", status: ProjectPlanning},
		{name: "becomes completed", old: &Project{Status: ProjectInProgress}, status: ProjectCompleted, want: today},
		{name: "becomes completed with a date", old: &Project{Status: ProjectInProgress}, status: ProjectCompleted,
			completion: "2026-06-01", want: "2026-06-01"},
		{name: "stays completed", old: &Project{Status: ProjectCompleted, ActualCompletionDate: "2026-05-01"},
			status: ProjectCompleted, completion: "2026-05-01", want: "2026-05-01"},
		{name: "completed date cleared is stamped again", old: &Project{Status: ProjectCompleted, ActualCompletionDate: "2026-05-01"},
			status: ProjectCompleted, want: today},
		{name: "reopened", old: &Project{Status: ProjectCompleted, ActualCompletionDate: "2026-05-01"},
			status: ProjectInProgress, completion: "2026-05-01"},
		{name: "cancelled after completion", old: &Project{Status: ProjectCompleted, ActualCompletionDate: "2026-05-01"},
			status: ProjectCancelled, completion: "2026-05-01"},
		{name: "other statuses keep a date", old: &Project{Status: ProjectPlanning}, status: ProjectOnHold,
			completion: "2026-05-01", want: "2026-05-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &Project{Status: tc.status, ActualCompletionDate: tc.completion}
			StampProject(tc.old, p, today)
			if p.ActualCompletionDate != tc.want {
				t.Errorf("actual_completion_date = %q, want %q", p.ActualCompletionDate, tc.want)
			}
		})
	}
}

func TestBudgetUsedPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		billed money.Amount
		budget *money.Amount
		want   string // "" for null
	}{
		{0, nil, ""},
		{100, refOf(money.Amount(0)), ""},
		{0, refOf(money.Amount(100000)), "0.00"},
		{150000, refOf(money.Amount(5000000)), "3.00"},
		{5000000, refOf(money.Amount(5000000)), "100.00"},
		{7500000, refOf(money.Amount(5000000)), "150.00"},
		{1, refOf(money.Amount(300)), "0.33"},    // 0.3333…
		{1, refOf(money.Amount(200000)), "0.00"}, // 0.0005 → 0.00
		{1, refOf(money.Amount(40000)), "0.00"},  // 0.0025 → 0.00
		{1, refOf(money.Amount(20000)), "0.01"},  // 0.005 → half up
		{2, refOf(money.Amount(3)), "66.67"},     // 66.666…
		{1, refOf(money.Amount(8)), "12.50"},     // exact
		{1 << 62, refOf(money.Amount(1)), "461168601842738790400.00"},
	}
	for _, tc := range tests {
		got := BudgetUsedPercent(tc.billed, tc.budget)
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("BudgetUsedPercent(%d, %v) = %q, want null", tc.billed, tc.budget, *got)
		case tc.want != "" && (got == nil || *got != tc.want):
			t.Errorf("BudgetUsedPercent(%d, %d) = %v, want %q", tc.billed, *tc.budget, got, tc.want)
		}
	}
}

// wantMsgForbidden is the message of every 403 the role matrix or an object rule gives.
const wantMsgForbidden = "You do not have permission to perform this action."

// wantPolicy checks that a policy allowed the action or refused it with 403, the standard
// message and no details.
func wantPolicy(t *testing.T, what string, err error, allowed bool) {
	t.Helper()
	wantRefusal(t, what, err, allowed, wantMsgForbidden)
}

// wantRefusal checks that a policy allowed the action or refused it with 403, message msg and
// no details.
func wantRefusal(t *testing.T, what string, err error, allowed bool, msg string) {
	t.Helper()
	switch {
	case allowed && err != nil:
		t.Errorf("%s: refused (%v), want allowed", what, err)
	case !allowed && err == nil:
		t.Errorf("%s: allowed, want refused", what)
	case !allowed:
		if fe := fault.As(err); fe.Kind != fault.Forbidden || fe.Message != msg || len(fe.Details) != 0 {
			t.Errorf("%s: kind %v message %q details %v, want Forbidden %q", what, fe.Kind, fe.Message, fe.Details, msg)
		}
	}
}

// TestProjectPolicy is SPEC §1's Projects area for projects: every role reads them; owners,
// admins and managers create, change and delete them; consultants and accountants only read,
// a consultant even the projects they manage; an unknown role does nothing.
func TestProjectPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, update, delete bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true},
		auth.Consultant: {true, true, false, false, false},
		auth.Accountant: {true, true, false, false, false},
		"superuser":     {},
	}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			managed, other := &Project{ProjectManagerID: refOf("me")}, &Project{ProjectManagerID: refOf("someone-else")}
			p := projectPolicy{}
			wantPolicy(t, "list", resource.Check(p, a, resource.List, nil), w.list)
			wantPolicy(t, "read", resource.Check(p, a, resource.Read, other), w.read)
			wantPolicy(t, "create", resource.Check(p, a, resource.Create, nil), w.create)
			wantPolicy(t, "update other's", resource.Check(p, a, resource.Update, other), w.update)
			wantPolicy(t, "update managed", resource.Check(p, a, resource.Update, managed), w.update)
			wantPolicy(t, "update unmanaged", resource.Check(p, a, resource.Update, &Project{}), w.update)
			wantPolicy(t, "delete other's", resource.Check(p, a, resource.Delete, other), w.delete)
			wantPolicy(t, "delete managed", resource.Check(p, a, resource.Delete, managed), w.delete)
		})
	}
}
