package finance_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6: INV-YYYY-NNN is allocated when an invoice is sent, per firm and year of the firm's
// time zone, without gaps; a draft has no number and may be deleted, a numbered invoice never.
// And the invoice's status machine.

var numberingNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestInvoiceNumbering(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)

	first := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"invoice_number": "INV-2026-999"}))
	second := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	for _, d := range []invoice{first, second} {
		if d.InvoiceNumber != nil || d.Status != "draft" || d.SentAt != nil {
			t.Fatalf("new draft: number %s status %s sent_at %s; want null, draft, null", deref(d.InvoiceNumber), d.Status, deref(d.SentAt))
		}
	}
	// Numbers follow the order of sending, not of creation.
	if got := s.sendInvoice(t, b.owner, second.ID); deref(got.InvoiceNumber) != "INV-2026-001" || deref(got.SentAt) != "2026-03-10T12:00:00Z" {
		t.Errorf("first sent: number %s sent_at %s; want INV-2026-001 at 2026-03-10T12:00:00Z", deref(got.InvoiceNumber), deref(got.SentAt))
	}
	if got := s.sendInvoice(t, b.owner, first.ID); deref(got.InvoiceNumber) != "INV-2026-002" {
		t.Errorf("second sent: %s, want INV-2026-002", deref(got.InvoiceNumber))
	}

	// Neither a deleted draft nor a refused or failed send takes a number.
	gone := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, invoicePath(gone.ID), b.owner, nil), http.StatusNoContent)
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, invoicePath(gone.ID), b.owner, nil))
	testkit.WantNotFound(t, s.invoiceAction(t, b.owner, gone.ID, "send"))
	testkit.WantValidation(t, s.invoiceAction(t, b.owner, first.ID, "send"), map[string][]string{"status": {statusMsg("sent", "sent")}})
	unmanaged := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"project": s.createProject(t, b.owner, b.client, nil)}))
	testkit.WantForbidden(t, s.invoiceAction(t, b.users[roleManager].Token, unmanaged.ID, "send"))
	cancelled := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	testkit.WantStatus(t, s.invoiceAction(t, b.owner, cancelled.ID, "cancel"), http.StatusOK)
	testkit.WantValidation(t, s.invoiceAction(t, b.owner, cancelled.ID, "send"), map[string][]string{"status": {statusMsg("cancelled", "sent")}})
	if got := s.sendInvoice(t, b.owner, unmanaged.ID); deref(got.InvoiceNumber) != "INV-2026-003" {
		t.Errorf("after a deleted draft and refused sends: %s, want INV-2026-003", deref(got.InvoiceNumber))
	}
	// An invoice created as sent is numbered at once.
	r := s.Do(t, http.MethodPost, invoicesPath, b.owner, b.invoiceBody(map[string]any{"status": "sent"}))
	testkit.WantStatus(t, r, http.StatusCreated)
	var direct invoice
	testkit.Decode(t, r, &direct)
	if direct.Status != "sent" || deref(direct.InvoiceNumber) != "INV-2026-004" || direct.SentAt == nil {
		t.Errorf("created as sent: %s %s sent_at %v", direct.Status, deref(direct.InvoiceNumber), direct.SentAt)
	}

	// Each firm counts from 1.
	other := s.newBooks(t)
	if got := s.sentInvoice(t, other, nil); deref(got.InvoiceNumber) != "INV-2026-001" {
		t.Errorf("another firm's first invoice: %s, want INV-2026-001", deref(got.InvoiceNumber))
	}

	// A numbered invoice is never deleted, even cancelled; the cancelled draft has no number.
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, invoicePath(first.ID), b.owner, nil), msgDraftDelete)
	testkit.WantStatus(t, s.invoiceAction(t, b.owner, first.ID, "cancel"), http.StatusOK)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, invoicePath(first.ID), b.owner, nil), msgDraftDelete)
	if got := s.getInvoice(t, b.owner, first.ID); got.Status != "cancelled" || deref(got.InvoiceNumber) != "INV-2026-002" {
		t.Errorf("cancelled numbered invoice: %s %s", got.Status, deref(got.InvoiceNumber))
	}
	if got := s.getInvoice(t, b.owner, cancelled.ID); got.InvoiceNumber != nil {
		t.Errorf("cancelled draft has number %s", *got.InvoiceNumber)
	}
	_, rows := testkit.ListOf[invoice](t, s.API, b.owner, invoicesPath, "ordering=invoice_number&page_size=200")
	var numbers []string
	for _, inv := range rows {
		if inv.InvoiceNumber != nil {
			numbers = append(numbers, *inv.InvoiceNumber)
		}
	}
	if want := []string{"INV-2026-001", "INV-2026-002", "INV-2026-003", "INV-2026-004"}; !slices.Equal(numbers, want) {
		t.Errorf("the firm's numbers: %v, want %v", numbers, want)
	}
}

