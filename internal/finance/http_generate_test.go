package finance_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6 invoicing from time: POST invoices/generate/ bills a client's billable, unbilled
// entries in range as a draft, one line per group and rate, and marks them invoiced, once.

// timeBook is a client with logged time to invoice: five billable entries in February 2026 on
// project P (150.00/h; one entry at 200.00), and entries that must never be billed with them.
type timeBook struct {
	*books
	projectName, otherName string   // P, and another project of the client
	billable               []string // e1..e5, in date order
	notBilled              []string // non-billable, before and after the range
	otherProject           string   // another project of the same client, one entry on 2026-02-01
	otherEntry             string
	otherClientEntry       string // in range, for another client
}

func (s *apiServer) newTimeBook(t *testing.T) *timeBook {
	t.Helper()
	b := s.newBooks(t)
	tb := &timeBook{books: b}
	tb.projectName = s.projectName(t, b.owner, b.project)
	design := s.createTask(t, b.owner, b.project, "Design review")
	interviews := s.createTask(t, b.owner, b.project, "Interviews")
	log := func(day, hours, desc string, fields map[string]any) string {
		fields["description"] = desc
		return s.logTime(t, b.owner, b.project, day, hours, fields)
	}
	tb.billable = []string{
		log("2026-02-02", "2.00", "Kick-off", map[string]any{"task": design}),
		log("2026-02-03", "1.50", "Stakeholder interviews", map[string]any{"task": interviews, "user": b.users[roleConsultant].ID}),
		log("2026-02-04", "3.25", "Deep dive", map[string]any{"task": design, "hourly_rate": "200.00"}),
		log("2026-02-05", "4.00", "Report writing", map[string]any{"user": b.users[roleConsultant].ID}),
		log("2026-02-06", "1.00", "Wrap-up", map[string]any{"task": design}),
	}
	tb.notBilled = []string{
		log("2026-02-07", "5.00", "Internal", map[string]any{"is_billable": false}),
		log("2026-01-31", "1.00", "Before", map[string]any{}),
		log("2026-03-01", "1.00", "After", map[string]any{}),
	}
	tb.otherProject = s.createProject(t, b.owner, b.client, nil)
	tb.otherName = s.projectName(t, b.owner, tb.otherProject)
	tb.otherEntry = s.logTime(t, b.owner, tb.otherProject, "2026-02-01", "1.00", map[string]any{"description": "Scoping"})
	otherClient := s.createProject(t, b.owner, s.createClient(t, b.owner), nil)
	tb.otherClientEntry = s.logTime(t, b.owner, otherClient, "2026-02-10", "8.00", nil)
	return tb
}

// body is a generate request over February 2026 for P, changed by fields (nil removes).
func (tb *timeBook) body(groupBy string, fields map[string]any) map[string]any {
	body := map[string]any{"client": tb.client, "project": tb.project, "date_after": "2026-02-01",
		"date_before": "2026-02-28", "group_by": groupBy}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

func wantLines(t *testing.T, what string, got []lineItem, want []lineItem) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: lines\n got %+v\nwant %+v", what, got, want)
	}
}

