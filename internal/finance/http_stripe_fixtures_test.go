package finance_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Stripe's own event payloads (STRIPE_FIXTURES_DIR, which CI sets): each is pointed at a test
// invoice, signed with the test secret and delivered in the order Stripe created them; the
// invoice, its payments and the ledger are checked after each, and a redelivery of all five
// changes nothing. Unset, the test is skipped; set to a missing directory, it fails.
func TestWebhookStripeFixtures(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("STRIPE_FIXTURES_DIR")
	if dir == "" {
		t.Skip("STRIPE_FIXTURES_DIR is not set (CI sets it)")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("STRIPE_FIXTURES_DIR %q is not a directory: %v", dir, err)
	}
	s := startStripe(t, nil)
	b := s.newBooks(t)
	// Past due, so that the failed payment makes it overdue.
	inv := s.usdInvoice(t, b, "20.99", map[string]any{"issue_date": "2026-01-01", "due_date": "2026-01-31"})
	load := func(name string) []byte {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		var ev map[string]any
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		obj := ev["data"].(map[string]any)["object"].(map[string]any)
		if obj["object"] != "charge" { // a charge is found through its payment intent
			obj["metadata"] = meta(b.firm.ID, inv.ID)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	steps := []struct {
		file, result, status, paid string
		payments                   int
		clearing, receivable       string
	}{
		{"invoice.payment_failed.json", "logged", "sent", "0.00", 0, "0.00", "20.99"},
		{"payment_intent.payment_failed.json", "applied", "overdue", "0.00", 0, "0.00", "20.99"},
		{"invoice.payment_succeeded.json", "applied", "partial", "10.00", 1, "10.00", "10.99"},
		{"payment_intent.succeeded.json", "applied", "paid", "20.99", 2, "20.99", "0.00"},
		{"charge.refunded.json", "applied", "partial", "10.00", 3, "10.00", "10.99"},
	}
	bodies := make([][]byte, len(steps))
	for i, st := range steps {
		bodies[i] = load(st.file)
		t.Run(strings.TrimSuffix(st.file, ".json"), func(t *testing.T) {
			if got := s.delivered(t, bodies[i]); got != st.result {
				t.Fatalf("result %q, want %q", got, st.result)
			}
			got := s.getInvoice(t, b.owner, inv.ID)
			rows := s.paymentsOf(t, b.owner, inv.ID)
			bal := s.accountBalances(t, b.owner)
			if got.Status != st.status || got.AmountPaid != st.paid || len(rows) != st.payments ||
				bal["stripe_clearing"] != st.clearing || bal["receivable"] != st.receivable {
				t.Fatalf("invoice %s paid %s, payments %s, stripe clearing %s, receivable %s; want %s %s, %d payments, %s, %s",
					got.Status, got.AmountPaid, describe(rows), bal["stripe_clearing"], bal["receivable"],
					st.status, st.paid, st.payments, st.clearing, st.receivable)
			}
		})
	}
	rows := s.paymentsOf(t, b.owner, inv.ID)
	if len(rows) == 3 && (deref(rows[1].StripePaymentIntentID) != "pi_1PgafyB7WZ01zgkWSjxsAJo3" ||
		deref(rows[2].StripeRefundID) != "re_1Pgc72B7WZ01zgkWqPvrRrPE" || rows[2].Amount != "10.99") {
		t.Fatalf("payments %s", describe(rows))
	}
	s.wantSecurityLog(t, `"event":"stripe_payment_failed"`, "card_declined", "Your card was declined.")
	for i, body := range bodies {
		if got := s.delivered(t, body); got != "duplicate" {
			t.Fatalf("redelivery of %s: %q, want duplicate", steps[i].file, got)
		}
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "partial" || got.AmountPaid != "10.00" || len(s.paymentsOf(t, b.owner, inv.ID)) != 3 {
		t.Fatalf("redelivery changed the invoice: %s paid %s", got.Status, got.AmountPaid)
	}
}

// The whole path against stripe-mock (TEST_STRIPE_API_BASE, which CI sets): the requests the
// server sends are valid for Stripe's API, and the client's customer is stored once.
func TestCreatePaymentIntentStripeMock(t *testing.T) {
	t.Parallel()
	base := testkit.StripeMockURL(t)
	s := startStripe(t, func(c *config.Config) { c.StripeSecretKey, c.StripeAPIBase = "sk_test_123", base })
	b := s.newBooks(t)
	for _, inv := range []invoice{s.usdInvoice(t, b, "1600.00", nil),
		s.sentInvoice(t, b, map[string]any{"project": nil, "currency": "JPY",
			"line_items": []map[string]any{{"description": "Workshop", "quantity": "1", "rate": "160000"}}})} {
		out := s.intentOK(t, b.owner, inv.ID)
		if !strings.HasPrefix(out.PaymentIntentID, "pi_") || out.ClientSecret == "" {
			t.Fatalf("payment intent %+v", out)
		}
		if inv.Currency == "JPY" && (out.Amount != 160000 || out.Currency != "JPY") {
			t.Fatalf("JPY payment intent %+v, want 160000 JPY", out)
		}
	}
	var customer *string
	err := s.DB().R.NewSelect().Table("clients").Column("stripe_customer_id").Where("id = ?", b.client).Scan(t.Context(), &customer)
	if err != nil || customer == nil || !strings.HasPrefix(*customer, "cus_") {
		t.Fatalf("stored customer %v, %v", customer, err)
	}
	testkit.WantStatus(t, s.intent(t, b.users[roleAccountant].Token, s.usdInvoice(t, b, "10.00", nil).ID), http.StatusOK)
}