// Deleting a generated draft releases its time entries: they are unbilled and editable again.
func TestDeleteDraftReleasesTimeEntries(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	e1 := s.logTime(t, b.owner, b.project, "2026-03-02", "2.00", nil)
	e2 := s.logTime(t, b.owner, b.project, "2026-03-03", "1.50", nil)
	inv := s.generated(t, b.owner, map[string]any{"client": b.client, "project": b.project,
		"date_after": "2026-03-01", "date_before": "2026-03-09", "group_by": "project"})
	s.wantEntries(t, b.owner, inv.ID, e1, e2)
	testkit.WantValidation(t, s.Do(t, http.MethodPatch, entryPath(e1), b.owner, map[string]any{"hours": "3.00"}),
		map[string][]string{nonField: {msgEntryInvoiced}})
	testkit.WantValidation(t, s.Do(t, http.MethodDelete, entryPath(e2), b.owner, nil),
		map[string][]string{nonField: {msgEntryInvoiced}})

	r := s.Do(t, http.MethodDelete, invoicePath(inv.ID), b.owner, nil)
	testkit.WantStatus(t, r, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, invoicePath(inv.ID), b.owner, nil))
	s.wantEntries(t, b.owner, "", e1, e2)
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, entryPath(e1), b.owner, map[string]any{"hours": "3.00"}), http.StatusOK)
	// And they can be billed again, with the change.
	again := s.generated(t, b.owner, map[string]any{"client": b.client, "project": b.project,
		"date_after": "2026-03-01", "date_before": "2026-03-09", "group_by": "project"})
	if again.Subtotal != "675.00" || len(again.LineItems) != 1 || again.LineItems[0].Quantity != "4.50" {
		t.Errorf("billed again: subtotal %s lines %+v; want 4.50 h = 675.00", again.Subtotal, again.LineItems)
	}
	s.wantEntries(t, b.owner, again.ID, e1, e2)
}

// 50 drafts sent at once get 001–050: no gaps, no duplicates.
func TestConcurrentSendsNumberWithoutGaps(t *testing.T) {
	t.Parallel()
	const n = 50
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	drafts := make([]string, n)
	for i := range drafts {
		drafts[i] = s.createInvoice(t, b.owner, b.invoiceBody(nil)).ID
	}
	s.warmWriters(t, b, n)
	responses := concurrently(t, n, func(i int) (*response, error) {
		return s.try(http.MethodPost, invoicePath(drafts[i])+"send/", b.owner, nil)
	})
	byNumber := map[string]string{}
	for i, r := range responses {
		testkit.WantStatus(t, r, http.StatusOK)
		var inv invoice
		testkit.Decode(t, r, &inv)
		if inv.ID != drafts[i] || inv.Status != "sent" || inv.InvoiceNumber == nil {
			t.Fatalf("send %d: %+v", i, inv)
		}
		if prev, dup := byNumber[*inv.InvoiceNumber]; dup {
			t.Errorf("%s given to %s and %s", *inv.InvoiceNumber, prev, inv.ID)
		}
		byNumber[*inv.InvoiceNumber] = inv.ID
	}
	for i := 1; i <= n; i++ {
		if _, ok := byNumber[fmt.Sprintf("INV-2026-%03d", i)]; !ok {
			t.Errorf("INV-2026-%03d was not given", i)
		}
	}
	if len(byNumber) != n {
		t.Errorf("%d distinct numbers, want %d", len(byNumber), n)
	}
	// What the answers said is what is stored.
	_, rows := testkit.ListOf[invoice](t, s.API, b.owner, invoicesPath, "status=sent&page_size=200")
	for _, inv := range rows {
		if byNumber[deref(inv.InvoiceNumber)] != inv.ID {
			t.Errorf("stored %s on %s, answered on %s", deref(inv.InvoiceNumber), inv.ID, byNumber[deref(inv.InvoiceNumber)])
		}
	}
	if len(rows) != n {
		t.Errorf("%d sent invoices listed, want %d", len(rows), n)
	}
}

