package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	stripego "github.com/stripe/stripe-go/v86"
)

// DefaultTimeout bounds every call to Stripe (SPEC §7: ≤ 15 s), retries included: a request
// that waits on Stripe longer is answered 503 rather than held.
const DefaultTimeout = 15 * time.Second

// Client-safe messages of Stripe failures; Stripe's own text stays in the log.
const (
	MsgRefused       = "The payment provider refused the request."
	MsgUnreachable   = "The payment provider could not be reached; try again later."
	MsgNotConfigured = "Online payments are not configured."
)

// Config is what the client needs: the secret key, the API base URL (empty for Stripe's; tests
// point it at stripe-mock or a fake) and the timeout of each call (0 for DefaultTimeout).
type Config struct {
	SecretKey string
	APIBase   string
	Timeout   time.Duration
}

// Client calls the Stripe API.
type Client struct {
	sc      *stripego.Client
	timeout time.Duration
}

// New returns a client for cfg. stripe-go's own retries are off: a call gets one attempt
// within its timeout, and callers retry with the same idempotency key.
func New(cfg Config) *Client {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	bc := &stripego.BackendConfig{
		HTTPClient:        &http.Client{Timeout: timeout},
		MaxNetworkRetries: stripego.Int64(0),
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if cfg.APIBase != "" {
		bc.URL = stripego.String(strings.TrimSuffix(cfg.APIBase, "/"))
	}
	return &Client{sc: stripego.NewClient(cfg.SecretKey, stripego.WithBackends(stripego.NewBackendsWithConfig(bc))),
		timeout: timeout}
}

// Timeout is the bound of each call.
func (c *Client) Timeout() time.Duration { return c.timeout }

// CustomerParams describe a customer to create.
type CustomerParams struct {
	Name, Email    string
	Metadata       map[string]string
	IdempotencyKey string
}

// Customer is a created customer and the Stripe request that made it.
type Customer struct {
	ID, RequestID string
}

// CreateCustomer creates a Stripe customer.
func (c *Client) CreateCustomer(ctx context.Context, p CustomerParams) (Customer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	params := &stripego.CustomerCreateParams{Metadata: p.Metadata}
	if p.Name != "" {
		params.Name = stripego.String(p.Name)
	}
	if p.Email != "" {
		params.Email = stripego.String(p.Email)
	}
	params.SetIdempotencyKey(p.IdempotencyKey)
	cu, err := c.sc.V1Customers.Create(ctx, params)
	if err != nil {
		return Customer{}, classify("create customer", err)
	}
	return Customer{ID: cu.ID, RequestID: requestID(cu.LastResponse)}, nil
}

// PaymentIntentParams describe a payment intent to create: an amount in minor units of an
// ISO 4217 currency.
type PaymentIntentParams struct {
	Amount         int64
	Currency       string
	Customer       string
	Description    string
	Metadata       map[string]string
	IdempotencyKey string
}

// PaymentIntent is a created (or, for a repeated idempotency key, the same) payment intent.
type PaymentIntent struct {
	ID, ClientSecret string
	Amount           int64
	Currency         string // upper case
	RequestID        string
}

// CreatePaymentIntent creates a payment intent that accepts the payment methods enabled in the
// Stripe dashboard. A repeated idempotency key returns the first call's intent.
func (c *Client) CreatePaymentIntent(ctx context.Context, p PaymentIntentParams) (PaymentIntent, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	params := &stripego.PaymentIntentCreateParams{
		Amount:                  stripego.Int64(p.Amount),
		Currency:                stripego.String(strings.ToLower(p.Currency)),
		Metadata:                p.Metadata,
		AutomaticPaymentMethods: &stripego.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripego.Bool(true)},
	}
	if p.Customer != "" {
		params.Customer = stripego.String(p.Customer)
	}
	if p.Description != "" {
		params.Description = stripego.String(p.Description)
	}
	params.SetIdempotencyKey(p.IdempotencyKey)
	pi, err := c.sc.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return PaymentIntent{}, classify("create payment intent", err)
	}
	return PaymentIntent{ID: pi.ID, ClientSecret: pi.ClientSecret, Amount: pi.Amount,
		Currency: strings.ToUpper(string(pi.Currency)), RequestID: requestID(pi.LastResponse)}, nil
}

// ErrKeyReused is the cause of a refusal because the idempotency key was used before with
// other parameters.
var ErrKeyReused = errors.New("idempotency key reused with other parameters")

// KeyReused reports whether err is Stripe refusing an idempotency key already used with other
// parameters: the caller may try again with the next attempt's key.
func KeyReused(err error) bool { return errors.Is(err, ErrKeyReused) }

// classify maps a stripe-go failure to a fault: an answer from Stripe is BadGateway (502),
// anything else — a timeout, a refused connection — Unavailable (503). The cause keeps
// Stripe's request id, type and code for the log.
func classify(op string, err error) error {
	var se *stripego.Error
	if errors.As(err, &se) && se.HTTPStatusCode != 0 {
		cause := fmt.Errorf("stripe %s: status %d, type %s, code %s, request id %s: %s",
			op, se.HTTPStatusCode, se.Type, se.Code, se.RequestID, se.Msg)
		if se.Type == stripego.ErrorTypeIdempotency {
			cause = fmt.Errorf("%w: %w", ErrKeyReused, cause)
		}
		return fault.Wrap(fault.BadGateway, MsgRefused, cause)
	}
	return fault.Wrap(fault.Unavailable, MsgUnreachable, fmt.Errorf("stripe %s: %w", op, err))
}

func requestID(r *stripego.APIResponse) string {
	if r == nil {
		return ""
	}
	return r.RequestID
}
