package finance_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Bad input on every finance write gets a 4xx in the envelope, never a 5xx: wrong JSON types,
// huge numbers, amounts beyond int64, malformed ids and dates.
func TestFinanceBadInputNever5xx(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	inv := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	sent := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	s.sendInvoice(t, b.owner, sent.ID)
	huge := strings.Repeat("9", 40)
	bodies := []any{
		map[string]any{}, []any{1, 2}, "text", 12,
		map[string]any{"client": 5, "line_items": "x"},
		map[string]any{"client": "not-an-id", "line_items": []any{map[string]any{"description": "x", "quantity": huge, "rate": huge}}},
		map[string]any{"client": b.client, "line_items": []any{map[string]any{"description": "x", "quantity": "999999999", "rate": "92233720368547758.07"}}},
		map[string]any{"client": b.client, "line_items": []any{map[string]any{"description": "x", "quantity": 1e300, "rate": -1e300}}},
		map[string]any{"client": b.client, "line_items": []any{}, "issue_date": "2026-02-30", "due_date": "yesterday"},
		map[string]any{"client": b.client, "line_items": []any{}, "tax_rate": huge, "discount_amount": "-" + huge},
		map[string]any{"amount": huge}, map[string]any{"amount": "0.001"}, map[string]any{"amount": -5, "kind": "gift"},
		map[string]any{"amount": "1", "received_on": "2026-13-01", "method": 7},
		map[string]any{"client": b.client, "date_after": "2026-01-01", "date_before": "2025-01-01", "group_by": "week"},
		map[string]any{"client": b.client, "project": "x", "date_after": "2026-01-01", "date_before": "2026-01-31", "group_by": "task", "tax_rate": "101"},
		map[string]any{"vendor_name": "", "expense_category": "snacks", "subtotal": huge},
		map[string]any{"memo": "x", "lines": []any{map[string]any{"account": "x", "debit": huge}, map[string]any{"account": b.client, "credit": "1"}}},
		map[string]any{"code": strings.Repeat("1", 300), "name": "", "type": "asset-ish"},
	}
	targets := []struct{ method, path string }{
		{http.MethodPost, invoicesPath},
		{http.MethodPatch, invoicePath(inv.ID)},
		{http.MethodPut, invoicePath(sent.ID)},
		{http.MethodPost, generatePath},
		{http.MethodPost, invoicePath(sent.ID) + "payments/"},
		{http.MethodPost, billsPath},
		{http.MethodPost, journalPath},
		{http.MethodPost, accountsPath},
	}
	for _, tg := range targets {
		for _, body := range bodies {
			r := s.Do(t, tg.method, tg.path, b.owner, body)
			if r.Status >= 500 || r.Status < 400 && r.Status != http.StatusOK && r.Status != http.StatusCreated {
				t.Errorf("%s %s with %v: status %d: %s", tg.method, tg.path, body, r.Status, r.Body)
				continue
			}
			if r.Status >= 400 {
				testkit.WantError(t, r, r.Status, testkit.Object(t, r)["error"].(map[string]any)["type"].(string),
					testkit.Object(t, r)["error"].(map[string]any)["code"].(string))
			}
		}
	}
	// Nothing above was paid or sent by accident.
	if got := s.getInvoice(t, b.owner, sent.ID); got.AmountPaid != "0.00" || got.Status != "sent" {
		t.Errorf("sent invoice after bad input: %s paid %s", got.Status, got.AmountPaid)
	}
}