// The year of a number is the firm's: at 2026-12-31T12:00Z it is already 2027 in Auckland and
// still 2026 in UTC and Los Angeles; each firm's count restarts with its new year.
func TestInvoiceNumberYearOfFirmTimeZone(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC))
	auckland, utc, la := s.newBooks(t), s.newBooks(t), s.newBooks(t)
	auckland.firm.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
	la.firm.Settings(t, map[string]any{"timezone": "America/Los_Angeles"})

	for _, tc := range []struct {
		name         string
		b            *books
		issue, numer string
	}{
		{"Auckland", auckland, "2027-01-01", "INV-2027-001"},
		{"UTC", utc, "2026-12-31", "INV-2026-001"},
		{"Los Angeles", la, "2026-12-31", "INV-2026-001"},
	} {
		draft := s.createInvoice(t, tc.b.owner, tc.b.invoiceBody(nil))
		got := s.sendInvoice(t, tc.b.owner, draft.ID)
		if draft.IssueDate != tc.issue || deref(got.InvoiceNumber) != tc.numer {
			t.Errorf("%s: issued %s, number %s; want %s, %s", tc.name, draft.IssueDate, deref(got.InvoiceNumber), tc.issue, tc.numer)
		}
	}

	// Half an hour into 2027 in UTC: the UTC firm starts 2027 at 001, Auckland goes on.
	s.Clock.Set(time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC))
	for _, tc := range []struct {
		name  string
		b     *books
		numer string
	}{
		{"UTC", utc, "INV-2027-001"},
		{"Auckland", auckland, "INV-2027-002"},
		{"Los Angeles", la, "INV-2026-002"},
	} {
		token := s.Login(t, tc.b.firm.Owner.Username, testkit.Password) // the old token expired
		got := s.sendInvoice(t, token, s.createInvoice(t, token, tc.b.invoiceBody(nil)).ID)
		if deref(got.InvoiceNumber) != tc.numer {
			t.Errorf("%s in the new year: %s, want %s", tc.name, deref(got.InvoiceNumber), tc.numer)
		}
	}
}

// invoiceStates makes one invoice of the books in each status payments and actions reach.
func (s *apiServer) invoiceStates(t *testing.T, b *books) map[string]string {
	t.Helper()
	ids := map[string]string{"draft": s.createInvoice(t, b.owner, b.invoiceBody(nil)).ID}
	ids["sent"] = s.sentInvoice(t, b, nil).ID
	ids["partial"] = s.sentInvoice(t, b, nil).ID
	s.paid(t, b.owner, ids["partial"], map[string]any{"amount": "500.00"})
	ids["paid"] = s.sentInvoice(t, b, nil).ID
	s.paid(t, b.owner, ids["paid"], map[string]any{"amount": "1500.00"})
	ids["cancelled"] = s.sentInvoice(t, b, nil).ID
	testkit.WantStatus(t, s.invoiceAction(t, b.owner, ids["cancelled"], "cancel"), http.StatusOK)
	ids["refunded"] = s.sentInvoice(t, b, nil).ID
	s.paid(t, b.owner, ids["refunded"], map[string]any{"amount": "1500.00"})
	s.paid(t, b.owner, ids["refunded"], map[string]any{"amount": "1500.00", "kind": "refund"})
	for status, id := range ids {
		if got := s.getInvoice(t, b.owner, id); got.Status != status {
			t.Fatalf("setting up a %s invoice: it is %s", status, got.Status)
		}
	}
	return ids
}

