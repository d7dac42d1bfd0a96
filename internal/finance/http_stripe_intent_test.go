package finance_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §7: a payment intent for the balance due, in the invoice's currency and minor units,
// with the invoice and firm in its metadata, for the client's one Stripe customer.
func TestCreatePaymentIntent(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "1600.00", nil)
	s.paid(t, b.owner, inv.ID, map[string]any{"amount": "100.50"})
	out := s.intentOK(t, b.owner, inv.ID)
	if out.Amount != 149950 || out.Currency != "USD" || !strings.HasPrefix(out.PaymentIntentID, "pi_") ||
		out.ClientSecret != out.PaymentIntentID+"_secret_fake" {
		t.Fatalf("payment intent = %+v, want 149950 USD (1499.50)", out)
	}
	params := s.fake.Params()
	pi := params[len(params)-1]
	if pi.Get("amount") != "149950" || pi.Get("currency") != "usd" || pi.Get("metadata[invoice_id]") != inv.ID ||
		pi.Get("metadata[firm_id]") != b.firm.ID || pi.Get("customer") != "cus_fake_1" {
		t.Fatalf("sent to Stripe: %v", pi)
	}
	t.Run("one customer per client, reused", func(t *testing.T) {
		other := s.usdInvoice(t, b, "200.00", nil)
		s.intentOK(t, b.owner, other.ID)
		if customers, _ := s.fake.Counts(); customers != 1 {
			t.Fatalf("%d customers created for one client, want 1", customers)
		}
		params := s.fake.Params()
		if got := params[len(params)-1].Get("customer"); got != "cus_fake_1" {
			t.Fatalf("second invoice's customer %q, want cus_fake_1", got)
		}
	})
	t.Run("a retried call returns the same payment intent", func(t *testing.T) {
		again := s.intentOK(t, b.owner, inv.ID)
		if again.PaymentIntentID != out.PaymentIntentID {
			t.Fatalf("retry created %s, want %s", again.PaymentIntentID, out.PaymentIntentID)
		}
	})
	t.Run("a new balance is a new payment intent", func(t *testing.T) {
		s.paid(t, b.owner, inv.ID, map[string]any{"amount": "0.50"})
		next := s.intentOK(t, b.owner, inv.ID)
		if next.PaymentIntentID == out.PaymentIntentID || next.Amount != 149900 {
			t.Fatalf("after a payment: %+v (first %s)", next, out.PaymentIntentID)
		}
	})
}

// Zero-decimal currencies are sent in whole units, as ISO 4217 (and Stripe) count them.
func TestCreatePaymentIntentZeroDecimal(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.sentInvoice(t, b, map[string]any{"project": nil, "currency": "JPY",
		"line_items": []map[string]any{{"description": "Workshop", "quantity": "2", "rate": "80000"}}})
	out := s.intentOK(t, b.owner, inv.ID)
	if out.Amount != 160000 || out.Currency != "JPY" {
		t.Fatalf("payment intent = %+v, want 160000 JPY", out)
	}
	params := s.fake.Params()
	if got := params[len(params)-1].Get("amount"); got != "160000" {
		t.Fatalf("amount sent %s, want 160000", got)
	}
}

func TestCreatePaymentIntentRules(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	draft := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	cancelled := s.sentInvoice(t, b, nil)
	testkit.WantStatus(t, s.invoiceAction(t, b.owner, cancelled.ID, "cancel"), http.StatusOK)
	paid := s.sentInvoice(t, b, nil)
	s.paid(t, b.owner, paid.ID, map[string]any{"amount": paid.TotalAmount})
	refunded := s.sentInvoice(t, b, nil)
	s.paid(t, b.owner, refunded.ID, map[string]any{"amount": refunded.TotalAmount})
	s.paid(t, b.owner, refunded.ID, map[string]any{"amount": refunded.TotalAmount, "kind": "refund"})
	for _, c := range []struct {
		name, id, msg string
	}{
		{"draft", draft.ID, fmt.Sprintf(msgPayOnline, "draft")},
		{"cancelled", cancelled.ID, fmt.Sprintf(msgPayOnline, "cancelled")},
		{"paid", paid.ID, fmt.Sprintf(msgPayOnline, "paid")},
		{"refunded (zero balance)", refunded.ID, fmt.Sprintf(msgPayOnline, "refunded")},
	} {
		t.Run(c.name, func(t *testing.T) {
			testkit.WantOnly(t, s.intent(t, b.owner, c.id), map[string][]string{nonField: {c.msg}})
		})
	}
	if _, intents := s.fake.Counts(); intents != 0 {
		t.Fatalf("%d payment intents created for invoices that cannot be paid", intents)
	}
	sent := s.sentInvoice(t, b, nil)
	t.Run("payment operation", func(t *testing.T) {
		testkit.WantForbidden(t, s.intent(t, b.users[roleConsultant].Token, sent.ID))
		testkit.WantStatus(t, s.intent(t, b.users[roleAccountant].Token, sent.ID), http.StatusOK)
		// The manager manages the books' project: IsPaymentAuthorized.
		testkit.WantStatus(t, s.intent(t, b.users[roleManager].Token, sent.ID), http.StatusOK)
	})
	t.Run("another firm's invoice", func(t *testing.T) {
		other := s.newBooks(t)
		testkit.WantNotFound(t, s.intent(t, other.owner, sent.ID))
		testkit.WantNotFound(t, s.intent(t, b.owner, unknownID))
	})
}

