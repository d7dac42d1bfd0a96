package projects

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// SPEC §5's exact time entry messages, spelled out so that a change of wording fails here.
const (
	wantMsgHoursPositive = "Hours must be greater than 0"
	wantMsgHoursPerEntry = "Hours cannot exceed 24 hours per day"
	wantMsgHoursPerDay   = "Total hours for this day cannot exceed 24"
	wantMsgFuture        = "Time entry date cannot be in the future"
	wantMsgRateNegative  = "Hourly rate cannot be negative"
	wantMsgTaskProject   = "Task must belong to the same project"
	wantMsgTwoDecimals   = "Ensure that there are no more than 2 decimal places."
	wantMsgNoDecimals    = "Ensure that there are no decimal places."
	wantMsgRequired      = "This field is required."
	wantMsgNumber        = "A valid number is required."
)

// Ids of the unit tests: canonical UUIDs, as the format rules want.
const (
	idProjectA = "0193a000-0000-7000-8000-00000000000a"
	idProjectB = "0193a000-0000-7000-8000-00000000000b"
	idTask     = "0193a000-0000-7000-8000-0000000000c1"
	idUser     = "0193a000-0000-7000-8000-0000000000d1"
	entryToday = date.Date("2026-03-15")
)

func teRef[T any](v T) *T { return &v }

// storedEntry is a valid, billable entry of 8.00 h at 150.00 USD on project A.
func storedEntry() *TimeEntry {
	return &TimeEntry{ID: "e1", ProjectID: idProjectA, UserID: idUser, Date: "2026-03-10", Hours: 800,
		Description: "Workshop", IsBillable: true, HourlyRate: 15000, Currency: "USD", BilledAmount: 120000}
}

// wantEntryMessages fails unless f holds exactly the messages of want, field by field.
func wantEntryMessages(t *testing.T, f fault.Fields, want map[string][]string) {
	t.Helper()
	if len(f) == 0 && len(want) == 0 {
		return
	}
	if !maps.EqualFunc(map[string][]string(f), want, slices.Equal[[]string]) {
		t.Errorf("messages = %q, want %q", f, want)
	}
}

func TestTimeEntryFormatProblems(t *testing.T) {
	t.Parallel()
	hours := func(s string) *api.Decimal { return teRef(api.Decimal(s)) }
	tests := []struct {
		name string
		ch   TimeEntryPatch
		want map[string][]string
	}{
		{name: "nothing sent"},
		{name: "a full valid entry", ch: TimeEntryPatch{Project: teRef(idProjectA), Task: sent(idTask), User: teRef(idUser),
			Date: teRef("2026-03-15"), Hours: hours("8.00"), Description: teRef("Work"), IsBillable: teRef(false),
			HourlyRate: dec("150.00")}},
		{name: "hundredth of an hour", ch: TimeEntryPatch{Hours: hours("0.01")}},
		{name: "whole hours", ch: TimeEntryPatch{Hours: hours("24")}},
		{name: "thousandth of an hour", ch: TimeEntryPatch{Hours: hours("0.001")},
			want: map[string][]string{"hours": {wantMsgTwoDecimals}}},
		{name: "hours not a number", ch: TimeEntryPatch{Hours: hours("eight")},
			want: map[string][]string{"hours": {wantMsgNumber}}},
		{name: "hours in exponent form", ch: TimeEntryPatch{Hours: hours("1e1")},
			want: map[string][]string{"hours": {wantMsgNumber}}},
		{name: "hours null", ch: TimeEntryPatch{Hours: hours("")},
			want: map[string][]string{"hours": {wantMsgRequired}}},
		// Ranges are rules of the merged entry, reported with the other rules.
		{name: "negative hours parse", ch: TimeEntryPatch{Hours: hours("-1")}},
		{name: "project not an id", ch: TimeEntryPatch{Project: teRef("P-1")},
			want: map[string][]string{"project": {MsgEntryProject}}},
		{name: "task not an id", ch: TimeEntryPatch{Task: sent("t")},
			want: map[string][]string{"task": {MsgEntryTask}}},
		{name: "task cleared", ch: TimeEntryPatch{Task: sent("")}},
		{name: "user not an id", ch: TimeEntryPatch{User: teRef("bob")},
			want: map[string][]string{"user": {MsgEntryUser}}},
		{name: "date malformed", ch: TimeEntryPatch{Date: teRef("15/03/2026")},
			want: map[string][]string{"date": {date.MsgInvalid}}},
		{name: "date impossible", ch: TimeEntryPatch{Date: teRef("2026-02-30")},
			want: map[string][]string{"date": {date.MsgInvalid}}},
		// The rate's decimals depend on the project's currency: checked by ApplyEntryRate.
		{name: "rate with three decimals waits for the currency", ch: TimeEntryPatch{HourlyRate: dec("150.005")}},
		{name: "negative rate is a rule", ch: TimeEntryPatch{HourlyRate: dec("-1")}},
		{name: "rate not a number", ch: TimeEntryPatch{HourlyRate: dec("cheap")},
			want: map[string][]string{"hourly_rate": {wantMsgNumber}}},
		{name: "rate reset", ch: TimeEntryPatch{HourlyRate: dec("")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantEntryMessages(t, entryFormat(tc.ch), tc.want)
		})
	}
}

