package finance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §7: the signature is checked over the raw bytes before anything is read; every refusal
// is a 400 envelope, changes nothing and is in the security log.
func TestWebhookRefusals(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	body := event("evt_refused", "payment_intent.succeeded", piObject("pi_refused", 1099, "USD", meta(b.firm.ID, inv.ID), nil))
	now := s.Clock.Now()
	for _, c := range []struct {
		name, sig, msg string
		body           []byte
	}{
		{"missing signature", "", "Missing Stripe-Signature header.", body},
		{"wrong secret", testkit.SignStripe(body, "whsec_other", now), "Invalid Stripe signature.", body},
		{"body changed after signing", testkit.SignStripe(body, webhookSecret, now), "Invalid Stripe signature.",
			[]byte(strings.Replace(string(body), "1099", "9999", 1))},
		{"malformed header", "v1=abc", "Invalid Stripe signature.", body},
		{"301 s old", testkit.SignStripe(body, webhookSecret, now.Add(-301*time.Second)), "Stripe signature timestamp is outside the tolerance.", body},
		{"signed but not an event", testkit.SignStripe([]byte(`{"id":`), webhookSecret, now), "The body is not a readable Stripe event.", []byte(`{"id":`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := s.post(c.body, c.sig)
			if err != nil {
				t.Fatal(err)
			}
			env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
			if env.Error.Message != c.msg {
				t.Fatalf("message %q, want %q", env.Error.Message, c.msg)
			}
		})
	}
	if got := s.paymentsOf(t, b.owner, inv.ID); len(got) != 0 {
		t.Fatalf("refused deliveries recorded %s", describe(got))
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "sent" {
		t.Fatalf("status %s after refused deliveries", got.Status)
	}
	s.wantSecurityLog(t, `"event":"webhook_refused"`, "no v1 signature matches the body")
	s.wantSecurityLog(t, `"event":"webhook_refused"`, "missing Stripe-Signature header")
	s.wantSecurityLog(t, `"event":"webhook_refused"`, "outside the tolerance")
	t.Run("290 s old is accepted", func(t *testing.T) {
		r, err := s.post(body, testkit.SignStripe(body, webhookSecret, now.Add(-290*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		testkit.WantStatus(t, r, http.StatusOK)
		if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "paid" {
			t.Fatalf("status %s, want paid", got.Status)
		}
	})
	t.Run("a rotated secret: either may sign", func(t *testing.T) {
		s := startStripe(t, func(c *config.Config) { c.StripeWebhookSecret = "whsec_new, " + webhookSecret })
		b := s.newBooks(t)
		inv := s.usdInvoice(t, b, "10.99", nil)
		body := event("evt_rotated", "payment_intent.succeeded", piObject("pi_rotated", 1099, "USD", meta(b.firm.ID, inv.ID), nil))
		sig := testkit.SignStripe(body, "whsec_old", s.Clock.Now()) + "," + strings.SplitN(testkit.SignStripe(body, webhookSecret, s.Clock.Now()), ",", 2)[1]
		r, err := s.post(body, sig)
		if err != nil {
			t.Fatal(err)
		}
		testkit.WantStatus(t, r, http.StatusOK)
	})
	t.Run("body over 1 MiB", func(t *testing.T) {
		big := []byte(`{"id":"evt_big","type":"x","pad":"` + strings.Repeat("a", 1<<20) + `"}`)
		r, err := s.post(big, testkit.SignStripe(big, webhookSecret, now))
		if err != nil {
			t.Fatal(err)
		}
		testkit.WantError(t, r, http.StatusRequestEntityTooLarge, "PayloadTooLarge", "PAYLOAD_TOO_LARGE")
	})
	t.Run("no signing secret configured", func(t *testing.T) {
		s := startStripe(t, func(c *config.Config) { c.StripeWebhookSecret = "" })
		r, err := s.post(body, testkit.SignStripe(body, webhookSecret, s.Clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		testkit.WantError(t, r, http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE")
	})
}

// payment_intent.succeeded: a stripe payment of amount_received, once per payment intent,
// posted Dr Stripe clearing / Cr Accounts Receivable.
func TestWebhookPaymentIntentSucceeded(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "1600.00", nil)
	body := event("evt_pi_ok", "payment_intent.succeeded", piObject("pi_ok", 60000, "USD", meta(b.firm.ID, inv.ID), nil))
	if got := s.delivered(t, body); got != "applied" {
		t.Fatalf("result %q, want applied", got)
	}
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "600.00" || got.BalanceDue != "1000.00" {
		t.Fatalf("invoice %s paid %s due %s, want partial 600.00 / 1000.00", got.Status, got.AmountPaid, got.BalanceDue)
	}
	rows := s.paymentsOf(t, b.owner, inv.ID)
	if len(rows) != 1 || rows[0].Method != "stripe" || rows[0].Amount != "600.00" || rows[0].Kind != "payment" ||
		deref(rows[0].StripePaymentIntentID) != "pi_ok" || deref(rows[0].StripeChargeID) != "ch_ok" || rows[0].CreatedBy != nil {
		t.Fatalf("payments %s", describe(rows))
	}
	bal := s.accountBalances(t, b.owner)
	if bal["stripe_clearing"] != "600.00" || bal["receivable"] != "1000.00" || bal["cash"] != "0.00" {
		t.Fatalf("ledger: stripe clearing %s, receivable %s, cash %s", bal["stripe_clearing"], bal["receivable"], bal["cash"])
	}
	t.Run("another event of the same payment intent is not a second payment", func(t *testing.T) {
		again := event("evt_pi_ok_2", "payment_intent.succeeded", piObject("pi_ok", 60000, "USD", meta(b.firm.ID, inv.ID), nil))
		if got := s.delivered(t, again); got != "ignored" {
			t.Fatalf("result %q, want ignored", got)
		}
		if rows := s.paymentsOf(t, b.owner, inv.ID); len(rows) != 1 {
			t.Fatalf("payments %s", describe(rows))
		}
	})
	t.Run("the rest paid: paid", func(t *testing.T) {
		s.delivered(t, event("evt_pi_rest", "payment_intent.succeeded", piObject("pi_rest", 100000, "USD", meta(b.firm.ID, inv.ID), nil)))
		got := s.getInvoice(t, b.owner, inv.ID)
		if got.Status != "paid" || got.BalanceDue != "0.00" || deref(got.PaidDate) != "2026-03-10" {
			t.Fatalf("invoice %s due %s paid on %s", got.Status, got.BalanceDue, deref(got.PaidDate))
		}
	})
	t.Run("more than the balance is left for review", func(t *testing.T) {
		over := event("evt_pi_over", "payment_intent.succeeded", piObject("pi_over", 100, "USD", meta(b.firm.ID, inv.ID), nil))
		if got := s.delivered(t, over); got != "rejected" {
			t.Fatalf("result %q, want rejected", got)
		}
		if rows := s.paymentsOf(t, b.owner, inv.ID); len(rows) != 2 {
			t.Fatalf("payments %s", describe(rows))
		}
		s.wantSecurityLog(t, `"event":"stripe_review"`, "evt_pi_over")
	})
}

// Each event id is recorded once, with its effects: 10 sequential and 10 parallel deliveries of
// one event make one payment.
func TestWebhookDeliveredManyTimes(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "1600.00", nil)
	seq := event("evt_seq", "payment_intent.succeeded", piObject("pi_seq", 10000, "USD", meta(b.firm.ID, inv.ID), nil))
	results := map[string]int{}
	for range 10 {
		results[s.delivered(t, seq)]++
	}
	if results["applied"] != 1 || results["duplicate"] != 9 {
		t.Fatalf("sequential results %v, want 1 applied and 9 duplicates", results)
	}
	par := event("evt_par", "payment_intent.succeeded", piObject("pi_par", 20000, "USD", meta(b.firm.ID, inv.ID), nil))
	sig := testkit.SignStripe(par, webhookSecret, s.Clock.Now())
	results = map[string]int{}
	for _, r := range concurrently(t, 10, func(int) (*response, error) { return s.post(par, sig) }) {
		testkit.WantStatus(t, r, http.StatusOK)
		results[testkit.Object(t, r)["result"].(string)]++
	}
	if results["applied"] != 1 || results["duplicate"] != 9 {
		t.Fatalf("parallel results %v, want 1 applied and 9 duplicates", results)
	}
	rows := s.paymentsOf(t, b.owner, inv.ID)
	if len(rows) != 2 {
		t.Fatalf("payments %s, want one per event", describe(rows))
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.AmountPaid != "300.00" {
		t.Fatalf("amount paid %s, want 300.00", got.AmountPaid)
	}
	if bal := s.accountBalances(t, b.owner); bal["stripe_clearing"] != "300.00" {
		t.Fatalf("stripe clearing %s, want 300.00", bal["stripe_clearing"])
	}
	// One audit row per applied event, by Stripe; the duplicates left none.
	audited := auditRows(t, s.API, b.owner, "actor=stripe&resource_type=invoice&resource_id="+inv.ID)
	if len(audited) != 2 {
		t.Fatalf("stripe's invoice rows = %v, want one per applied event", audited)
	}
	for _, row := range audited {
		if row["action"] != "payment" || row["actor_type"] != "stripe" || row["changes"].(map[string]any)["amount_paid"] == nil {
			t.Errorf("stripe's row = %v, want a payment changing amount_paid", row)
		}
	}
}

// payment_intent.payment_failed: logged with its reason (a null last_payment_error too); a
// past-due sent invoice becomes overdue; a failure delivered after the success changes nothing.
func TestWebhookPaymentFailed(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	pastDue := s.usdInvoice(t, b, "10.99", map[string]any{"issue_date": "2026-01-01", "due_date": "2026-01-31"})
	notDue := s.usdInvoice(t, b, "10.99", nil)
	failed := func(id string, inv invoice, lastError any) []byte {
		return event(id, "payment_intent.payment_failed", piObject("pi_"+id, 1099, "USD", meta(b.firm.ID, inv.ID),
			map[string]any{"status": "requires_payment_method", "amount_received": 0, "latest_charge": nil, "last_payment_error": lastError}))
	}
	s.delivered(t, failed("f1", pastDue, nil))
	if got := s.getInvoice(t, b.owner, pastDue.ID); got.Status != "overdue" {
		t.Fatalf("past-due invoice %s, want overdue", got.Status)
	}
	s.wantSecurityLog(t, `"event":"stripe_payment_failed"`, `"reason":"none"`, "pi_f1")
	s.delivered(t, failed("f2", notDue, map[string]any{"type": "card_error", "code": "card_declined",
		"decline_code": "generic_decline", "message": "Your card was declined."}))
	if got := s.getInvoice(t, b.owner, notDue.ID); got.Status != "sent" {
		t.Fatalf("invoice not yet due %s, want sent", got.Status)
	}
	s.wantSecurityLog(t, `"event":"stripe_payment_failed"`, "Your card was declined.", "card_declined")
	t.Run("late failure after success changes nothing", func(t *testing.T) {
		late := s.usdInvoice(t, b, "10.99", map[string]any{"issue_date": "2026-01-01", "due_date": "2026-01-31"})
		s.delivered(t, event("evt_late_ok", "payment_intent.succeeded", piObject("pi_late", 1099, "USD", meta(b.firm.ID, late.ID), nil)))
		if got := s.delivered(t, failed("late", late, nil)); got != "logged" {
			t.Fatalf("result %q, want logged", got)
		}
		got := s.getInvoice(t, b.owner, late.ID)
		if got.Status != "paid" || got.AmountPaid != "10.99" {
			t.Fatalf("invoice %s paid %s, want paid 10.99", got.Status, got.AmountPaid)
		}
	})
}

// invoice.payment_succeeded: a payment of amount_paid once per Stripe invoice, paid only at a
// zero balance; invoice.payment_failed is logged for review.
func TestWebhookStripeInvoice(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "20.99", nil)
	stripeInvoice := func(id string, paid int64, status string) map[string]any {
		return map[string]any{"id": id, "object": "invoice", "amount_paid": paid, "amount_due": 1000, "attempt_count": 1,
			"currency": "usd", "status": status, "metadata": meta(b.firm.ID, inv.ID)}
	}
	if got := s.delivered(t, event("evt_in_failed", "invoice.payment_failed", stripeInvoice("in_1", 0, "open"))); got != "logged" {
		t.Fatalf("result %q, want logged", got)
	}
	s.wantSecurityLog(t, `"event":"stripe_invoice_payment_failed"`, "in_1")
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "sent" || len(s.paymentsOf(t, b.owner, inv.ID)) != 0 {
		t.Fatalf("a failed Stripe invoice changed the invoice: %s", got.Status)
	}
	s.delivered(t, event("evt_in_paid", "invoice.payment_succeeded", stripeInvoice("in_1", 1000, "paid")))
	s.delivered(t, event("evt_in_paid_again", "invoice.payment_succeeded", stripeInvoice("in_1", 1000, "paid")))
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "10.00" {
		t.Fatalf("invoice %s paid %s, want partial 10.00 (once per Stripe invoice, not paid before a zero balance)", got.Status, got.AmountPaid)
	}
	s.delivered(t, event("evt_in2_paid", "invoice.payment_succeeded", stripeInvoice("in_2", 1099, "paid")))
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "paid" || got.BalanceDue != "0.00" {
		t.Fatalf("invoice %s due %s, want paid", got.Status, got.BalanceDue)
	}
	if rows := s.paymentsOf(t, b.owner, inv.ID); len(rows) != 2 || rows[0].Reference != "in_1" || rows[1].Reference != "in_2" {
		t.Fatalf("payments %s", describe(rows))
	}
}

// charge.refunded: one refund row per refund id; the cumulative amount_refunded is never
// subtracted twice; partial → partial, full → refunded.
func TestWebhookChargeRefunded(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.00", nil)
	s.delivered(t, event("evt_paid", "payment_intent.succeeded", piObject("pi_r", 1000, "USD", meta(b.firm.ID, inv.ID), nil)))
	s.delivered(t, event("evt_ref_1", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 300, refund{"re_1", 300})))
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "7.00" || got.BalanceDue != "3.00" {
		t.Fatalf("after a partial refund: %s paid %s due %s", got.Status, got.AmountPaid, got.BalanceDue)
	}
	// The next refund's event carries the cumulative total and both refunds; a redelivery of
	// the first, and a later event listing only the total, add nothing.
	s.delivered(t, event("evt_ref_2", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 500, refund{"re_1", 300}, refund{"re_2", 200})))
	s.delivered(t, event("evt_ref_1", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 300, refund{"re_1", 300})))
	s.delivered(t, event("evt_ref_2b", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 500)))
	if got := s.getInvoice(t, b.owner, inv.ID); got.AmountPaid != "5.00" || got.Status != "partial" {
		t.Fatalf("after 5.00 refunded in total: %s paid %s", got.Status, got.AmountPaid)
	}
	// The rest, without its refund object: recorded once from the cumulative total.
	s.delivered(t, event("evt_ref_3", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 1000)))
	s.delivered(t, event("evt_ref_3b", "charge.refunded", chargeObject("ch_r", "pi_r", 1000, 1000, refund{"re_1", 300}, refund{"re_2", 200}, refund{"re_3", 500})))
	got = s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "refunded" || got.AmountPaid != "0.00" || got.BalanceDue != "0.00" {
		t.Fatalf("after a full refund: %s paid %s due %s", got.Status, got.AmountPaid, got.BalanceDue)
	}
	rows := s.paymentsOf(t, b.owner, inv.ID)
	if len(rows) != 4 || deref(rows[1].StripeRefundID) != "re_1" || deref(rows[2].StripeRefundID) != "re_2" ||
		rows[3].Amount != "5.00" || rows[3].Kind != "refund" || rows[3].Method != "stripe" {
		t.Fatalf("payments %s", describe(rows))
	}
	bal := s.accountBalances(t, b.owner)
	if bal["stripe_clearing"] != "0.00" || bal["receivable"] != "0.00" || bal["revenue"] != "0.00" {
		t.Fatalf("ledger: stripe clearing %s, receivable %s, revenue %s", bal["stripe_clearing"], bal["receivable"], bal["revenue"])
	}
}