func TestCreatePaymentIntentNotConfigured(t *testing.T) {
	t.Parallel()
	s := startStripe(t, func(c *config.Config) { c.StripeSecretKey = "" })
	b := s.newBooks(t)
	inv := s.sentInvoice(t, b, nil)
	env := testkit.WantError(t, s.intent(t, b.owner, inv.ID), http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE")
	if env.Error.Message != "Online payments are not configured." {
		t.Fatalf("message %q", env.Error.Message)
	}
}

// Faults of Stripe, injected with the in-process fake: 503 when it is slow past the timeout or
// down, 502 when it refuses — never with Stripe's text — and a retry after a timeout reuses the
// idempotency key, so Stripe makes one payment intent.
func TestCreatePaymentIntentFaults(t *testing.T) {
	t.Parallel()
	t.Run("slow past the timeout, then retried", func(t *testing.T) {
		t.Parallel()
		s := startStripe(t, func(c *config.Config) { c.StripeTimeout = 200 * time.Millisecond })
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, nil)
		s.intentOK(t, b.owner, inv.ID) // the customer exists; only the payment intent is slow
		other := s.sentInvoice(t, b, nil)
		s.fake.SetDelay(30 * time.Second)
		start := time.Now()
		r := s.intent(t, b.owner, other.ID)
		if took := time.Since(start); took > 16*time.Second {
			t.Fatalf("answered after %v, want within 16 s", took)
		}
		env := testkit.WantError(t, r, http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE")
		if strings.Contains(string(r.Body), "stripe") || strings.Contains(string(r.Body), "deadline") {
			t.Fatalf("internals in the response: %s", r.Body)
		}
		_ = env
		s.fake.SetDelay(0)
		out := s.intentOK(t, b.owner, other.ID)
		if _, intents := s.fake.Counts(); intents != 2 {
			t.Fatalf("%d payment intents after a timed-out call and its retry, want 2 (one per invoice)", intents)
		}
		keys := s.fake.Keys()
		if keys[len(keys)-1] != keys[len(keys)-2] {
			t.Fatalf("retry used key %q, the timed-out call %q", keys[len(keys)-1], keys[len(keys)-2])
		}
		if out.PaymentIntentID != "pi_fake_2" {
			t.Fatalf("retry answered %s, want the payment intent the timed-out call created (pi_fake_2)", out.PaymentIntentID)
		}
	})
	t.Run("down", func(t *testing.T) {
		t.Parallel()
		s := startStripe(t, nil)
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, nil)
		s.fake.Close()
		testkit.WantError(t, s.intent(t, b.owner, inv.ID), http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE")
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		s := startStripe(t, nil)
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, nil)
		s.fake.Refuse(http.StatusBadRequest, "invalid_request_error")
		r := s.intent(t, b.owner, inv.ID)
		env := testkit.WantError(t, r, http.StatusBadGateway, "BadGateway", "BAD_GATEWAY")
		if env.Error.Message != "The payment provider refused the request." || strings.Contains(string(r.Body), testkit.FakeStripeText) {
			t.Fatalf("response %s", r.Body)
		}
		if !strings.Contains(s.app.String(), "req_fake_") {
			t.Fatalf("the log lacks Stripe's request id:\n%s", s.app.String())
		}
	})
	t.Run("key used with other parameters: the next attempt", func(t *testing.T) {
		t.Parallel()
		s := startStripe(t, nil)
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, nil) // 1500.00 USD
		// Stripe remembers the first attempt's key with other parameters (a customer since
		// replaced, say): the next attempt's key makes the payment intent, and repeating the
		// call finds that one again.
		first := "consultantpro-pi-" + inv.ID + "-USD-150000-1"
		s.fake.Occupy(first)
		a := s.intentOK(t, b.owner, inv.ID)
		again := s.intentOK(t, b.owner, inv.ID)
		if _, intents := s.fake.Counts(); intents != 1 || a.PaymentIntentID != again.PaymentIntentID {
			t.Fatalf("%d payment intents (%s, %s), want one", intents, a.PaymentIntentID, again.PaymentIntentID)
		}
		keys := s.fake.Keys()
		want := []string{"consultantpro-customer-" + b.client, first, "consultantpro-pi-" + inv.ID + "-USD-150000-2", first,
			"consultantpro-pi-" + inv.ID + "-USD-150000-2"}
		if strings.Join(keys, " ") != strings.Join(want, " ") {
			t.Fatalf("idempotency keys %q, want %q", keys, want)
		}
	})
}