// entryFormat is what a body's format checks report on a new entry of idUser: what the body
// cannot merge, then the merged entry's formats.
func entryFormat(b TimeEntryPatch) fault.Fields {
	te := &TimeEntry{UserID: idUser, IsBillable: true}
	bad := b.apply(te)
	bad.Merge(te.formatProblems())
	return bad
}

func TestTimeEntryApply(t *testing.T) {
	t.Parallel()
	te := storedEntry()
	te.TaskID = teRef(idTask)
	(&TimeEntryPatch{Project: teRef(" " + idProjectB + " "), Date: teRef("2026-03-11"),
		Hours: teRef(api.Decimal("1.5")), Description: teRef("  Review  "), IsBillable: teRef(false),
		Task: sent(""), HourlyRate: dec("1.00")}).apply(te)
	if te.rateSent == nil || *te.rateSent != "1.00" {
		t.Errorf("rate sent = %v, want 1.00 kept for ApplyEntryRate", te.rateSent)
	}
	te.rateSent = nil
	want := storedEntry()
	want.ProjectID, want.Date, want.Hours, want.Description, want.IsBillable = idProjectB, "2026-03-11", 150, "Review", false
	if *te != *want {
		t.Errorf("apply = %+v, want %+v (the rate waits for ApplyEntryRate)", *te, *want)
	}
	// A PATCH that sends nothing changes nothing.
	same := storedEntry()
	(&TimeEntryPatch{}).apply(same)
	if *same != *storedEntry() {
		t.Errorf("empty changes altered the entry: %+v", *same)
	}
}

