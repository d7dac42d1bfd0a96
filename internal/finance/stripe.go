package finance

import (
	"context"
	"fmt"
	"strconv"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/stripe"
	"github.com/uptrace/bun"
)

// Gateway is what finance asks of the payment provider: internal/stripe's Client in the server,
// a fake in tests.
type Gateway interface {
	CreateCustomer(ctx context.Context, p stripe.CustomerParams) (stripe.Customer, error)
	CreatePaymentIntent(ctx context.Context, p stripe.PaymentIntentParams) (stripe.PaymentIntent, error)
}

// Payers is what online payments ask of the CRM: a client's name and email for its Stripe
// customer, and where that customer is kept.
type Payers interface {
	Payer(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*crm.Payer, error)
	SetStripeCustomer(ctx context.Context, firm db.Firm, id, customerID string) (string, error)
}

// Online payment messages.
const (
	MsgPayOnlineStatusF = "Cannot pay a %s invoice online"
	MsgNothingDue       = "This invoice has no balance due"
)

// maxIntentAttempts bounds how many idempotency keys one call tries: the next attempt's key is
// used only when Stripe refuses a key already used with other parameters.
const maxIntentAttempts = 3

// payableOnline checks that an invoice can be paid online: sent, partly paid or overdue, with a
// balance due. Drafts, cancelled, paid and refunded invoices cannot.
func payableOnline(inv *Invoice) fault.Fields {
	var bad fault.Fields
	switch {
	case !inv.Status.open():
		bad.Add(fault.NonField, sprintf(MsgPayOnlineStatusF, inv.Status))
	case inv.BalanceDue() <= 0:
		bad.Add(fault.NonField, MsgNothingDue)
	}
	return bad
}

// intentKey is the idempotency key of a payment intent for an invoice's balance: the same
// invoice, balance and attempt always give the same key, so a retried call (a timeout, a
// double click) gets the payment intent the first call created, never a second one. A partial
// payment changes the balance and so the key.
func intentKey(inv *Invoice, balance money.Amount, attempt int) string {
	return fmt.Sprintf("consultantpro-pi-%s-%s-%d-%d", inv.ID, inv.Currency, balance, attempt)
}

// customerKey is the idempotency key of a client's Stripe customer: concurrent first payments
// of one client create one customer.
func customerKey(clientID string) string { return "consultantpro-customer-" + clientID }

// stripeAmount converts a Stripe amount (minor units of currency, as Stripe counts them) into
// an amount of the invoice's currency; false when the currencies differ or the amount is not
// positive. ConsultantPro's minor units are ISO 4217's (JPY has none), as are Stripe's for the
// currencies it settles.
func stripeAmount(amount int64, currency string, inv *Invoice) (money.Amount, bool) {
	if currency != inv.Currency || amount <= 0 {
		return 0, false
	}
	return money.Amount(amount), true
}

// Webhook results: what an event did, for the log, the metrics and the event's record.
const (
	ResultApplied   = "applied"   // it changed the books
	ResultLogged    = "logged"    // nothing to change; logged (a failure, an unknown type)
	ResultDuplicate = "duplicate" // the event was applied before
	ResultUnmatched = "unmatched" // no invoice of the firm it names
	ResultRejected  = "rejected"  // it does not fit the invoice (currency, balance, status): logged for review
	ResultIgnored   = "ignored"   // already reflected (another event recorded it, or it is out of date)
)

// syntheticRefundID names the part of a charge's cumulative refunded amount that arrived
// without its refund objects, so that it too is recorded once.
func syntheticRefundID(chargeID string, cumulative int64) string {
	return chargeID + ":refunded:" + strconv.FormatInt(cumulative, 10)
}