// SPEC §6: illegal status moves are 400 on status with the exact message, whether asked by
// PATCH or by an action, and change nothing.
func TestInvoiceIllegalStatusMoves(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	ids := s.invoiceStates(t, b)
	before := map[string]invoice{}
	for status, id := range ids {
		before[status] = s.getInvoice(t, b.owner, id)
	}

	for _, tc := range []struct{ from, to, msg string }{
		{"paid", "draft", statusMsg("paid", "draft")},
		{"paid", "sent", statusMsg("paid", "sent")},
		{"paid", "cancelled", statusMsg("paid", "cancelled")},
		{"paid", "refunded", statusMsg("paid", "refunded")},
		{"draft", "paid", statusMsg("draft", "paid")},
		{"draft", "partial", statusMsg("draft", "partial")},
		{"draft", "overdue", statusMsg("draft", "overdue")},
		{"draft", "refunded", statusMsg("draft", "refunded")},
		{"sent", "draft", statusMsg("sent", "draft")},
		{"sent", "paid", statusMsg("sent", "paid")},
		{"sent", "partial", statusMsg("sent", "partial")},
		{"partial", "cancelled", msgCancelPaid},
		{"partial", "sent", statusMsg("partial", "sent")},
		{"cancelled", "sent", statusMsg("cancelled", "sent")},
		{"cancelled", "draft", statusMsg("cancelled", "draft")},
		{"refunded", "sent", statusMsg("refunded", "sent")},
		{"refunded", "cancelled", statusMsg("refunded", "cancelled")},
	} {
		r := s.patchInvoice(t, b.owner, ids[tc.from], map[string]any{"status": tc.to})
		testkit.WantOnly(t, r, map[string][]string{"status": {tc.msg}})
	}
	for _, tc := range []struct{ from, action, msg string }{
		{"sent", "send", statusMsg("sent", "sent")},
		{"partial", "send", statusMsg("partial", "sent")},
		{"paid", "send", statusMsg("paid", "sent")},
		{"cancelled", "send", statusMsg("cancelled", "sent")},
		{"refunded", "send", statusMsg("refunded", "sent")},
		{"cancelled", "cancel", statusMsg("cancelled", "cancelled")},
		{"paid", "cancel", statusMsg("paid", "cancelled")},
		{"partial", "cancel", msgCancelPaid},
		{"refunded", "cancel", statusMsg("refunded", "cancelled")},
	} {
		testkit.WantOnly(t, s.invoiceAction(t, b.owner, ids[tc.from], tc.action), map[string][]string{"status": {tc.msg}})
	}
	for status, id := range ids {
		got := s.getInvoice(t, b.owner, id)
		want := before[status]
		if got.Status != want.Status || deref(got.InvoiceNumber) != deref(want.InvoiceNumber) || got.AmountPaid != want.AmountPaid || got.BalanceDue != want.BalanceDue {
			t.Errorf("%s invoice changed by refused moves: %+v, was %+v", status, got, want)
		}
	}
	// Amounts and lines are fixed once sent; notes are not.
	testkit.WantOnly(t, s.patchInvoice(t, b.owner, ids["sent"], map[string]any{"line_items": []map[string]any{
		{"description": "More", "quantity": "1", "rate": "1.00"}}}), map[string][]string{"line_items": {msgDraftOnly}})
	testkit.WantOnly(t, s.patchInvoice(t, b.owner, ids["sent"], map[string]any{"discount_amount": "10.00"}),
		map[string][]string{"discount_amount": {msgDraftOnly}})
	r := s.patchInvoice(t, b.owner, ids["sent"], map[string]any{"notes": "Thank you", "status": "sent"})
	testkit.WantStatus(t, r, http.StatusOK)
	var got invoice
	testkit.Decode(t, r, &got)
	if got.Notes != "Thank you" || got.Status != "sent" || got.TotalAmount != "1500.00" {
		t.Errorf("notes on a sent invoice: %+v", got)
	}
}

// PATCH status "sent" sends a draft as the action does; "cancelled" cancels it.
func TestInvoicePatchStatus(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	draft := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"tax_rate": "10"}))
	r := s.patchInvoice(t, b.owner, draft.ID, map[string]any{"status": "sent"})
	testkit.WantStatus(t, r, http.StatusOK)
	var sent invoice
	testkit.Decode(t, r, &sent)
	if sent.Status != "sent" || deref(sent.InvoiceNumber) != "INV-2026-001" || deref(sent.SentAt) != "2026-03-10T12:00:00Z" || sent.BalanceDue != "1650.00" {
		t.Errorf("PATCH status sent: %s %s sent_at %s balance %s", sent.Status, deref(sent.InvoiceNumber), deref(sent.SentAt), sent.BalanceDue)
	}
	bal := s.accountBalances(t, b.owner)
	if bal["receivable"] != "1650.00" || bal["revenue"] != "1500.00" || bal["sales_tax"] != "150.00" {
		t.Errorf("posting of a PATCH send: receivable %s revenue %s tax %s", bal["receivable"], bal["revenue"], bal["sales_tax"])
	}
	// A draft's status and lines change together: the new lines are what is sent.
	d2 := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	r = s.patchInvoice(t, b.owner, d2.ID, map[string]any{"status": "sent", "line_items": []map[string]any{
		{"description": "Strategy workshop", "quantity": "2", "rate": "150.00"}}})
	testkit.WantStatus(t, r, http.StatusOK)
	testkit.Decode(t, r, &sent)
	if deref(sent.InvoiceNumber) != "INV-2026-002" || sent.TotalAmount != "300.00" {
		t.Errorf("PATCH lines and status: %s total %s", deref(sent.InvoiceNumber), sent.TotalAmount)
	}
	if bal := s.accountBalances(t, b.owner); bal["receivable"] != "1950.00" {
		t.Errorf("receivable after the second send: %s, want 1950.00", bal["receivable"])
	}

	d3 := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	r = s.patchInvoice(t, b.owner, d3.ID, map[string]any{"status": "cancelled"})
	testkit.WantStatus(t, r, http.StatusOK)
	var cancelled invoice
	testkit.Decode(t, r, &cancelled)
	if cancelled.Status != "cancelled" || cancelled.InvoiceNumber != nil || cancelled.BalanceDue != "0.00" {
		t.Errorf("PATCH status cancelled on a draft: %s %v balance %s", cancelled.Status, cancelled.InvoiceNumber, cancelled.BalanceDue)
	}
	// A sent invoice cancelled by PATCH is reversed in the ledger.
	r = s.patchInvoice(t, b.owner, sent.ID, map[string]any{"status": "cancelled"})
	testkit.WantStatus(t, r, http.StatusOK)
	if bal := s.accountBalances(t, b.owner); bal["receivable"] != "1650.00" || bal["revenue"] != "1500.00" {
		t.Errorf("after cancelling the 300.00 invoice: receivable %s revenue %s", bal["receivable"], bal["revenue"])
	}
}