func TestApplyEntryRate(t *testing.T) {
	t.Parallel()
	usd := func(rate *money.Amount) *Project {
		return &Project{ID: idProjectA, Currency: "USD", HourlyRate: rate}
	}
	tests := []struct {
		name     string
		old      *TimeEntry // nil on create
		project  *Project
		moveTo   string // the entry's project after the change ("" keeps A)
		rate     *money.Decimal
		wantRate money.Amount
		wantCur  string
		want     map[string][]string
	}{
		{name: "create defaults to the project's rate", project: usd(teRef(money.Amount(12550))), wantRate: 12550, wantCur: "USD"},
		{name: "create with a rate", project: usd(teRef(money.Amount(12550))), rate: teRef(money.Decimal("99.99")),
			wantRate: 9999, wantCur: "USD"},
		{name: "create with a zero rate", project: usd(nil), rate: teRef(money.Decimal("0")), wantCur: "USD"},
		{name: "create without a rate on a project without one", project: usd(nil), wantCur: "USD",
			want: map[string][]string{"hourly_rate": {MsgProjectNoRate}}},
		{name: "create with null on a project without one", project: usd(nil), rate: teRef(money.Decimal("")), wantCur: "USD",
			want: map[string][]string{"hourly_rate": {MsgProjectNoRate}}},
		{name: "cents in a yen project", project: &Project{ID: idProjectA, Currency: "JPY"}, rate: teRef(money.Decimal("1000.50")),
			wantCur: "JPY", want: map[string][]string{"hourly_rate": {wantMsgNoDecimals}}},
		{name: "yen rate", project: &Project{ID: idProjectA, Currency: "JPY"}, rate: teRef(money.Decimal("15000")),
			wantRate: 15000, wantCur: "JPY"},
		{name: "three decimals in USD", project: usd(nil), rate: teRef(money.Decimal("150.005")), wantCur: "USD",
			want: map[string][]string{"hourly_rate": {wantMsgTwoDecimals}}},
		{name: "negative rate is kept for the rule", project: usd(nil), rate: teRef(money.Decimal("-5")), wantRate: -500,
			wantCur: "USD"},
		{name: "update keeps the stored rate", old: storedEntry(), project: usd(teRef(money.Amount(20000))),
			wantRate: 15000, wantCur: "USD"},
		{name: "update resets to the project's rate with null", old: storedEntry(), project: usd(teRef(money.Amount(20000))),
			rate: teRef(money.Decimal("")), wantRate: 20000, wantCur: "USD"},
		{name: "update sets a rate", old: storedEntry(), project: usd(nil), rate: teRef(money.Decimal("175.25")),
			wantRate: 17525, wantCur: "USD"},
		{name: "moving to another project takes its rate", old: storedEntry(), moveTo: idProjectB,
			project: &Project{ID: idProjectB, Currency: "EUR", HourlyRate: teRef(money.Amount(9000))}, wantRate: 9000, wantCur: "EUR"},
		{name: "moving to a project without a rate needs one", old: storedEntry(), moveTo: idProjectB,
			project: &Project{ID: idProjectB, Currency: "EUR"}, wantRate: 15000, wantCur: "EUR",
			want: map[string][]string{"hourly_rate": {MsgProjectNoRate}}},
		{name: "moving with a rate", old: storedEntry(), moveTo: idProjectB, project: &Project{ID: idProjectB, Currency: "JPY"},
			rate: teRef(money.Decimal("12000")), wantRate: 12000, wantCur: "JPY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			te := &TimeEntry{ProjectID: idProjectA}
			if tc.old != nil {
				c := *tc.old
				te = &c
			}
			if tc.moveTo != "" {
				te.ProjectID = tc.moveTo
			}
			wantEntryMessages(t, ApplyEntryRate(tc.old, te, tc.project, tc.rate), tc.want)
			if te.HourlyRate != tc.wantRate || te.Currency != tc.wantCur {
				t.Errorf("rate %d %s, want %d %s", te.HourlyRate, te.Currency, tc.wantRate, tc.wantCur)
			}
		})
	}
}

func TestTimeEntryRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		create      bool
		change      func(te *TimeEntry)
		taskProject string
		want        map[string][]string
	}{
		{name: "valid"},
		{name: "hundredth of an hour", change: func(te *TimeEntry) { te.Hours = 1 }},
		{name: "exactly 24 hours", change: func(te *TimeEntry) { te.Hours = 2400 }},
		{name: "zero hours", change: func(te *TimeEntry) { te.Hours = 0 },
			want: map[string][]string{"hours": {wantMsgHoursPositive}}},
		{name: "negative hours", change: func(te *TimeEntry) { te.Hours = -100 },
			want: map[string][]string{"hours": {wantMsgHoursPositive}}},
		{name: "24.01 hours", change: func(te *TimeEntry) { te.Hours = 2401 },
			want: map[string][]string{"hours": {wantMsgHoursPerEntry}}},
		{name: "zero rate", change: func(te *TimeEntry) { te.HourlyRate = 0 }},
		{name: "negative rate", change: func(te *TimeEntry) { te.HourlyRate = -1 },
			want: map[string][]string{"hourly_rate": {wantMsgRateNegative}}},
		{name: "task of the project", change: func(te *TimeEntry) { te.TaskID = teRef(idTask) }, taskProject: idProjectA},
		{name: "task of another project", change: func(te *TimeEntry) { te.TaskID = teRef(idTask) }, taskProject: idProjectB,
			want: map[string][]string{"task": {wantMsgTaskProject}}},
		{name: "create today", create: true, change: func(te *TimeEntry) { te.Date = entryToday }},
		{name: "create tomorrow", create: true, change: func(te *TimeEntry) { te.Date = "2026-03-16" },
			want: map[string][]string{"date": {wantMsgFuture}}},
		{name: "moved to tomorrow", change: func(te *TimeEntry) { te.Date = "2026-03-16" },
			want: map[string][]string{"date": {wantMsgFuture}}},
		{name: "moved far ahead", change: func(te *TimeEntry) { te.Date = "2027-01-01" },
			want: map[string][]string{"date": {wantMsgFuture}}},
		{name: "moved to the past", change: func(te *TimeEntry) { te.Date = "2020-02-29" }},
		{name: "missing fields", create: true, change: func(te *TimeEntry) { te.ProjectID, te.Description, te.Date = "", "", "" },
			want: map[string][]string{"project": {wantMsgRequired}, "description": {wantMsgRequired}, "date": {wantMsgRequired}}},
		{name: "several rules at once", create: true, change: func(te *TimeEntry) { te.Hours, te.HourlyRate, te.Date = 0, -1, "2026-04-01" },
			want: map[string][]string{"hours": {wantMsgHoursPositive}, "hourly_rate": {wantMsgRateNegative}, "date": {wantMsgFuture}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			old, te := storedEntry(), storedEntry()
			if tc.create {
				old = nil
			}
			if tc.change != nil {
				tc.change(te)
			}
			wantEntryMessages(t, TimeEntryRules(old, te, tc.taskProject, entryToday), tc.want)
		})
	}
}

// An entry whose date is already after today (the firm moved its time zone east to west) can
// still be edited as long as the date stays.
func TestTimeEntryRulesKeepStoredFutureDate(t *testing.T) {
	t.Parallel()
	old := storedEntry()
	old.Date = "2026-03-16"
	te := *old
	te.Description = "Edited"
	wantEntryMessages(t, TimeEntryRules(old, &te, "", entryToday), nil)
}

func TestDayTotalRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		others, hours money.Hours
		fails         bool
	}{
		{0, 2400, false},
		{0, 1, false},
		{1600, 800, false},
		{1600, 801, true},
		{2399, 1, false},
		{2399, 2, true},
		{2400, 1, true},
		{1300, 1300, true},
	}
	for _, tc := range tests {
		var want map[string][]string
		if tc.fails {
			want = map[string][]string{"hours": {wantMsgHoursPerDay}}
		}
		t.Run(tc.others.String()+"+"+tc.hours.String(), func(t *testing.T) {
			t.Parallel()
			wantEntryMessages(t, DayTotalRule(tc.others, tc.hours), want)
		})
	}
}

func TestEntryBilledAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		hours    money.Hours
		rate     money.Amount
		billable bool
		want     money.Amount
	}{
		{"8 h at 150.00", 800, 15000, true, 120000},
		{"hundredth of an hour at 150.00", 1, 15000, true, 150},
		{"24 h at 33.33", 2400, 3333, true, 79992},
		{"half a cent rounds up", 50, 1, true, 1},              // 0.50 × 0.01 = 0.005
		{"49.995 rounds up", 150, 3333, true, 5000},            // 1.50 × 33.33
		{"just under half a cent rounds down", 49, 1, true, 0}, // 0.49 × 0.01 = 0.0049
		{"0.01 h at 33.33", 1, 3333, true, 33},                 // 0.3333
		{"whole yen", 150, 1001, true, 1502},                   // 1.50 × ¥1001 = ¥1501.5
		{"yen just under half", 133, 1001, true, 1331},         // 1.33 × ¥1001 = ¥1331.33
		{"zero rate", 800, 0, true, 0},
		{"not billable", 800, 15000, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := EntryBilledAmount(tc.hours, tc.rate, tc.billable)
			if err != nil || got != tc.want {
				t.Errorf("EntryBilledAmount(%s, %d, %v) = %d, %v; want %d", tc.hours, tc.rate, tc.billable, got, err, tc.want)
			}
		})
	}
	if _, err := EntryBilledAmount(2400, money.Amount(1<<62), true); err == nil {
		t.Error("an amount too large for int64 must fail")
	}
}