// Events that name no invoice of the firm — another firm's, an unknown one, none — change
// nothing and are logged; so are unknown types and amounts in another currency.
func TestWebhookUnmatched(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	other := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	for _, c := range []struct {
		name, want string
		body       []byte
	}{
		{"another firm's invoice", "unmatched", event("evt_x1", "payment_intent.succeeded", piObject("pi_x1", 1099, "USD", meta(other.firm.ID, inv.ID), nil))},
		{"unknown invoice", "unmatched", event("evt_x2", "payment_intent.succeeded", piObject("pi_x2", 1099, "USD", meta(b.firm.ID, unknownID), nil))},
		{"no metadata", "unmatched", event("evt_x3", "payment_intent.succeeded", piObject("pi_x3", 1099, "USD", map[string]any{}, nil))},
		{"refund of an unknown payment", "unmatched", event("evt_x4", "charge.refunded", chargeObject("ch_x4", "pi_unknown", 1099, 1099, refund{"re_x4", 1099}))},
		{"unknown type", "logged", event("evt_x5", "customer.created", map[string]any{"id": "cus_1", "object": "customer"})},
		{"another currency", "rejected", event("evt_x6", "payment_intent.succeeded", piObject("pi_x6", 1099, "EUR", meta(b.firm.ID, inv.ID), nil))},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := s.delivered(t, c.body); got != c.want {
				t.Fatalf("result %q, want %q", got, c.want)
			}
		})
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "sent" || got.AmountPaid != "0.00" || len(s.paymentsOf(t, b.owner, inv.ID)) != 0 {
		t.Fatalf("invoice changed: %s paid %s", got.Status, got.AmountPaid)
	}
	s.wantSecurityLog(t, `"event":"stripe_unmatched"`, "evt_x1")
}

