package finance_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6's invoice validation, with its exact messages.
func TestInvoiceValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	other := s.createClient(t, b.owner)
	eurProject := s.createProject(t, b.owner, b.client, map[string]any{"currency": "EUR"})
	line := func(q, rate string, extra map[string]any) map[string]any {
		l := map[string]any{"description": "Advice", "quantity": q, "rate": rate}
		for k, v := range extra {
			l[k] = v
		}
		return l
	}
	for _, tc := range []struct {
		name   string
		fields map[string]any
		want   map[string][]string
	}{
		{"subtotal must match the lines", map[string]any{"subtotal": "1499.99"}, map[string][]string{"subtotal": {msgSubtotal}}},
		{"total must match", map[string]any{"tax_rate": "10", "total_amount": "1500.00"}, map[string][]string{"total_amount": {msgTotal}}},
		{"total must be positive", map[string]any{"line_items": []any{}}, map[string][]string{"total_amount": {msgTotalPositive}}},
		{"due date before issue date", map[string]any{"issue_date": "2026-03-10", "due_date": "2026-03-09"},
			map[string][]string{"due_date": {msgDueBeforeIssue}}},
		{"line amount must be quantity × rate", map[string]any{"line_items": []any{
			line("1", "10.00", nil), line("1.5", "33.33", map[string]any{"amount": "49.99"})}},
			map[string][]string{"line_items": {"Line 2: amount does not match quantity × rate"}}},
		{"too many decimals for the currency", map[string]any{"line_items": []any{line("1", "10.001", nil)}},
			map[string][]string{"line_items": {"Line 1: rate: Ensure that there are no more than 2 decimal places."}}},
		{"quantity must be positive", map[string]any{"line_items": []any{line("0", "10.00", nil)}},
			map[string][]string{"line_items": {"Line 1: quantity must be greater than 0"}}},
		{"project of another client", map[string]any{"client": other},
			map[string][]string{"project": {"Project must belong to the invoice's client"}}},
		{"currency of the project", map[string]any{"project": eurProject, "currency": "USD"},
			map[string][]string{"currency": {"Currency must be the project's currency"}}},
		{"discount within the subtotal", map[string]any{"discount_amount": "1500.01"},
			map[string][]string{"discount_amount": {"Discount cannot exceed subtotal"}}},
		{"tax rate within 0–100", map[string]any{"tax_rate": "100.01"}, map[string][]string{"tax_rate": {"Tax rate must be between 0 and 100"}}},
		{"unknown client", map[string]any{"client": "0193a000-0000-7000-8000-000000000000", "project": nil},
			map[string][]string{"client": {"Select a valid client."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, http.MethodPost, invoicesPath, b.owner, b.invoiceBody(tc.fields))
			testkit.WantValidation(t, r, tc.want)
		})
	}
	t.Run("sent totals that match are accepted", func(t *testing.T) {
		inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"subtotal": "1500.00", "tax_rate": "10",
			"discount_amount": 50, "total_amount": "1600.00"}))
		if inv.TotalAmount != "1600.00" || inv.DiscountAmount != "50.00" {
			t.Errorf("total %s discount %s, want 1600.00 and 50.00", inv.TotalAmount, inv.DiscountAmount)
		}
	})
	t.Run("the project's currency is the default", func(t *testing.T) {
		inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"project": eurProject}))
		if inv.Currency != "EUR" || inv.TotalAmount != "1500.00" {
			t.Errorf("currency %s total %s, want EUR 1500.00", inv.Currency, inv.TotalAmount)
		}
	})
	t.Run("due date from the payment terms", func(t *testing.T) {
		inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"issue_date": "2026-03-01", "payment_terms": "net_15"}))
		if inv.DueDate != "2026-03-16" {
			t.Errorf("due date %s, want 2026-03-16 (net 15)", inv.DueDate)
		}
	})
}

// Once sent, an invoice's amounts, lines, client and project are fixed; notes and the due date
// may still change, and read-only fields sent back change nothing.
func TestSentInvoiceIsFixed(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	inv := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	s.sendInvoice(t, b.owner, inv.ID)
	const draftOnly = "Only draft invoices can change amounts, lines, client or project"
	for field, v := range map[string]any{
		"line_items":      []any{map[string]any{"description": "More", "quantity": "1", "rate": "1.00"}},
		"discount_amount": "10.00",
		"tax_rate":        "5",
	} {
		r := s.Do(t, http.MethodPatch, invoicePath(inv.ID), b.owner, map[string]any{field: v})
		testkit.WantValidation(t, r, map[string][]string{field: {draftOnly}})
	}
	r := s.Do(t, http.MethodPatch, invoicePath(inv.ID), b.owner, map[string]any{"notes": "Thank you", "due_date": "2027-01-31",
		"total_amount": "1500.00", "amount_paid": "1500.00", "invoice_number": "X-1", "balance_due": "0"})
	testkit.WantStatus(t, r, http.StatusOK)
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Notes != "Thank you" || got.DueDate != "2027-01-31" || got.AmountPaid != "0.00" || got.BalanceDue != "1500.00" ||
		got.InvoiceNumber == nil || *got.InvoiceNumber == "X-1" {
		t.Errorf("after PATCH: %+v", got)
	}
	// A fetched invoice sent back with PUT changes nothing it may not.
	var body map[string]any
	testkit.Decode(t, s.Do(t, http.MethodGet, invoicePath(inv.ID), b.owner, nil), &body)
	testkit.WantStatus(t, s.Do(t, http.MethodPut, invoicePath(inv.ID), b.owner, body), http.StatusOK)
	r = s.Do(t, http.MethodPatch, invoicePath(inv.ID), b.owner, map[string]any{"status": "draft"})
	testkit.WantValidation(t, r, map[string][]string{"status": {"Cannot change status from sent to draft"}})
	r = s.Do(t, http.MethodPatch, invoicePath(inv.ID), b.owner, map[string]any{"bogus": 1})
	testkit.WantValidation(t, r, map[string][]string{"bogus": {"Unknown field."}})
}
