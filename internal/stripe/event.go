package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v86"
)

// The event types ConsultantPro reconciles (SPEC §7). Every other type is acknowledged and
// logged.
const (
	PaymentIntentSucceeded = "payment_intent.succeeded"
	PaymentIntentFailed    = "payment_intent.payment_failed"
	InvoicePaid            = "invoice.payment_succeeded"
	InvoiceFailed          = "invoice.payment_failed"
	ChargeRefunded         = "charge.refunded"
)

// EventTypes lists the types ConsultantPro reconciles, the ones to subscribe the endpoint to.
func EventTypes() []string {
	return []string{PaymentIntentSucceeded, PaymentIntentFailed, InvoicePaid, InvoiceFailed, ChargeRefunded}
}

// Metadata keys ConsultantPro puts on the payment intents it creates, and looks for on every
// object an event carries.
const (
	MetaInvoice = "invoice_id"
	MetaFirm    = "firm_id"
)

// ErrBadEvent means a verified body is not a Stripe event ConsultantPro can read.
var ErrBadEvent = errors.New("body is not a readable Stripe event")

// Event is a verified webhook delivery. Exactly one of PaymentIntent, Invoice and Charge is set
// for the types ConsultantPro reconciles; none for the others.
type Event struct {
	ID       string
	Type     string
	Created  time.Time
	Livemode bool

	PaymentIntent *PaymentIntentObject
	Invoice       *InvoiceObject
	Charge        *ChargeObject
}

// PaymentIntentObject is what ConsultantPro reads of a payment intent.
type PaymentIntentObject struct {
	ID             string
	Amount         int64 // minor units of Currency
	AmountReceived int64
	Currency       string // upper case ISO 4217
	Status         string
	Metadata       map[string]string
	LatestCharge   string
	// The last payment error, empty when Stripe sent none (last_payment_error: null).
	FailureCode, FailureDeclineCode, FailureMessage string
}

// InvoiceObject is what ConsultantPro reads of a Stripe invoice.
type InvoiceObject struct {
	ID           string
	AmountPaid   int64
	AmountDue    int64
	Currency     string
	Status       string
	AttemptCount int64
	Metadata     map[string]string
}

// ChargeObject is what ConsultantPro reads of a charge.
type ChargeObject struct {
	ID             string
	PaymentIntent  string
	Amount         int64
	AmountCaptured int64 // what the charge took from the card
	AmountRefunded int64 // cumulative: every refund of the charge so far
	Currency       string
	Refunded       bool // refunded in full
	Metadata       map[string]string
	Refunds        []Refund // oldest first; may be incomplete when Stripe did not include them all
}

// Refund is one refund of a charge.
type Refund struct {
	ID      string
	Amount  int64
	Status  string
	Created time.Time
}

// Counts reports whether the refund moved money back (or is about to): failed and cancelled
// refunds do not count.
func (r Refund) Counts() bool { return r.Status != "failed" && r.Status != "canceled" }

// ParseEvent reads a verified webhook body. The object is read for the types ConsultantPro
// reconciles; for others only the envelope (id, type, created) is.
func ParseEvent(payload []byte) (Event, error) {
	var raw stripego.Event
	if err := json.Unmarshal(payload, &raw); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if raw.ID == "" || raw.Type == "" {
		return Event{}, fmt.Errorf("%w: no id or type", ErrBadEvent)
	}
	ev := Event{ID: raw.ID, Type: string(raw.Type), Created: time.Unix(raw.Created, 0).UTC(), Livemode: raw.Livemode}
	var obj json.RawMessage
	if raw.Data != nil {
		obj = raw.Data.Raw
	}
	known := false
	for _, t := range EventTypes() {
		known = known || t == ev.Type
	}
	if !known {
		return ev, nil
	}
	if len(obj) == 0 || string(obj) == "null" {
		return Event{}, fmt.Errorf("%w: %s without data.object", ErrBadEvent, ev.Type)
	}
	var err error
	switch ev.Type {
	case PaymentIntentSucceeded, PaymentIntentFailed:
		ev.PaymentIntent, err = parsePaymentIntent(obj)
	case InvoicePaid, InvoiceFailed:
		ev.Invoice, err = parseInvoice(obj)
	case ChargeRefunded:
		ev.Charge, err = parseCharge(obj)
	}
	if err != nil {
		return Event{}, fmt.Errorf("%w: %s: %v", ErrBadEvent, ev.Type, err)
	}
	return ev, nil
}

func parsePaymentIntent(obj []byte) (*PaymentIntentObject, error) {
	var pi stripego.PaymentIntent
	if err := json.Unmarshal(obj, &pi); err != nil {
		return nil, err
	}
	if pi.ID == "" {
		return nil, errors.New("payment intent without id")
	}
	out := &PaymentIntentObject{ID: pi.ID, Amount: pi.Amount, AmountReceived: pi.AmountReceived,
		Currency: strings.ToUpper(string(pi.Currency)), Status: string(pi.Status), Metadata: pi.Metadata}
	if pi.LatestCharge != nil {
		out.LatestCharge = pi.LatestCharge.ID
	}
	if e := pi.LastPaymentError; e != nil {
		out.FailureCode, out.FailureDeclineCode, out.FailureMessage = string(e.Code), string(e.DeclineCode), e.Msg
	}
	return out, nil
}

func parseInvoice(obj []byte) (*InvoiceObject, error) {
	var in stripego.Invoice
	if err := json.Unmarshal(obj, &in); err != nil {
		return nil, err
	}
	if in.ID == "" {
		return nil, errors.New("invoice without id")
	}
	return &InvoiceObject{ID: in.ID, AmountPaid: in.AmountPaid, AmountDue: in.AmountDue,
		Currency: strings.ToUpper(string(in.Currency)), Status: string(in.Status), AttemptCount: in.AttemptCount,
		Metadata: in.Metadata}, nil
}

func parseCharge(obj []byte) (*ChargeObject, error) {
	var ch stripego.Charge
	if err := json.Unmarshal(obj, &ch); err != nil {
		return nil, err
	}
	if ch.ID == "" {
		return nil, errors.New("charge without id")
	}
	out := &ChargeObject{ID: ch.ID, Amount: ch.Amount, AmountCaptured: ch.AmountCaptured, AmountRefunded: ch.AmountRefunded,
		Currency: strings.ToUpper(string(ch.Currency)), Refunded: ch.Refunded, Metadata: ch.Metadata}
	if ch.PaymentIntent != nil {
		out.PaymentIntent = ch.PaymentIntent.ID
	}
	if ch.Refunds != nil {
		for _, r := range ch.Refunds.Data {
			if r == nil || r.ID == "" {
				continue
			}
			out.Refunds = append(out.Refunds, Refund{ID: r.ID, Amount: r.Amount, Status: string(r.Status),
				Created: time.Unix(r.Created, 0).UTC()})
		}
	}
	sort.SliceStable(out.Refunds, func(i, j int) bool { return out.Refunds[i].Created.Before(out.Refunds[j].Created) })
	return out, nil
}