// A refund delivered before its payment intent's success (Stripe does not promise order) still
// counts: the charge names the invoice through the metadata Stripe copies from the payment
// intent, its payment is recorded first, and the success arriving later adds nothing.
func TestWebhookRefundBeforeSuccess(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.00", nil)
	ch := chargeObject("ch_early", "pi_early", 1000, 400, refund{"re_early", 400})
	ch["metadata"] = meta(b.firm.ID, inv.ID)
	s.delivered(t, event("evt_early_refund", "charge.refunded", ch))
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "6.00" || got.BalanceDue != "4.00" {
		t.Fatalf("after the refund of a payment not yet reported: %s paid %s due %s", got.Status, got.AmountPaid, got.BalanceDue)
	}
	s.delivered(t, event("evt_late_success", "payment_intent.succeeded", piObject("pi_early", 1000, "USD", meta(b.firm.ID, inv.ID), nil)))
	got = s.getInvoice(t, b.owner, inv.ID)
	rows := s.paymentsOf(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "6.00" || len(rows) != 2 ||
		rows[0].Kind != "payment" || rows[0].Amount != "10.00" || rows[1].Kind != "refund" || rows[1].Amount != "4.00" {
		t.Fatalf("after the late success: %s paid %s; payments %s", got.Status, got.AmountPaid, describe(rows))
	}
	bal := s.accountBalances(t, b.owner)
	if bal["stripe_clearing"] != "6.00" || bal["receivable"] != "4.00" {
		t.Fatalf("ledger: stripe clearing %s, receivable %s", bal["stripe_clearing"], bal["receivable"])
	}
}
