package finance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/stripe"
	"github.com/danielgtaylor/huma/v2"
)

// WebhookPath is where Stripe delivers events: outside the versioned API, like the health
// probes, because Stripe is configured with one fixed URL.
const WebhookPath = "/webhooks/stripe/"

// Webhook refusal messages (400, nothing changed).
const (
	MsgNoSignature    = "Missing Stripe-Signature header."
	MsgBadSignature   = "Invalid Stripe signature."
	MsgStaleSignature = "Stripe signature timestamp is outside the tolerance."
	MsgBadEvent       = "The body is not a readable Stripe event."
	MsgNoWebhookKey   = "Stripe webhooks are not configured."
)

// Webhook configures the webhook endpoint: the signing secrets (any may match, so a rotated
// secret keeps working), how old a signature may be, its own rate limit per client IP, and the
// metrics counter of events by type and result.
type Webhook struct {
	Secrets   []string
	Tolerance time.Duration // 0 for stripe.DefaultTolerance
	Limiter   ratelimit.Limiter
	Rate      ratelimit.Rate
	Count     func(eventType, result string)
	Now       func() time.Time
}

// PaymentIntentOut is a payment intent the client confirms with Stripe.js.
type PaymentIntentOut struct {
	ClientSecret    string `json:"client_secret" doc:"Give it to Stripe.js to collect the payment"`
	PaymentIntentID string `json:"payment_intent_id" example:"pi_3PgafyB7WZ01zgkW0Wn2nRcX"`
	Amount          int64  `json:"amount" example:"160000" doc:"The balance due in minor units of the currency (ISO 4217: 160000 is 1600.00 USD, 1600 is 1600 JPY), as Stripe counts it"`
	Currency        string `json:"currency" example:"USD"`
}

type webhookIn struct {
	Signature string `header:"Stripe-Signature" doc:"Stripe's signature of the raw body: t=<unix time>,v1=<hex HMAC-SHA256>"`
	RawBody   []byte `contentType:"application/json"`
}

type webhookOut struct {
	Body struct {
		Received bool   `json:"received"`
		Result   string `json:"result" enum:"applied,logged,duplicate,unmatched,rejected,ignored"`
	}
}

// RegisterStripe adds online payments to the API: the payment intent of an invoice and the
// webhook Stripe reports payments and refunds to.
func RegisterStripe(a *api.API, o *Online, w Webhook) {
	op := huma.Operation{OperationID: "create-invoice-payment-intent", Method: http.MethodPost,
		Path: "/finance/invoices/{id}/create-payment-intent/", Summary: "Create a Stripe payment intent for an invoice",
		Description: "A payment operation, under the payment rate limit. Creates a Stripe payment intent for the invoice's " +
			"balance due in its currency, for the client's Stripe customer (created on its first online payment). A " +
			"retried call returns the same payment intent. Only sent, partial and overdue invoices with a balance due " +
			"(400 otherwise). 502 when Stripe refuses, 503 when it cannot be reached or is not configured.",
		Tags: []string{"Finance: invoices"}, DefaultStatus: http.StatusOK,
		Errors: []int{http.StatusBadGateway, http.StatusServiceUnavailable}}
	api.Throttled(&op, api.Payment)
	resource.Operation(a, op, invoicePolicy{}, Pay, o.s.loadInvoice, func(ctx context.Context, actor auth.Actor, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body PaymentIntentOut }, error) {
		audit.Act(ctx, "payment_intent")
		pi, err := o.CreatePaymentIntent(ctx, actor, in.ID)
		if err != nil {
			return nil, err
		}
		return &struct{ Body PaymentIntentOut }{PaymentIntentOut{ClientSecret: pi.ClientSecret, PaymentIntentID: pi.ID,
			Amount: pi.Amount, Currency: pi.Currency}}, nil
	})
	registerWebhook(a, o, w)
}

func registerWebhook(a *api.API, o *Online, w Webhook) {
	if w.Tolerance <= 0 {
		w.Tolerance = stripe.DefaultTolerance
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Count == nil {
		w.Count = func(string, string) {}
	}
	h := &webhook{o: o, w: w, a: a}
	op := huma.Operation{OperationID: "stripe-webhook", Method: http.MethodPost, Path: WebhookPath,
		Summary: "Receive a Stripe event", Tags: []string{"Stripe"}, Security: api.Anonymous(),
		Description: "Stripe's webhook endpoint. No credentials: the Stripe-Signature header is verified over the raw body " +
			"(HMAC-SHA256 with the endpoint's signing secret, any v1 signature may match, 300 s tolerance) before the body is " +
			"read; a missing or bad signature, a stale timestamp or an unreadable body → 400, nothing changed. Each event " +
			"is applied once, in one transaction with its record; a redelivery → 200 with no effect; a transient failure → " +
			"500 so Stripe retries; unknown event types → 200. Own rate limit per client IP; bodies up to 1 MiB.",
		Errors:       []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable},
		MaxBodyBytes: api.MaxBodyBytes + 1,
		// The body is verified as bytes, then read as a Stripe event; huma must not parse it.
		SkipValidateBody: true,
		Middlewares:      huma.Middlewares{h.limit},
	}
	api.SetPolicy(&op, api.PolicyPublic)
	// The platform's scopes do not apply: Stripe delivers from a few addresses in bursts and
	// must not spend the anonymous budget of login. The endpoint has its own limit (limit).
	api.Unthrottled(&op)
	huma.Register(a.Huma, op, h.serve)
}

