package finance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6 bills: BILL-YYYY-NNN on creation; approval stamps approved_by/approved_at and posts
// the expense; payments only on approved bills; disputes from received or approved.

func TestBillNumbering(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC))
	b := s.newBooks(t)
	acc := b.users[roleAccountant].Token

	first := s.createBill(t, acc, billBody(map[string]any{"reference_number": "BILL-1999-999", "bill_number": "V-77"}))
	second := s.createBill(t, b.owner, billBody(nil))
	if first.ReferenceNumber != "BILL-2026-001" || second.ReferenceNumber != "BILL-2026-002" {
		t.Errorf("references %s, %s; want BILL-2026-001, BILL-2026-002", first.ReferenceNumber, second.ReferenceNumber)
	}
	if first.Status != "received" || first.BillDate != "2026-12-31" || first.DueDate != "2027-01-30" || first.TotalAmount != "1080.00" ||
		first.BalanceDue != "1080.00" || first.ApprovedBy != nil || first.ApprovedAt != nil || first.Currency != "USD" {
		t.Errorf("new bill: %+v", first)
	}
	// A deleted bill keeps its number; the next one follows.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, billPath(second.ID), acc, nil), http.StatusNoContent)
	if third := s.createBill(t, acc, billBody(nil)); third.ReferenceNumber != "BILL-2026-003" {
		t.Errorf("after a deletion: %s, want BILL-2026-003", third.ReferenceNumber)
	}
	// Bills and invoices count apart.
	if inv := s.sentInvoice(t, b, nil); deref(inv.InvoiceNumber) != "INV-2026-001" {
		t.Errorf("first invoice after three bills: %s", deref(inv.InvoiceNumber))
	}
	// The year is the firm's: already 2027 in Auckland.
	nz := s.newBooks(t)
	nz.firm.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
	if got := s.createBill(t, nz.owner, billBody(nil)); got.ReferenceNumber != "BILL-2027-001" || got.BillDate != "2027-01-01" {
		t.Errorf("Auckland firm's bill: %s dated %s; want BILL-2027-001 dated 2027-01-01", got.ReferenceNumber, got.BillDate)
	}
}

func TestBillApproval(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	acc := b.users[roleAccountant]
	bl := s.createBill(t, b.owner, billBody(map[string]any{"expense_category": "travel"}))

	r := s.approveBill(t, acc.Token, bl.ID)
	testkit.WantStatus(t, r, http.StatusOK)
	var got bill
	testkit.Decode(t, r, &got)
	if got.Status != "approved" || deref(got.ApprovedBy) != acc.ID || deref(got.ApprovedByName) != acc.Name ||
		deref(got.ApprovedAt) != "2026-03-10T12:00:00Z" || got.BalanceDue != "1080.00" {
		t.Errorf("approved: status %s by %s (%s) at %s", got.Status, deref(got.ApprovedBy), deref(got.ApprovedByName), deref(got.ApprovedAt))
	}
	bal := s.accountBalances(t, b.owner)
	if bal["expense:travel"] != "1080.00" || bal["payable"] != "1080.00" {
		t.Errorf("approval posting: travel %s payable %s", bal["expense:travel"], bal["payable"])
	}
	// A second approval is refused and changes nothing: not the approver, not the books.
	s.Clock.Advance(10 * time.Minute)
	testkit.WantOnly(t, s.approveBill(t, b.owner, bl.ID), map[string][]string{"status": {msgBillApproved}})
	if again := s.getBill(t, b.owner, bl.ID); deref(again.ApprovedBy) != acc.ID || deref(again.ApprovedAt) != "2026-03-10T12:00:00Z" {
		t.Errorf("after a refused approval: by %s at %s", deref(again.ApprovedBy), deref(again.ApprovedAt))
	}
	if bal := s.accountBalances(t, b.owner); bal["payable"] != "1080.00" {
		t.Errorf("payable after a refused approval: %s", bal["payable"])
	}
	// Once approved its amounts are fixed; its description is not; it is never deleted.
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, billPath(bl.ID), b.owner, map[string]any{"subtotal": "900.00"}),
		map[string][]string{"total_amount": {msgBillLocked}})
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, billPath(bl.ID), b.owner, map[string]any{"description": "Flights"}), http.StatusOK)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, billPath(bl.ID), b.owner, nil), msgBillDelete)
}