func TestGenerateGroupings(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	tb := s.newTimeBook(t)
	own, cons, p := tb.users[roleOwner].Name, tb.users[roleConsultant].Name, tb.projectName

	for _, tc := range []struct {
		groupBy string
		lines   []lineItem
	}{
		{"entry", []lineItem{
			{"2026-02-02 Kick-off (" + own + ") — 2.00 h", "2.00", "150.00", "300.00"},
			{"2026-02-03 Stakeholder interviews (" + cons + ") — 1.50 h", "1.50", "150.00", "225.00"},
			{"2026-02-04 Deep dive (" + own + ") — 3.25 h", "3.25", "200.00", "650.00"},
			{"2026-02-05 Report writing (" + cons + ") — 4.00 h", "4.00", "150.00", "600.00"},
			{"2026-02-06 Wrap-up (" + own + ") — 1.00 h", "1.00", "150.00", "150.00"},
		}},
		// A group whose entries have different rates is one line per rate.
		{"task", []lineItem{
			{"Design review — 3.00 h", "3.00", "150.00", "450.00"},
			{"Interviews — 1.50 h", "1.50", "150.00", "225.00"},
			{"Design review — 3.25 h", "3.25", "200.00", "650.00"},
			{p + " (no task) — 4.00 h", "4.00", "150.00", "600.00"},
		}},
		{"user", []lineItem{
			{own + " — 3.00 h", "3.00", "150.00", "450.00"},
			{cons + " — 5.50 h", "5.50", "150.00", "825.00"},
			{own + " — 3.25 h", "3.25", "200.00", "650.00"},
		}},
		{"project", []lineItem{
			{p + " — 8.50 h", "8.50", "150.00", "1275.00"},
			{p + " — 3.25 h", "3.25", "200.00", "650.00"},
		}},
	} {
		inv := s.generated(t, tb.owner, tb.body(tc.groupBy, nil))
		wantLines(t, "group_by "+tc.groupBy, inv.LineItems, tc.lines)
		if inv.Status != "draft" || inv.InvoiceNumber != nil || inv.Subtotal != "1925.00" || inv.TotalAmount != "1925.00" ||
			inv.Client != tb.client || deref(inv.Project) != tb.project || inv.Currency != "USD" ||
			inv.IssueDate != "2026-03-10" || inv.DueDate != "2026-04-09" || deref(inv.CreatedBy) != tb.users[roleOwner].ID {
			t.Errorf("group_by %s: %+v", tc.groupBy, inv)
		}
		s.wantEntries(t, tb.owner, inv.ID, tb.billable...)
		s.wantEntries(t, tb.owner, "", tb.notBilled...)
		s.wantEntries(t, tb.owner, "", tb.otherEntry, tb.otherClientEntry)
		// Billed time is billed once: nothing is left in range.
		testkit.WantOnly(t, s.generate(t, tb.owner, tb.body(tc.groupBy, nil)), map[string][]string{nonField: {msgNothingToBill}})
		// Deleting the draft releases the entries for the next grouping.
		testkit.WantStatus(t, s.Do(t, http.MethodDelete, invoicePath(inv.ID), tb.owner, nil), http.StatusNoContent)
	}

	t.Run("tax rate and due date", func(t *testing.T) {
		inv := s.generated(t, tb.owner, tb.body("project", map[string]any{"tax_rate": "8.25", "due_date": "2026-03-31", "notes": "February"}))
		// 8.25 % of 1925.00 = 158.8125 → 158.81.
		if deref(inv.TaxRate) != "8.25" || inv.TaxAmount != "158.81" || inv.TotalAmount != "2083.81" || inv.BalanceDue != "2083.81" ||
			inv.DueDate != "2026-03-31" || inv.Notes != "February" {
			t.Errorf("with tax and due date: tax %s %s total %s due %s notes %q", deref(inv.TaxRate), inv.TaxAmount, inv.TotalAmount, inv.DueDate, inv.Notes)
		}
		// What the answer said is stored, and the invoice sends like any other.
		if got := s.getInvoice(t, tb.owner, inv.ID); !slices.Equal(got.LineItems, inv.LineItems) || got.TotalAmount != inv.TotalAmount {
			t.Errorf("stored invoice differs from the answer: %+v", got)
		}
		if sent := s.sendInvoice(t, tb.owner, inv.ID); deref(sent.InvoiceNumber) != "INV-2026-001" {
			t.Errorf("generated invoice sent as %s", deref(sent.InvoiceNumber))
		}
		s.wantEntries(t, tb.owner, inv.ID, tb.billable...)
	})

	t.Run("all the client's projects", func(t *testing.T) {
		inv := s.generated(t, tb.owner, tb.body("project", map[string]any{"project": nil}))
		// P's entries are billed already; the other project's entry is not.
		wantLines(t, "without project", inv.LineItems, []lineItem{{tb.otherName + " — 1.00 h", "1.00", "150.00", "150.00"}})
		if inv.Project != nil {
			t.Errorf("invoice of every project has project %s", *inv.Project)
		}
		s.wantEntries(t, tb.owner, inv.ID, tb.otherEntry)
		s.wantEntries(t, tb.owner, "", tb.otherClientEntry)
	})

	t.Run("nothing to bill", func(t *testing.T) {
		for name, body := range map[string]map[string]any{
			"everything billed":     tb.body("entry", map[string]any{"project": nil}),
			"empty range":           tb.body("entry", map[string]any{"date_after": "2025-01-01", "date_before": "2025-12-31"}),
			"only non-billable":     tb.body("entry", map[string]any{"date_after": "2026-02-07", "date_before": "2026-02-07"}),
			"another currency":      tb.body("entry", map[string]any{"project": nil, "currency": "EUR"}),
			"a single empty day":    tb.body("task", map[string]any{"date_after": "2026-02-20", "date_before": "2026-02-20"}),
			"before the first":      tb.body("user", map[string]any{"date_after": "2026-01-01", "date_before": "2026-01-30"}),
			"only another client's": tb.body("project", map[string]any{"project": nil, "date_after": "2026-02-10", "date_before": "2026-02-10"}),
		} {
			r := s.generate(t, tb.owner, body)
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %s", name, r)
				continue
			}
			testkit.WantOnly(t, r, map[string][]string{nonField: {msgNothingToBill}})
		}
	})
}

