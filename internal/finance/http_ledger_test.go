package finance_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6 ledger: manual journal entries by owners, admins and accountants must balance;
// entries are immutable and corrected by a reversal, once, and only manual ones.

func TestManualJournalEntry(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	acc := b.users[roleAccountant]
	ids := s.accountIDs(t, b.owner)

	r := s.Do(t, http.MethodPost, journalPath, acc.Token, manualEntry("Owner contribution",
		map[string]any{"account": ids["cash"], "debit": "250.00", "memo": "Deposit"}, credit(ids["equity"], "250")))
	testkit.WantStatus(t, r, http.StatusCreated)
	var e journalEntry
	testkit.Decode(t, r, &e)
	if e.Source != "manual" || e.Memo != "Owner contribution" || e.Date != "2026-03-10" || deref(e.CreatedBy) != acc.ID ||
		e.Reverses != nil || e.ReversedBy != nil || e.Invoice != nil {
		t.Errorf("manual entry: %+v", e)
	}
	if got, want := sides(e), []string{"1000 D 250.00", "3000 C 250.00"}; !slices.Equal(got, want) {
		t.Errorf("lines %v, want %v", got, want)
	}
	if e.Lines[0].AccountName != "Cash" || e.Lines[0].Memo != "Deposit" || e.Lines[0].Currency != "USD" || e.Lines[0].Account != ids["cash"] {
		t.Errorf("first line: %+v", e.Lines[0])
	}
	if got := s.getJournalEntry(t, b.owner, e.ID); !slices.Equal(sides(got), sides(e)) || got.Memo != e.Memo {
		t.Errorf("stored entry differs: %+v", got)
	}
	bal := s.accountBalances(t, b.owner)
	if bal["cash"] != "250.00" || bal["equity"] != "250.00" {
		t.Errorf("balances: cash %s equity %s", bal["cash"], bal["equity"])
	}
	// Dated in the past, three lines, by an admin: balances as of a date see it from then.
	three := s.postEntry(t, b.users[roleAdmin].Token, map[string]any{"memo": "Prepaid travel", "date": "2026-01-15", "lines": []map[string]any{
		debit(ids["expense:travel"], "120.00"), debit(ids["expense:office"], "30.00"), credit(ids["cash"], "150.00")}})
	if three.Date != "2026-01-15" || len(three.Lines) != 3 {
		t.Errorf("three-line entry: %+v", three)
	}
	_, asOf := testkit.ListOf[account](t, s.API, b.owner, accountsPath, "as_of=2026-02-01&type=asset")
	for _, a := range asOf {
		if deref(a.SystemKey) == "cash" && (len(a.Balances) != 1 || a.Balances[0].Balance != "-150.00") {
			t.Errorf("cash as of 2026-02-01: %+v, want -150.00", a.Balances)
		}
	}

	for _, tc := range []struct {
		name  string
		lines []map[string]any
		want  string
	}{
		{"unbalanced", []map[string]any{debit(ids["cash"], "100.00"), credit(ids["revenue"], "99.99")}, msgUnbalanced},
		{"unbalanced three lines", []map[string]any{debit(ids["cash"], "100.00"), credit(ids["revenue"], "60.00"), credit(ids["sales_tax"], "30.00")}, msgUnbalanced},
		{"a line with both sides", []map[string]any{{"account": ids["cash"], "debit": "10.00", "credit": "10.00"}, credit(ids["revenue"], "0")}, msgLineSide},
		{"a line with neither", []map[string]any{{"account": ids["cash"]}, credit(ids["revenue"], "10.00")}, msgLineSide},
		{"an unknown account", []map[string]any{debit(unknownID, "10.00"), credit(ids["revenue"], "10.00")}, msgLineAccount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.WantOnly(t, s.Do(t, http.MethodPost, journalPath, acc.Token, manualEntry("Wrong", tc.lines...)),
				map[string][]string{"lines": {tc.want}})
		})
	}
	// Only owners, admins and accountants post.
	for _, role := range []string{roleManager, roleConsultant} {
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, journalPath, b.users[role].Token,
			manualEntry("Not mine to post", debit(ids["cash"], "1.00"), credit(ids["equity"], "1.00"))))
	}
	if got := s.entriesOf(t, b.owner, "source=manual"); len(got) != 2 {
		t.Errorf("%d manual entries, want 2 (refused ones post nothing)", len(got))
	}
	if bal := s.accountBalances(t, b.owner); bal["cash"] != "100.00" || bal["revenue"] != "0.00" {
		t.Errorf("balances after refused entries: cash %s revenue %s", bal["cash"], bal["revenue"])
	}
}