// SPEC §5's exact messages of the time entry policy.
const (
	wantMsgInvoiced     = "Cannot modify invoiced time entries"
	wantMsgLogForOthers = "You do not have permission to log time for another user."
)

// TestTimeEntryPolicy is SPEC §1's TimeEntries area (the old IsAssignedUserOrReadOnly and
// CannotModifyInvoicedItems tables): every role reads all entries; owners, admins and managers
// log, change and delete any and log time for others; a consultant logs their own time and
// changes and deletes their own entries and those of the projects they manage; an accountant
// only reads; an unknown role does nothing. An invoiced entry is changed and deleted by nobody:
// whoever could otherwise is refused with the non-field validation message (400), the others
// with 403 as before.
func TestTimeEntryPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, logForOthers, own, managed, other bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true, true, true},
		auth.Consultant: {true, true, true, false, true, true, false},
		auth.Accountant: {true, true, false, false, false, false, false},
		"superuser":     {},
	}
	invoicedDetails := map[string][]string{"non_field_errors": {wantMsgInvoiced}}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			p := timeEntryPolicy{}
			entries := []struct {
				name    string
				te      TimeEntry
				allowed bool
			}{
				{"own", TimeEntry{UserID: "me", ProjectManagerID: refOf("someone-else")}, w.own},
				{"own, no manager", TimeEntry{UserID: "me"}, w.own},
				{"managed", TimeEntry{UserID: "someone", ProjectManagerID: refOf("me")}, w.managed},
				{"other's", TimeEntry{UserID: "someone", ProjectManagerID: refOf("someone-else")}, w.other},
				{"other's, no manager", TimeEntry{UserID: "someone"}, w.other},
			}
			wantPolicy(t, "list", resource.Check(p, a, resource.List, nil), w.list)
			wantPolicy(t, "create", resource.Check(p, a, resource.Create, nil), w.create)
			wantRefusal(t, "log for others", resource.Check(p, a, LogForOthers, nil), w.logForOthers, wantMsgLogForOthers)
			wantRefusal(t, "give an entry to another user", mayLogFor(a, "me", &TimeEntry{UserID: "someone"}), w.logForOthers, wantMsgLogForOthers)
			wantPolicy(t, "log for oneself", mayLogFor(a, "me", &TimeEntry{UserID: "me"}), true)
			for _, e := range entries {
				for _, act := range []resource.Action{resource.Update, resource.Delete} {
					te := e.te
					wantPolicy(t, fmt.Sprintf("%s %s", act, e.name), resource.Check(p, a, act, &te), e.allowed)
					te.Invoiced = true
					err := resource.Check(p, a, act, &te)
					what := fmt.Sprintf("%s invoiced %s", act, e.name)
					if !e.allowed {
						wantPolicy(t, what, err, false)
						continue
					}
					fe := fault.As(err)
					if err == nil || fe.Kind != fault.Invalid || fe.Message != fault.ValidationMessage ||
						!maps.EqualFunc(fe.Details, invoicedDetails, slices.Equal) {
						t.Errorf("%s: %v (kind %v details %v), want Invalid %v", what, err, fe.Kind, fe.Details, invoicedDetails)
					}
				}
				te := e.te
				te.Invoiced = true
				wantPolicy(t, "read invoiced "+e.name, resource.Check(p, a, resource.Read, &te), w.read)
			}
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		p := timeEntryPolicy{}
		noUser := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		me := auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}
		for _, act := range []resource.Action{resource.Update, resource.Delete} {
			wantPolicy(t, string(act)+": no user id, no ids", resource.Check(p, noUser, act, &TimeEntry{}), false)
			wantPolicy(t, string(act)+": no user id, empty manager", resource.Check(p, noUser, act,
				&TimeEntry{ProjectManagerID: refOf("")}), false)
			wantPolicy(t, string(act)+": entry without user or manager", resource.Check(p, me, act,
				&TimeEntry{ProjectManagerID: refOf("")}), false)
		}
	})
}
