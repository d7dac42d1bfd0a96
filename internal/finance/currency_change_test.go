package finance_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// A draft invoice or an unapproved bill whose currency changes keeps its figures: 1001.00 USD
// becomes ¥1001, not ¥100100. The lines are repriced and stored with the document, so that
// Σ line amounts stays the subtotal.

func TestDraftCurrencyChangeRepricesLines(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	token := f.Owner.Token
	inv := s.createInvoice(t, token, map[string]any{"client": s.createClient(t, token), "currency": "USD", "discount_amount": "1.00",
		"line_items": []map[string]any{{"description": "Review", "quantity": "1.5", "rate": "1001.00"}}})
	// 1.5 × 1001.00 = 1501.50; total 1501.50 − 1.00 = 1500.50.
	if inv.Subtotal != "1501.50" || inv.TotalAmount != "1500.50" {
		t.Fatalf("USD draft: subtotal %s total %s", inv.Subtotal, inv.TotalAmount)
	}
	r := s.Do(t, http.MethodPatch, invoicePath(inv.ID), token, map[string]any{"currency": "JPY"})
	testkit.WantStatus(t, r, http.StatusOK)
	// In yen: 1.5 × ¥1001 = 1501.5 → ¥1502; total ¥1502 − ¥1 = ¥1501.
	for _, got := range []invoice{decodeInvoice(t, r), s.getInvoice(t, token, inv.ID)} {
		if got.Currency != "JPY" || len(got.LineItems) != 1 || got.LineItems[0].Rate != "1001" || got.LineItems[0].Amount != "1502" ||
			got.Subtotal != "1502" || got.DiscountAmount != "1" || got.TotalAmount != "1501" {
			t.Fatalf("after the change to JPY: %s lines %+v subtotal %s discount %s total %s",
				got.Currency, got.LineItems, got.Subtotal, got.DiscountAmount, got.TotalAmount)
		}
	}
	// Back to USD: ¥1001 is 1001.00, the line 1501.50 again.
	r = s.Do(t, http.MethodPatch, invoicePath(inv.ID), token, map[string]any{"currency": "USD"})
	testkit.WantStatus(t, r, http.StatusOK)
	if got := s.getInvoice(t, token, inv.ID); got.LineItems[0].Rate != "1001.00" || got.LineItems[0].Amount != "1501.50" || got.TotalAmount != "1500.50" {
		t.Fatalf("back in USD: lines %+v total %s", got.LineItems, got.TotalAmount)
	}
	// A rate with cents has no yen figure: refused, nothing changes.
	r = s.Do(t, http.MethodPatch, invoicePath(inv.ID), token, map[string]any{
		"line_items": []map[string]any{{"description": "Review", "quantity": "1", "rate": "10.50"}}})
	testkit.WantStatus(t, r, http.StatusOK)
	r = s.Do(t, http.MethodPatch, invoicePath(inv.ID), token, map[string]any{"currency": "JPY"})
	testkit.WantOnly(t, r, map[string][]string{"line_items": {"Ensure that there are no decimal places."}})
	if got := s.getInvoice(t, token, inv.ID); got.Currency != "USD" || got.LineItems[0].Rate != "10.50" || got.TotalAmount != "9.50" {
		t.Fatalf("after the refused change: %s lines %+v total %s", got.Currency, got.LineItems, got.TotalAmount)
	}
}

