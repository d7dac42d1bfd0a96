package finance_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestInvoiceLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"tax_rate": "8.25", "discount_amount": "100.00"}))
	if inv.Status != "draft" || inv.InvoiceNumber != nil {
		t.Fatalf("new invoice: status %q number %v; want draft, null", inv.Status, inv.InvoiceNumber)
	}
	// 1500.00 subtotal, 8.25 % tax = 123.75, minus 100.00 discount = 1523.75.
	if inv.Subtotal != "1500.00" || inv.TaxAmount != "123.75" || inv.TotalAmount != "1523.75" || inv.BalanceDue != "1523.75" {
		t.Fatalf("amounts: subtotal %s tax %s total %s balance %s", inv.Subtotal, inv.TaxAmount, inv.TotalAmount, inv.BalanceDue)
	}
	if len(inv.LineItems) != 1 || inv.LineItems[0].Amount != "1500.00" || inv.LineItems[0].Quantity != "10.00" {
		t.Fatalf("lines: %+v", inv.LineItems)
	}
	sent := s.sendInvoice(t, b.owner, inv.ID)
	if sent.Status != "sent" || sent.InvoiceNumber == nil || sent.SentAt == nil {
		t.Fatalf("sent invoice: %+v", sent)
	}
	bal := s.accountBalances(t, b.owner)
	if bal["receivable"] != "1523.75" || bal["revenue"] != "1400.00" || bal["sales_tax"] != "123.75" {
		t.Fatalf("after send: receivable %s revenue %s tax %s", bal["receivable"], bal["revenue"], bal["sales_tax"])
	}
	r := s.pay(t, b.owner, inv.ID, map[string]any{"amount": "500.00", "method": "bank_transfer"})
	testkit.WantStatus(t, r, http.StatusCreated)
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "500.00" || got.BalanceDue != "1023.75" {
		t.Fatalf("after partial payment: %s paid %s balance %s", got.Status, got.AmountPaid, got.BalanceDue)
	}
	r = s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1023.76"})
	testkit.WantValidation(t, r, map[string][]string{"amount": {msgPaymentExceeds}})
	r = s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1023.75"})
	testkit.WantStatus(t, r, http.StatusCreated)
	got = s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "paid" || got.BalanceDue != "0.00" || got.PaidDate == nil {
		t.Fatalf("after full payment: %+v", got)
	}
	r = s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1523.76", "kind": "refund"})
	testkit.WantValidation(t, r, map[string][]string{"amount": {msgRefundExceeds}})
	r = s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1523.75", "kind": "refund"})
	testkit.WantStatus(t, r, http.StatusCreated)
	got = s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "refunded" || got.BalanceDue != "0.00" || got.AmountPaid != "0.00" {
		t.Fatalf("after full refund: %+v", got)
	}
	bal = s.accountBalances(t, b.owner)
	if bal["receivable"] != "0.00" || bal["cash"] != "0.00" || bal["revenue"] != "0.00" || bal["sales_tax"] != "0.00" {
		t.Fatalf("after refund: %v", bal)
	}
	r = s.Do(t, http.MethodDelete, invoicePath(inv.ID), b.owner, nil)
	testkit.WantConflict(t, r, msgDraftDelete)
}
