package finance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Helpers of the Stripe tests: a server wired to a fake Stripe (or stripe-mock) with a webhook
// secret and a frozen clock, its security log, and signed webhook deliveries.

const (
	webhookSecret = "whsec_test_consultantpro"
	webhookPath   = "/webhooks/stripe/"
	// stripeNow is the frozen "now" of the Stripe tests; signatures are made at it.
	msgPayOnline  = "Cannot pay a %s invoice online"
	msgNothingDue = "This invoice has no balance due"
)

var stripeNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// stripeServer is a server whose Stripe is fake (or stripe-mock), with its logs kept.
type stripeServer struct {
	*apiServer
	fake     *testkit.FakeStripe
	security *testkit.SyncBuffer
	app      *testkit.SyncBuffer
}

// startStripe starts a server on the frozen clock whose Stripe API is a fake, changed by
// configure when it is not nil.
func startStripe(t testing.TB, configure func(*config.Config), opts ...app.Option) *stripeServer {
	t.Helper()
	fake := testkit.NewFakeStripe(t)
	s := &stripeServer{fake: fake, security: &testkit.SyncBuffer{}, app: &testkit.SyncBuffer{}}
	logs := &logging.Logs{App: slog.New(slog.NewJSONHandler(s.app, nil)), Security: slog.New(slog.NewJSONHandler(s.security, nil))}
	s.apiServer = &apiServer{testkit.StartAPI(t, testkit.APIOptions{FrozenAt: stripeNow, Logs: logs, Options: opts,
		Configure: func(c *config.Config) {
			c.StripeSecretKey, c.StripeAPIBase, c.StripeWebhookSecret = "sk_test_fake", fake.URL, webhookSecret
			if configure != nil {
				configure(c)
			}
		}})}
	return s
}

// deliver posts a webhook body signed now (the server's clock) with the test secret.
func (s *stripeServer) deliver(t testing.TB, body []byte) *response {
	t.Helper()
	r, err := s.post(body, testkit.SignStripe(body, webhookSecret, s.Clock.Now()))
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return r
}

// delivered posts a signed webhook body that must be accepted, and returns its result.
func (s *stripeServer) delivered(t testing.TB, body []byte) string {
	t.Helper()
	r := s.deliver(t, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var out struct {
		Received bool   `json:"received"`
		Result   string `json:"result"`
	}
	testkit.Decode(t, r, &out)
	if !out.Received {
		t.Fatalf("%s: received false", r)
	}
	return out.Result
}

// post sends a webhook body with a Stripe-Signature header ("" for none) from any goroutine.
func (s *stripeServer) post(body []byte, signature string) (*response, error) {
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+webhookPath, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &response{Method: http.MethodPost, Path: webhookPath, Status: res.StatusCode, Header: res.Header, Body: raw}, nil
}

// intent posts create-payment-intent for an invoice.
func (s *stripeServer) intent(t testing.TB, token, invoiceID string) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, invoicePath(invoiceID)+"create-payment-intent/", token, nil)
}

// paymentIntentOut is the answer of create-payment-intent.
type paymentIntentOut struct {
	ClientSecret    string `json:"client_secret"`
	PaymentIntentID string `json:"payment_intent_id"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
}

func (s *stripeServer) intentOK(t testing.TB, token, invoiceID string) paymentIntentOut {
	t.Helper()
	r := s.intent(t, token, invoiceID)
	testkit.WantStatus(t, r, http.StatusOK)
	var out paymentIntentOut
	testkit.Decode(t, r, &out)
	return out
}

// stripePayment is a payment as the API shows it, with its Stripe ids.
type stripePayment struct {
	payment
	StripePaymentIntentID *string `json:"stripe_payment_intent_id"`
	StripeChargeID        *string `json:"stripe_charge_id"`
	StripeRefundID        *string `json:"stripe_refund_id"`
}

// paymentsOf lists an invoice's payments and refunds, oldest first.
func (s *stripeServer) paymentsOf(t testing.TB, token, invoiceID string) []stripePayment {
	t.Helper()
	_, rows := testkit.ListOf[stripePayment](t, s.API, token, invoicePath(invoiceID)+"payments/", "ordering=created_at&page_size=200")
	return rows
}

// event builds a Stripe event of typ around object, as Stripe delivers it.
func event(id, typ string, object map[string]any) []byte {
	raw, err := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": "2026-07-29.dahlia",
		"created": stripeNow.Add(-time.Minute).Unix(), "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil}, "type": typ,
		"data": map[string]any{"object": object}})
	if err != nil {
		panic(err)
	}
	return raw
}

// meta is the metadata ConsultantPro puts on its payment intents.
func meta(firmID, invoiceID string) map[string]any {
	return map[string]any{"invoice_id": invoiceID, "firm_id": firmID}
}

// piObject is a payment intent of amount (minor units) in currency.
func piObject(id string, amount int64, currency string, metadata map[string]any, fields map[string]any) map[string]any {
	o := map[string]any{"id": id, "object": "payment_intent", "amount": amount, "amount_received": amount,
		"currency": strings.ToLower(currency), "status": "succeeded", "latest_charge": "ch_" + strings.TrimPrefix(id, "pi_"),
		"last_payment_error": nil, "metadata": metadata}
	for k, v := range fields {
		o[k] = v
	}
	return o
}

// chargeObject is a charge of a payment intent refunded by amountRefunded in total, listing
// refunds (id → amount, in order).
func chargeObject(id, pi string, amount, amountRefunded int64, refunds ...refund) map[string]any {
	data := make([]any, len(refunds))
	for i, r := range refunds {
		data[i] = map[string]any{"id": r.id, "object": "refund", "amount": r.amount, "currency": "usd", "charge": id,
			"payment_intent": pi, "status": "succeeded", "created": stripeNow.Add(time.Duration(i-len(refunds)) * time.Minute).Unix()}
	}
	return map[string]any{"id": id, "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": amountRefunded,
		"currency": "usd", "payment_intent": pi, "refunded": amountRefunded == amount, "metadata": map[string]any{},
		"refunds": map[string]any{"object": "list", "data": data, "has_more": false}}
}

type refund struct {
	id     string
	amount int64
}

// wantSecurityLog checks that the security log has a line containing each of parts.
func (s *stripeServer) wantSecurityLog(t testing.TB, parts ...string) {
	t.Helper()
	for _, line := range strings.Split(s.security.String(), "\n") {
		ok := line != ""
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return
		}
	}
	t.Fatalf("no security log line with %q in:\n%s", parts, s.security.String())
}

// usdInvoice is a sent USD invoice of the books for total (a money string).
func (s *stripeServer) usdInvoice(t testing.TB, b *books, total string, fields map[string]any) invoice {
	t.Helper()
	body := map[string]any{"line_items": []map[string]any{{"description": "Advisory", "quantity": "1", "rate": total}}}
	for k, v := range fields {
		body[k] = v
	}
	return s.sentInvoice(t, b, body)
}

func describe(rows []stripePayment) string {
	var b strings.Builder
	for _, p := range rows {
		fmt.Fprintf(&b, "[%s %s %s ref=%s] ", p.Kind, p.Amount, p.Method, p.Reference)
	}
	return b.String()
}