func TestGenerateValidation(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	tb := s.newTimeBook(t)
	otherClientProject := s.createProject(t, tb.owner, s.createClient(t, tb.owner), nil)
	for _, tc := range []struct {
		name string
		body map[string]any
		want map[string][]string
	}{
		{"dates reversed", tb.body("entry", map[string]any{"date_after": "2026-02-28", "date_before": "2026-02-01"}),
			map[string][]string{"date_before": {msgTimeRange}}},
		{"project of another client", tb.body("entry", map[string]any{"project": otherClientProject}),
			map[string][]string{"project": {msgProjectClient}}},
		{"unknown client", tb.body("entry", map[string]any{"client": unknownID, "project": nil}),
			map[string][]string{"client": {msgInvoiceClient}}},
		{"malformed client", tb.body("entry", map[string]any{"client": "acme", "project": nil}),
			map[string][]string{"client": {msgInvoiceClient}}},
		{"tax over 100 %", tb.body("entry", map[string]any{"tax_rate": "100.01"}),
			map[string][]string{"tax_rate": {"Tax rate must be between 0 and 100"}}},
		{"grouping by day", tb.body("day", nil), map[string][]string{"group_by": {`"day" is not a valid choice.`}}},
		{"no grouping", tb.body("entry", map[string]any{"group_by": nil}), map[string][]string{"group_by": {"This field is required."}}},
		{"no start", tb.body("entry", map[string]any{"date_after": nil}), map[string][]string{"date_after": {"This field is required."}}},
		{"bad date", tb.body("entry", map[string]any{"date_before": "2026-02-30"}),
			map[string][]string{"date_before": {"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}},
		{"unknown field", tb.body("entry", map[string]any{"rate": "100.00"}), map[string][]string{"rate": {"Unknown field."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.WantOnly(t, s.generate(t, tb.owner, tc.body), tc.want)
		})
	}
	// Nothing was billed by the refused calls.
	s.wantEntries(t, tb.owner, "", tb.billable...)
}

// Ten generate calls over the same range at once bill every entry exactly once: the created
// invoices' quantities add up to the hours seeded, each entry names one of them, and the
// other calls find nothing to bill.
func TestConcurrentGenerateBillsEachEntryOnce(t *testing.T) {
	t.Parallel()
	const calls, entries = 10, 240
	s := startServer(t)
	b := s.newBooks(t)
	s.seedEntries(t, b.firm.ID, b.project, b.users[roleConsultant].ID, "2026-02-10", entries/2)
	s.seedEntries(t, b.firm.ID, b.project, b.users[roleOwner].ID, "2026-02-11", entries/2)
	body := map[string]any{"client": b.client, "project": b.project, "date_after": "2026-02-01",
		"date_before": "2026-02-28", "group_by": "user"}

	s.warmWriters(t, b, calls)
	billers := []string{roleOwner, roleAdmin, roleAccountant, roleManager} // the manager manages the project
	responses := concurrently(t, calls, func(i int) (*response, error) {
		return s.try(http.MethodPost, generatePath, b.users[billers[i%len(billers)]].Token, body)
	})
	created := map[string]bool{}
	var hours, subtotal money.Amount // hundredths of an hour; cents
	perInvoice := map[string]money.Amount{}
	for _, r := range responses {
		switch r.Status {
		case http.StatusCreated:
			var inv invoice
			testkit.Decode(t, r, &inv)
			created[inv.ID] = true
			for _, l := range inv.LineItems {
				hours += usd(t, l.Quantity)
				perInvoice[inv.ID] += usd(t, l.Quantity)
			}
			subtotal += usd(t, inv.Subtotal)
		default:
			testkit.WantOnly(t, r, map[string][]string{nonField: {msgNothingToBill}})
		}
	}
	if len(created) == 0 {
		t.Fatal("no call created an invoice")
	}
	if hours != entries*100 || subtotal != entries*10000 {
		t.Errorf("created invoices bill %s h for %s, want %d.00 h for %s", fmtUSD(hours), fmtUSD(subtotal), entries, fmtUSD(entries*10000))
	}
	rows := s.projectEntries(t, b.owner, b.project)
	if len(rows) != entries {
		t.Fatalf("%d entries listed, want %d", len(rows), entries)
	}
	billed := map[string]money.Amount{}
	for _, e := range rows {
		if !e.Invoiced || e.Invoice == nil || !created[*e.Invoice] {
			t.Fatalf("entry %s: invoiced=%v invoice=%s, want one of the %d created invoices", e.ID, e.Invoiced, deref(e.Invoice), len(created))
		}
		billed[*e.Invoice] += usd(t, e.Hours)
	}
	for id, h := range perInvoice {
		if billed[id] != h {
			t.Errorf("invoice %s bills %s h but %s h of entries name it", id, fmtUSD(h), fmtUSD(billed[id]))
		}
	}
	t.Logf("%d of %d calls created an invoice", len(created), calls)
	testkit.WantOnly(t, s.generate(t, b.owner, body), map[string][]string{nonField: {msgNothingToBill}})
}