// webhook serves Stripe's deliveries.
type webhook struct {
	o *Online
	w Webhook
	a *api.API
}

// limit is the webhook's own rate limit per client IP, with SPEC §10's headers and 429.
func (h *webhook) limit(ctx huma.Context, next func(huma.Context)) {
	if h.w.Limiter == nil || h.w.Rate.Limit == 0 {
		next(ctx)
		return
	}
	info := api.Info(ctx.Context())
	d, err := h.w.Limiter.Allow(ctx.Context(), "webhook:ip:"+info.ClientIP, h.w.Rate)
	if err != nil {
		next(ctx) // the limiter could not decide (it logs why): serve rather than refuse Stripe
		return
	}
	ctx.SetHeader("X-RateLimit-Limit", strconv.Itoa(d.Limit))
	ctx.SetHeader("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
	ctx.SetHeader("X-RateLimit-Reset", strconv.FormatInt(d.ResetUnix(), 10))
	if d.Allowed {
		next(ctx)
		return
	}
	secs := d.RetryAfterSeconds()
	h.w.Count("unverified", "throttled")
	h.o.security.Warn("request throttled", "event", "throttled", "scope", "webhook", "request_id", info.ID,
		"client_ip", info.ClientIP, "path", info.Path)
	e := &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(api.MsgThrottled, secs), RetryAfter: time.Duration(secs) * time.Second}
	_ = huma.WriteErr(h.a.Huma, ctx, api.StatusOf(e), "", e)
}

func (h *webhook) serve(ctx context.Context, in *webhookIn) (*webhookOut, error) {
	info := api.Info(ctx)
	err := stripe.Verify(in.RawBody, in.Signature, h.w.Secrets, h.w.Now(), h.w.Tolerance)
	if errors.Is(err, stripe.ErrNoSecret) {
		h.w.Count("unverified", "unconfigured")
		h.o.log.Error("stripe webhook received but STRIPE_WEBHOOK_SECRET is not set", "request_id", info.ID)
		return nil, fault.New(fault.Unavailable, MsgNoWebhookKey)
	}
	var ev stripe.Event
	if err == nil {
		ev, err = stripe.ParseEvent(in.RawBody)
	}
	if err != nil {
		h.w.Count("unverified", "refused")
		h.o.security.Warn("stripe webhook refused", "event", "webhook_refused", "reason", err.Error(),
			"request_id", info.ID, "client_ip", info.ClientIP)
		return nil, fault.Wrap(fault.BadRequest, refusal(err), err)
	}
	label := metricType(ev.Type)
	result, firm, err := h.o.Apply(ctx, ev)
	if err != nil {
		h.w.Count(label, "failed")
		// Any failure, a busy or unreachable database included, is a 500: Stripe retries it.
		return nil, fault.Wrap(fault.Internal, "", fmt.Errorf("apply stripe event %s (%s): %w", ev.ID, ev.Type, err))
	}
	h.w.Count(label, result)
	if firm != "" {
		info.SetActor("", firm, "")
	}
	h.o.log.Info("stripe webhook", "stripe_event", ev.ID, "type", ev.Type, "result", result, "firm", firm,
		"request_id", info.ID, "livemode", ev.Livemode)
	out := &webhookOut{}
	out.Body.Received, out.Body.Result = true, result
	return out, nil
}

// refusal is the client-facing message of a refused delivery.
func refusal(err error) string {
	switch {
	case errors.Is(err, stripe.ErrNoSignature):
		return MsgNoSignature
	case errors.Is(err, stripe.ErrStale):
		return MsgStaleSignature
	case errors.Is(err, stripe.ErrBadEvent):
		return MsgBadEvent
	}
	return MsgBadSignature
}

// metricType is an event type as a metric label: the reconciled types by name, any other as
// "other", so that labels stay few.
func metricType(t string) string {
	for _, known := range stripe.EventTypes() {
		if t == known {
			return t
		}
	}
	return "other"
}