func TestReverseJournalEntry(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	acc := b.users[roleAccountant]
	ids := s.accountIDs(t, b.owner)
	e := s.postEntry(t, b.owner, map[string]any{"memo": "Misposted fee", "date": "2026-03-01", "lines": []map[string]any{
		debit(ids["expense:professional_services"], "75.00"), credit(ids["cash"], "75.00")}})

	for _, role := range []string{roleManager, roleConsultant} {
		testkit.WantForbidden(t, s.reverse(t, b.users[role].Token, e.ID))
	}
	r := s.reverse(t, acc.Token, e.ID)
	testkit.WantStatus(t, r, http.StatusCreated)
	var rev journalEntry
	testkit.Decode(t, r, &rev)
	if rev.Source != "reversal" || deref(rev.Reverses) != e.ID || rev.Date != "2026-03-10" || rev.Memo != "Reversal of: Misposted fee" ||
		deref(rev.CreatedBy) != acc.ID {
		t.Errorf("reversal: %+v", rev)
	}
	if got, want := sides(rev), []string{"5050 C 75.00", "1000 D 75.00"}; !slices.Equal(got, want) {
		t.Errorf("reversal lines %v, want %v (the original's, sides swapped)", got, want)
	}
	if got := s.getJournalEntry(t, b.owner, e.ID); deref(got.ReversedBy) != rev.ID || !slices.Equal(sides(got), sides(e)) {
		t.Errorf("original after reversal: reversed_by %s lines %v", deref(got.ReversedBy), sides(got))
	}
	if bal := s.accountBalances(t, b.owner); bal["cash"] != "0.00" || bal["expense:professional_services"] != "0.00" {
		t.Errorf("balances after reversal: cash %s fees %s", bal["cash"], bal["expense:professional_services"])
	}
	testkit.WantOnly(t, s.reverse(t, acc.Token, e.ID), map[string][]string{nonField: {msgAlreadyReversed}})
	testkit.WantOnly(t, s.reverse(t, acc.Token, rev.ID), map[string][]string{nonField: {msgReverseManual}})

	// Automatic postings are corrected through their invoice, payment or bill.
	inv := s.sentInvoice(t, b, nil)
	pmt := s.paid(t, b.owner, inv.ID, map[string]any{"amount": "100.00"})
	bl := s.approvedBill(t, b.owner, nil)
	for _, q := range []string{"source=invoice&invoice=" + inv.ID, "source=payment&payment=" + pmt.ID, "source=bill&bill=" + bl.ID} {
		auto := s.entriesOf(t, b.owner, q)
		if len(auto) != 1 {
			t.Fatalf("%s: %d entries, want 1", q, len(auto))
		}
		testkit.WantOnly(t, s.reverse(t, b.owner, auto[0].ID), map[string][]string{nonField: {msgReverseManual}})
		if got := s.getJournalEntry(t, b.owner, auto[0].ID); got.ReversedBy != nil {
			t.Errorf("%s: automatic entry reversed", q)
		}
	}
	if got := s.entriesOf(t, b.owner, "source=reversal"); len(got) != 1 {
		t.Errorf("%d reversals, want 1", len(got))
	}
}

// Reversals sent at once: exactly one is posted, the others are told the entry is reversed.
func TestConcurrentReversalsPostOne(t *testing.T) {
	t.Parallel()
	const n = 8
	s := startServer(t)
	b := s.newBooks(t)
	ids := s.accountIDs(t, b.owner)
	e := s.postEntry(t, b.owner, manualEntry("Once only", debit(ids["cash"], "42.00"), credit(ids["equity"], "42.00")))

	s.warmWriters(t, b, n)
	responses := concurrently(t, n, func(int) (*response, error) {
		return s.try(http.MethodPost, journalEntryPath(e.ID)+"reverse/", b.owner, nil)
	})
	posted := 0
	for _, r := range responses {
		if r.Status == http.StatusCreated {
			posted++
			continue
		}
		testkit.WantOnly(t, r, map[string][]string{nonField: {msgAlreadyReversed}})
	}
	if posted != 1 {
		t.Errorf("%d reversals posted, want 1", posted)
	}
	if got := s.entriesOf(t, b.owner, "source=reversal"); len(got) != 1 {
		t.Errorf("%d reversals stored, want 1", len(got))
	}
	if bal := s.accountBalances(t, b.owner); bal["cash"] != "0.00" || bal["equity"] != "0.00" {
		t.Errorf("balances: cash %s equity %s", bal["cash"], bal["equity"])
	}
}

func TestLedgerAccounts(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	ids := s.accountIDs(t, b.owner)
	for _, key := range []string{"cash", "stripe_clearing", "receivable", "payable", "sales_tax", "equity", "revenue",
		"expense:subcontractors", "expense:software", "expense:travel", "expense:office", "expense:marketing",
		"expense:professional_services", "expense:utilities", "expense:other"} {
		if ids[key] == "" {
			t.Errorf("the seeded chart lacks %s", key)
		}
	}
	r := s.Do(t, http.MethodPost, accountsPath, b.users[roleAccountant].Token, map[string]any{"code": "6100", "name": "Training", "type": "expense"})
	testkit.WantStatus(t, r, http.StatusCreated)
	var a account
	testkit.Decode(t, r, &a)
	if a.Code != "6100" || a.Name != "Training" || a.Type != "expense" || a.SystemKey != nil {
		t.Errorf("new account: %+v", a)
	}
	testkit.WantOnly(t, s.Do(t, http.MethodPost, accountsPath, b.owner, map[string]any{"code": "6100", "name": "Again", "type": "expense"}),
		map[string][]string{"code": {"An account with this code already exists."}})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, accountsPath, b.owner, map[string]any{"code": "6200", "name": "Odd", "type": "income"}),
		map[string][]string{"type": {`"income" is not a valid choice.`}})
	// Another firm may use the code; its chart is its own.
	other := s.newBooks(t)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, accountsPath, other.owner, map[string]any{"code": "6100", "name": "Training", "type": "expense"}), http.StatusCreated)
	if theirs := s.accountIDs(t, other.owner)["6100"]; theirs == "" || theirs == a.ID || s.accountIDs(t, b.owner)["6100"] != a.ID {
		t.Errorf("each firm has its own 6100: ours %s, theirs %q", a.ID, theirs)
	}
	// A manual entry may post to it.
	s.postEntry(t, b.owner, manualEntry("Course", debit(a.ID, "300.00"), credit(ids["cash"], "300.00")))
	if bal := s.accountBalances(t, b.owner); bal["6100"] != "300.00" {
		t.Errorf("Training balance %s, want 300.00", bal["6100"])
	}
}
