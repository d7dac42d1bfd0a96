package finance_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// A failure while an event is applied leaves nothing behind — not its record, not its payment —
// and answers 500, so Stripe delivers it again, and then it is applied once.
func TestWebhookFailureIsRetried(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	body := event("evt_retry", "payment_intent.succeeded", piObject("pi_retry", 1099, "USD", meta(b.firm.ID, inv.ID), nil))
	// The posting fails after the event's record and its payment were written: the firm's
	// Stripe clearing account cannot be found.
	setKey := func(from, to string) {
		t.Helper()
		_, err := s.DB().W.NewUpdate().Table("ledger_accounts").Set("system_key = ?", to).
			Where("firm_id = ? AND system_key = ?", b.firm.ID, from).Exec(t.Context())
		if err != nil {
			t.Fatal(err)
		}
	}
	setKey("stripe_clearing", "stripe_clearing_moved")
	r := s.deliver(t, body)
	testkit.WantError(t, r, http.StatusInternalServerError, "ServerError", "INTERNAL_SERVER_ERROR")
	if strings.Contains(string(r.Body), "stripe_clearing") {
		t.Fatalf("internals in the response: %s", r.Body)
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.Status != "sent" || len(s.paymentsOf(t, b.owner, inv.ID)) != 0 {
		t.Fatalf("a failed event left %s, status %s", describe(s.paymentsOf(t, b.owner, inv.ID)), got.Status)
	}
	setKey("stripe_clearing_moved", "stripe_clearing")
	if got := s.delivered(t, body); got != "applied" {
		t.Fatalf("redelivery result %q, want applied", got)
	}
	if got := s.delivered(t, body); got != "duplicate" {
		t.Fatalf("second redelivery result %q, want duplicate", got)
	}
	if rows := s.paymentsOf(t, b.owner, inv.ID); len(rows) != 1 {
		t.Fatalf("payments %s", describe(rows))
	}
}

// The database down: 500, so Stripe retries.
func TestWebhookDatabaseDown(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	body := event("evt_down", "payment_intent.succeeded", piObject("pi_down", 1099, "USD", meta(b.firm.ID, inv.ID), nil))
	if err := s.DB().W.DB.Close(); err != nil {
		t.Fatal(err)
	}
	testkit.WantError(t, s.deliver(t, body), http.StatusInternalServerError, "ServerError", "INTERNAL_SERVER_ERROR")
}

// /metrics counts webhook events by type and result.
func TestWebhookMetrics(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	body := event("evt_m", "payment_intent.succeeded", piObject("pi_m", 1099, "USD", meta(b.firm.ID, inv.ID), nil))
	s.delivered(t, body)
	s.delivered(t, body)
	s.delivered(t, event("evt_m2", "customer.created", map[string]any{"id": "cus_1", "object": "customer"}))
	if r, err := s.post(body, "t=1,v1=00"); err != nil || r.Status != http.StatusBadRequest {
		t.Fatalf("refused delivery: %v %v", r, err)
	}
	res, err := http.Get(s.Srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, want := range []string{
		`consultantpro_webhook_events_total{provider="stripe",result="applied",type="payment_intent.succeeded"} 1`,
		`consultantpro_webhook_events_total{provider="stripe",result="duplicate",type="payment_intent.succeeded"} 1`,
		`consultantpro_webhook_events_total{provider="stripe",result="logged",type="other"} 1`,
		`consultantpro_webhook_events_total{provider="stripe",result="refused",type="unverified"} 1`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// The webhook has its own rate limit (per client IP), not the anonymous one of login.
func TestWebhookRateLimit(t *testing.T) {
	t.Parallel()
	s := startStripe(t, func(c *config.Config) { c.RateWebhook = "3/min"; c.RateAnon = "1/hour" })
	body := event("evt_rl", "customer.created", map[string]any{"id": "cus_1", "object": "customer"})
	for i := range 3 {
		r := s.deliver(t, body)
		testkit.WantStatus(t, r, http.StatusOK)
		if r.Header.Get("X-RateLimit-Limit") != "3" || r.Header.Get("X-RateLimit-Remaining") != []string{"2", "1", "0"}[i] {
			t.Fatalf("delivery %d: X-RateLimit-Limit %q, Remaining %q", i+1, r.Header.Get("X-RateLimit-Limit"), r.Header.Get("X-RateLimit-Remaining"))
		}
	}
	r := s.deliver(t, body)
	env := testkit.WantError(t, r, http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS")
	if r.Header.Get("Retry-After") == "" || !strings.HasPrefix(env.Error.Message, "Request was throttled. Expected available in ") {
		t.Fatalf("429 without Retry-After or with message %q", env.Error.Message)
	}
	s.wantSecurityLog(t, `"event":"throttled"`, `"scope":"webhook"`)
}

// A webhook's writes bump the firm's data version, so cached lists show them at once.
func TestWebhookRefreshesCachedLists(t *testing.T) {
	t.Parallel()
	s := startStripe(t, nil)
	b := s.newBooks(t)
	inv := s.usdInvoice(t, b, "10.99", nil)
	list := func() (int64, string) {
		t.Helper()
		page, _ := testkit.ListOf[payment](t, s.API, b.owner, paymentsPath, "")
		_, invs := testkit.ListOf[invoice](t, s.API, b.owner, invoicesPath, "")
		return page.Count, invs[0].Status
	}
	if n, status := list(); n != 0 || status != "sent" {
		t.Fatalf("before: %d payments, invoice %s", n, status)
	}
	s.delivered(t, event("evt_cache", "payment_intent.succeeded", piObject("pi_cache", 1099, "USD", meta(b.firm.ID, inv.ID), nil)))
	if n, status := list(); n != 1 || status != "paid" {
		t.Fatalf("after a webhook payment the cached lists show %d payments and a %s invoice", n, status)
	}
}