func TestBillPayments(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	received := s.createBill(t, b.owner, billBody(nil))
	testkit.WantOnly(t, s.payBill(t, b.owner, received.ID, map[string]any{"amount": "10.00"}),
		map[string][]string{nonField: {msgBillNotPayable}})

	bl := s.approvedBill(t, b.owner, nil) // 1080.00
	testkit.WantOnly(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "1080.01"}), map[string][]string{"amount": {msgPaymentExceeds}})
	testkit.WantOnly(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "0"}), map[string][]string{"amount": {msgAmountPositive}})
	r := s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "480.00", "method": "bank_transfer"})
	testkit.WantStatus(t, r, http.StatusCreated)
	var p payment
	testkit.Decode(t, r, &p)
	if deref(p.Bill) != bl.ID || deref(p.BillReference) != bl.ReferenceNumber || p.Invoice != nil || p.Amount != "480.00" || p.Kind != "payment" {
		t.Errorf("bill payment: %+v", p)
	}
	got := s.getBill(t, b.owner, bl.ID)
	if got.Status != "partial" || got.AmountPaid != "480.00" || got.BalanceDue != "600.00" || got.PaidDate != nil {
		t.Errorf("after 480.00: %s paid %s balance %s", got.Status, got.AmountPaid, got.BalanceDue)
	}
	testkit.WantStatus(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "600.00", "received_on": "2026-03-09"}), http.StatusCreated)
	got = s.getBill(t, b.owner, bl.ID)
	if got.Status != "paid" || got.AmountPaid != "1080.00" || got.BalanceDue != "0.00" || deref(got.PaidDate) != "2026-03-09" {
		t.Errorf("paid: %s paid %s balance %s on %s", got.Status, got.AmountPaid, got.BalanceDue, deref(got.PaidDate))
	}
	testkit.WantOnly(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "0.01"}), map[string][]string{"amount": {msgPaymentExceeds}})
	bal := s.accountBalances(t, b.owner)
	if bal["payable"] != "0.00" || bal["cash"] != "-1080.00" || bal["expense:software"] != "1080.00" {
		t.Errorf("ledger: payable %s cash %s software %s", bal["payable"], bal["cash"], bal["expense:software"])
	}
	if page, _ := testkit.ListOf[payment](t, s.API, b.owner, billPath(bl.ID)+"payments/", ""); page.Count != 2 {
		t.Errorf("the bill lists %d payments, want 2", page.Count)
	}
	if page, _ := testkit.ListOf[payment](t, s.API, b.owner, billPath(received.ID)+"payments/", ""); page.Count != 0 {
		t.Errorf("the received bill lists %d payments", page.Count)
	}
}