func TestBillCurrencyChangeKeepsFigures(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	token := f.Owner.Token
	create := func(body map[string]any) billOut {
		t.Helper()
		body["vendor_name"], body["expense_category"] = "Rail Co", "travel"
		r := s.Do(t, http.MethodPost, billsPath, token, body)
		testkit.WantStatus(t, r, http.StatusCreated)
		var b billOut
		testkit.Decode(t, r, &b)
		return b
	}
	patch := func(id string, body map[string]any) billOut {
		t.Helper()
		r := s.Do(t, http.MethodPatch, billPath(id), token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var b billOut
		testkit.Decode(t, r, &b)
		if got := testkit.Fetch[billOut](t, s.API, token, billPath(id)); got.TotalAmount != b.TotalAmount ||
			len(got.LineItems) != len(b.LineItems) || len(got.LineItems) > 0 && got.LineItems[0] != b.LineItems[0] {
			t.Fatalf("GET after PATCH differs: %+v, PATCH answered %+v", got, b)
		}
		return b
	}

	// No lines: 100.00 + 5.00 USD is ¥100 + ¥5, then 100.000 + 5.000 BHD.
	b := create(map[string]any{"currency": "USD", "subtotal": "100.00", "tax_amount": "5.00"})
	if got := patch(b.ID, map[string]any{"currency": "JPY"}); got.Subtotal != "100" || got.TaxAmount != "5" || got.TotalAmount != "105" {
		t.Fatalf("in JPY: subtotal %s tax %s total %s", got.Subtotal, got.TaxAmount, got.TotalAmount)
	}
	if got := patch(b.ID, map[string]any{"currency": "BHD"}); got.Subtotal != "100.000" || got.TaxAmount != "5.000" || got.TotalAmount != "105.000" {
		t.Fatalf("in BHD: subtotal %s tax %s total %s", got.Subtotal, got.TaxAmount, got.TotalAmount)
	}
	// Amounts sent with the currency are read in it.
	if got := patch(b.ID, map[string]any{"currency": "USD", "tax_amount": "0.25"}); got.Subtotal != "100.00" || got.TaxAmount != "0.25" || got.TotalAmount != "100.25" {
		t.Fatalf("back in USD with a new tax: subtotal %s tax %s total %s", got.Subtotal, got.TaxAmount, got.TotalAmount)
	}
	// 0.25 has no yen figure.
	r := s.Do(t, http.MethodPatch, billPath(b.ID), token, map[string]any{"currency": "JPY"})
	testkit.WantOnly(t, r, map[string][]string{"tax_amount": {"Ensure that there are no decimal places."}})

	// Lines: 2.5 × 12.00 USD = 30.00 is 2.5 × ¥12 = ¥30, stored with the bill.
	b = create(map[string]any{"currency": "USD", "line_items": []map[string]any{{"description": "Tickets", "quantity": "2.5", "rate": "12.00"}}})
	got := patch(b.ID, map[string]any{"currency": "JPY"})
	if got.LineItems[0].Rate != "12" || got.LineItems[0].Amount != "30" || got.Subtotal != "30" || got.TotalAmount != "30" {
		t.Fatalf("lines in JPY: %+v subtotal %s total %s", got.LineItems, got.Subtotal, got.TotalAmount)
	}
	// Dropping the lines with the change keeps their sum as the subtotal: ¥30 is 30.000 BHD.
	if got := patch(b.ID, map[string]any{"currency": "BHD", "line_items": []any{}}); len(got.LineItems) != 0 || got.Subtotal != "30.000" || got.TotalAmount != "30.000" {
		t.Fatalf("lines dropped in BHD: %+v subtotal %s total %s", got.LineItems, got.Subtotal, got.TotalAmount)
	}
	// A rate with cents has no yen figure.
	b = create(map[string]any{"currency": "EUR", "line_items": []map[string]any{{"description": "Taxi", "quantity": "1", "rate": "12.34"}}})
	r = s.Do(t, http.MethodPatch, billPath(b.ID), token, map[string]any{"currency": "JPY"})
	testkit.WantOnly(t, r, map[string][]string{"line_items": {"Ensure that there are no decimal places."}})
	if got := testkit.Fetch[billOut](t, s.API, token, billPath(b.ID)); got.Currency != "EUR" || got.LineItems[0].Rate != "12.34" || got.TotalAmount != "12.34" {
		t.Fatalf("after the refused change: %+v", got)
	}
}

func decodeInvoice(t *testing.T, r *testkit.Response) invoice {
	t.Helper()
	var inv invoice
	testkit.Decode(t, r, &inv)
	return inv
}