// Cancelling releases the invoice's time entries (editable and billable again), reverses its
// posting, and a cancelled invoice is never sent.
func TestCancelReleasesTimeEntries(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	e1 := s.logTime(t, b.owner, b.project, "2026-03-02", "4.00", nil)
	e2 := s.logTime(t, b.users[roleConsultant].Token, b.project, "2026-03-03", "2.00", nil)
	body := map[string]any{"client": b.client, "project": b.project, "date_after": "2026-03-01",
		"date_before": "2026-03-09", "group_by": "user"}
	inv := s.sendInvoice(t, b.owner, s.generated(t, b.owner, body).ID)
	if inv.TotalAmount != "900.00" {
		t.Fatalf("generated total %s, want 900.00", inv.TotalAmount)
	}
	testkit.WantValidation(t, s.Do(t, http.MethodPatch, entryPath(e2), b.users[roleConsultant].Token, map[string]any{"hours": "1.00"}),
		map[string][]string{nonField: {msgEntryInvoiced}})

	r := s.invoiceAction(t, b.owner, inv.ID, "cancel")
	testkit.WantStatus(t, r, http.StatusOK)
	var got invoice
	testkit.Decode(t, r, &got)
	if got.Status != "cancelled" || deref(got.InvoiceNumber) != "INV-2026-001" || got.BalanceDue != "0.00" {
		t.Errorf("cancelled: %s %s balance %s", got.Status, deref(got.InvoiceNumber), got.BalanceDue)
	}
	s.wantEntries(t, b.owner, "", e1, e2)
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, entryPath(e2), b.users[roleConsultant].Token, map[string]any{"hours": "1.00"}), http.StatusOK)
	if bal := s.accountBalances(t, b.owner); bal["receivable"] != "0.00" || bal["revenue"] != "0.00" {
		t.Errorf("after cancel: receivable %s revenue %s; want 0.00", bal["receivable"], bal["revenue"])
	}
	if void := s.entriesOf(t, b.owner, "source=invoice_void&invoice="+inv.ID); len(void) != 1 {
		t.Errorf("cancel posted %d reversals, want 1", len(void))
	}

	testkit.WantOnly(t, s.invoiceAction(t, b.owner, inv.ID, "send"), map[string][]string{"status": {statusMsg("cancelled", "sent")}})
	testkit.WantOnly(t, s.patchInvoice(t, b.owner, inv.ID, map[string]any{"status": "sent"}), map[string][]string{"status": {statusMsg("cancelled", "sent")}})
	testkit.WantOnly(t, s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1.00"}), map[string][]string{nonField: {fmt.Sprintf(msgNoPaymentOn, "cancelled")}})

	// The released time is billed anew, with the edit.
	again := s.generated(t, b.owner, body)
	if again.TotalAmount != "750.00" {
		t.Errorf("billed again: %s, want 750.00 (4.00 h + 1.00 h at 150.00)", again.TotalAmount)
	}
	s.wantEntries(t, b.owner, again.ID, e1, e2)
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "cancelled" {
		t.Errorf("the cancelled invoice is %s", got.Status)
	}
}