// A bill is disputed while received or approved, and settled back to where it was; a disputed
// bill takes no payment.
func TestBillDisputes(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	patch := func(id, status string) *response {
		return s.Do(t, http.MethodPatch, billPath(id), b.owner, map[string]any{"status": status})
	}
	wantStatus := func(id, status string) bill {
		t.Helper()
		got := s.getBill(t, b.owner, id)
		if got.Status != status {
			t.Errorf("bill %s is %s, want %s", got.ReferenceNumber, got.Status, status)
		}
		return got
	}

	t.Run("received", func(t *testing.T) {
		bl := s.createBill(t, b.owner, billBody(nil))
		testkit.WantOnly(t, patch(bl.ID, "approved"), map[string][]string{"status": {statusMsg("received", "approved")}})
		testkit.WantStatus(t, patch(bl.ID, "disputed"), http.StatusOK)
		wantStatus(bl.ID, "disputed")
		testkit.WantOnly(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "1.00"}), map[string][]string{nonField: {msgBillNotPayable}})
		// Never approved: the dispute settles back to received, not to approved.
		testkit.WantOnly(t, patch(bl.ID, "approved"), map[string][]string{"status": {statusMsg("disputed", "approved")}})
		testkit.WantStatus(t, patch(bl.ID, "received"), http.StatusOK)
		testkit.WantStatus(t, patch(bl.ID, "disputed"), http.StatusOK)
		// A disputed bill may still be approved.
		testkit.WantStatus(t, s.approveBill(t, b.owner, bl.ID), http.StatusOK)
		if got := wantStatus(bl.ID, "approved"); got.ApprovedBy == nil {
			t.Errorf("approved from disputed without approved_by")
		}
	})
	t.Run("approved", func(t *testing.T) {
		bl := s.approvedBill(t, b.owner, nil)
		testkit.WantStatus(t, patch(bl.ID, "disputed"), http.StatusOK)
		got := wantStatus(bl.ID, "disputed")
		if deref(got.ApprovedBy) != b.users[roleOwner].ID {
			t.Errorf("a dispute dropped the approval: %s", deref(got.ApprovedBy))
		}
		testkit.WantOnly(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "1.00"}), map[string][]string{nonField: {msgBillNotPayable}})
		testkit.WantOnly(t, s.approveBill(t, b.owner, bl.ID), map[string][]string{"status": {msgBillApproved}})
		testkit.WantOnly(t, patch(bl.ID, "received"), map[string][]string{"status": {statusMsg("disputed", "received")}})
		testkit.WantStatus(t, patch(bl.ID, "approved"), http.StatusOK)
		wantStatus(bl.ID, "approved")
		testkit.WantStatus(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "1.00"}), http.StatusCreated)
		// Partly paid, then paid: no dispute any more.
		testkit.WantOnly(t, patch(bl.ID, "disputed"), map[string][]string{"status": {statusMsg("partial", "disputed")}})
		testkit.WantStatus(t, s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "1079.00"}), http.StatusCreated)
		testkit.WantOnly(t, patch(bl.ID, "disputed"), map[string][]string{"status": {statusMsg("paid", "disputed")}})
		testkit.WantOnly(t, patch(bl.ID, "approved"), map[string][]string{"status": {statusMsg("paid", "approved")}})
		wantStatus(bl.ID, "paid")
	})
	t.Run("created disputed", func(t *testing.T) {
		r := s.Do(t, http.MethodPost, billsPath, b.owner, billBody(map[string]any{"status": "disputed"}))
		testkit.WantStatus(t, r, http.StatusCreated)
		var bl bill
		testkit.Decode(t, r, &bl)
		if bl.Status != "disputed" {
			t.Errorf("created as %s", bl.Status)
		}
		testkit.WantOnly(t, s.Do(t, http.MethodPost, billsPath, b.owner, billBody(map[string]any{"status": "approved"})),
			map[string][]string{"status": {statusMsg("received", "approved")}})
	})
}

func TestBillValidation(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	for _, tc := range []struct {
		name string
		body map[string]any
		want map[string][]string
	}{
		{"due before bill date", billBody(map[string]any{"bill_date": "2026-03-01", "due_date": "2026-02-28"}),
			map[string][]string{"due_date": {msgBillDueDate}}},
		{"zero total", billBody(map[string]any{"subtotal": "0", "tax_amount": nil}),
			map[string][]string{"total_amount": {msgTotalPositive}}},
		{"total that does not add up", billBody(map[string]any{"total_amount": "1000.00"}),
			map[string][]string{"total_amount": {"Total amount does not match subtotal + tax"}}},
		{"no vendor", billBody(map[string]any{"vendor_name": nil}), map[string][]string{"vendor_name": {"This field is required."}}},
		{"unknown category", billBody(map[string]any{"expense_category": "yachts"}),
			map[string][]string{"expense_category": {`"yachts" is not a valid choice.`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.WantOnly(t, s.Do(t, http.MethodPost, billsPath, b.owner, tc.body), tc.want)
		})
	}
	if page, _ := testkit.ListOf[bill](t, s.API, b.owner, billsPath, ""); page.Count != 0 {
		t.Errorf("%d bills recorded by refused requests", page.Count)
	}
	// Lines make the subtotal.
	bl := s.createBill(t, b.owner, billBody(map[string]any{"subtotal": nil, "tax_amount": "10.00", "line_items": []map[string]any{
		{"description": "Licences", "quantity": "3", "rate": "49.99"}}}))
	if bl.Subtotal != "149.97" || bl.TotalAmount != "159.97" || len(bl.LineItems) != 1 || bl.LineItems[0].Amount != "149.97" {
		t.Errorf("bill with lines: subtotal %s total %s lines %+v", bl.Subtotal, bl.TotalAmount, bl.LineItems)
	}
}
