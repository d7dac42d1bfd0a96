package finance

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/stripe"
	"github.com/uptrace/bun"
)

// StripeEvent is the record of one applied webhook event (stripe_events): its id is recorded
// in the transaction of its effects, so a redelivery has none.
type StripeEvent struct {
	bun.BaseModel `bun:"table:stripe_events,alias:se"`
	ID            string    `bun:"id,pk"`
	Type          string    `bun:"type"`
	FirmID        *string   `bun:"firm_id"`
	InvoiceID     *string   `bun:"invoice_id"`
	Result        string    `bun:"result"`
	CreatedAt     time.Time `bun:"created_at"`
	ReceivedAt    time.Time `bun:"received_at"`
}

// Online is the Stripe side of finance: creating payment intents and reconciling webhook
// events into payments, refunds and ledger postings.
type Online struct {
	s        *Service
	gateway  Gateway // nil when no Stripe key is configured
	payers   Payers
	log      *slog.Logger
	security *slog.Logger
}

// NewOnline assembles online payments; gateway is nil when Stripe is not configured.
func NewOnline(s *Service, gateway Gateway, payers Payers, log, security *slog.Logger) *Online {
	return &Online{s: s, gateway: gateway, payers: payers, log: log, security: security}
}

// CreatePaymentIntent creates (or, for a retry, finds again) the Stripe payment intent that
// pays an invoice's balance due (SPEC §7), for the client's Stripe customer, which is created on
// the client's first online payment and kept.
func (o *Online) CreatePaymentIntent(ctx context.Context, a auth.Actor, invoiceID string) (*stripe.PaymentIntent, error) {
	inv, err := o.s.invoiceRow(ctx, o.s.db.R, a.Firm(), invoiceID, false)
	if err != nil {
		return nil, err
	}
	if err := resource.Check(invoicePolicy{}, a, Pay, inv); err != nil {
		return nil, err
	}
	if err := payableOnline(inv).Err(); err != nil {
		return nil, err
	}
	if o.gateway == nil {
		return nil, fault.New(fault.Unavailable, stripe.MsgNotConfigured)
	}
	customer, err := o.customer(ctx, a, inv.ClientID)
	if err != nil {
		return nil, err
	}
	balance := inv.BalanceDue()
	p := stripe.PaymentIntentParams{Amount: int64(balance), Currency: inv.Currency, Customer: customer,
		Description: "Invoice " + deref(inv.InvoiceNumber),
		Metadata: map[string]string{stripe.MetaInvoice: inv.ID, stripe.MetaFirm: inv.FirmID,
			"invoice_number": deref(inv.InvoiceNumber)}}
	for attempt := 1; ; attempt++ {
		p.IdempotencyKey = intentKey(inv, balance, attempt)
		pi, err := o.gateway.CreatePaymentIntent(ctx, p)
		if stripe.KeyReused(err) && attempt < maxIntentAttempts {
			o.log.Warn("stripe idempotency key reused with other parameters; trying the next attempt",
				"invoice", inv.ID, "firm", inv.FirmID, "attempt", attempt, "cause", err.Error())
			continue
		}
		if err != nil {
			return nil, err
		}
		o.log.Info("stripe payment intent", "invoice", inv.ID, "firm", inv.FirmID, "payment_intent", pi.ID,
			"amount", pi.Amount, "currency", pi.Currency, "stripe_request_id", pi.RequestID, "attempt", attempt)
		return &pi, nil
	}
}

// customer returns the client's Stripe customer, creating and storing it the first time.
func (o *Online) customer(ctx context.Context, a auth.Actor, clientID string) (string, error) {
	payer, err := o.payers.Payer(ctx, o.s.db.R, a.Firm(), clientID)
	if err != nil {
		return "", err
	}
	if payer.StripeCustomerID != nil {
		return *payer.StripeCustomerID, nil
	}
	cu, err := o.gateway.CreateCustomer(ctx, stripe.CustomerParams{Name: payer.CompanyName, Email: payer.PrimaryContactEmail,
		Metadata: map[string]string{"client_id": payer.ID, stripe.MetaFirm: payer.FirmID}, IdempotencyKey: customerKey(payer.ID)})
	if err != nil {
		return "", err
	}
	o.log.Info("stripe customer created", "client", payer.ID, "firm", payer.FirmID, "customer", cu.ID, "stripe_request_id", cu.RequestID)
	return o.payers.SetStripeCustomer(ctx, a.Firm(), payer.ID, cu.ID)
}

// target is the invoice an event is about, as the event names it.
type target struct {
	firm, invoice string
}

// Apply reconciles one verified event (SPEC §7) in one transaction with its record: a
// duplicate has no effect, and a failure leaves nothing behind, so Stripe's retry applies it.
// It returns the result and, when the event matched one, the invoice's firm.
func (o *Online) Apply(ctx context.Context, ev stripe.Event) (string, string, error) {
	var result, firmID string
	t, err := o.target(ctx, o.s.db.R, ev)
	if err != nil {
		return "", "", err
	}
	if t.firm != "" {
		// The firm's data version is bumped when the transaction commits: cached lists of the
		// firm show the event's effects at once.
		ctx = db.WithFirm(ctx, t.firm)
	}
	if t.invoice != "" {
		// Stripe acts on the invoice: the audit row shows what the event changed.
		info := api.Info(ctx)
		ctx = audit.Start(ctx, audit.Stripe, t.firm, auditAction(ev), (*Invoice)(nil), t.invoice, info.ID, info.ClientIP)
	}
	err = o.s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		result, firmID = "", ""
		var inv *Invoice
		var err error
		if t.invoice != "" {
			// The invoice's row is locked first, then the event recorded: every delivery of an
			// event about an invoice takes the locks in that order.
			inv, err = o.s.invoiceRow(ctx, tx, db.ForFirm(t.firm), t.invoice, true)
			if db.IsNotFound(err) {
				inv, err = nil, nil
			}
			if err != nil {
				return err
			}
		}
		rec := &StripeEvent{ID: ev.ID, Type: ev.Type, Result: "pending", CreatedAt: ev.Created, ReceivedAt: o.s.stamp()}
		if inv != nil {
			rec.FirmID, rec.InvoiceID = &inv.FirmID, &inv.ID
			firmID = inv.FirmID
		}
		res, err := tx.NewInsert().Model(rec).On("CONFLICT (id) DO NOTHING").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			result = ResultDuplicate
			skipAudit(ctx, result)
			return nil
		}
		switch {
		case ev.PaymentIntent == nil && ev.Invoice == nil && ev.Charge == nil:
			result = ResultLogged
		case inv == nil:
			result = ResultUnmatched
			meta := metadata(ev)
			o.security.Warn("stripe event for no invoice of the firm it names", "event", "stripe_unmatched",
				"stripe_event", ev.ID, "type", ev.Type, "metadata_firm", meta[stripe.MetaFirm],
				"metadata_invoice", meta[stripe.MetaInvoice], "firm", t.firm, "invoice", t.invoice)
		default:
			if result, err = o.effect(ctx, tx, ev, inv); err != nil {
				return err
			}
		}
		skipAudit(ctx, result)
		_, err = tx.NewUpdate().Model(rec).Set("result = ?", result).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	return result, firmID, err
}

// skipAudit leaves an event that changed nothing but its own record out of the audit log.
func skipAudit(ctx context.Context, result string) {
	if frame := audit.FrameOf(ctx); frame != nil && result != ResultApplied {
		frame.Skip()
	}
}

// auditAction names what a Stripe event does to its invoice in the audit log.
func auditAction(ev stripe.Event) string {
	if strings.Contains(ev.Type, "refund") {
		return "refund"
	}
	return "payment"
}

// target finds the invoice an event names: metadata.invoice_id and metadata.firm_id on payment
// intents and Stripe invoices; for a charge, the payment its payment intent made (or the
// charge's own metadata). It reads before the event's transaction, so the transaction can name
// the firm whose data it changes; a payment, once made, never changes its invoice.
func (o *Online) target(ctx context.Context, idb bun.IDB, ev stripe.Event) (target, error) {
	if ev.PaymentIntent == nil && ev.Invoice == nil && ev.Charge == nil {
		return target{}, nil
	}
	meta := metadata(ev)
	t := target{firm: meta[stripe.MetaFirm], invoice: meta[stripe.MetaInvoice]}
	if ev.Charge == nil || t.invoice != "" || ev.Charge.PaymentIntent == "" {
		if !db.ValidID(t.firm) || !db.ValidID(t.invoice) {
			return target{}, nil
		}
		return t, nil
	}
	// A charge does not carry its payment intent's metadata: the payment the intent made names
	// the invoice. Stripe's ids are global, so the id alone finds it; a firm named on the charge
	// narrows the search to that firm.
	var row struct {
		FirmID    string  `bun:"firm_id"`
		InvoiceID *string `bun:"invoice_id"`
	}
	q := idb.NewSelect().Table("payments").Column("firm_id", "invoice_id").
		Where("stripe_payment_intent_id = ?", ev.Charge.PaymentIntent).Where("kind = ?", KindPayment)
	if t.firm != "" {
		q = q.Where("firm_id = ?", t.firm)
	}
	err := q.Limit(1).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) || err == nil && row.InvoiceID == nil {
		return target{}, nil
	}
	if err != nil {
		return target{}, db.Translate(err)
	}
	return target{firm: row.FirmID, invoice: *row.InvoiceID}, nil
}

// effect applies an event to its invoice (locked) and returns its result.
func (o *Online) effect(ctx context.Context, tx bun.Tx, ev stripe.Event, inv *Invoice) (string, error) {
	a, err := o.firmActor(ctx, inv.FirmID)
	if err != nil {
		return "", err
	}
	day := date.Today(ev.Created, a.Location())
	switch ev.Type {
	case stripe.PaymentIntentSucceeded:
		pi := ev.PaymentIntent
		p := o.stripePayment(a, inv, KindPayment, day, pi.ID)
		p.StripePaymentIntentID = &pi.ID
		if pi.LatestCharge != "" {
			p.StripeChargeID = &pi.LatestCharge
		}
		return o.pay(ctx, tx, ev, a, inv, p, pi.AmountReceived, pi.Currency, "stripe_payment_intent_id", pi.ID)
	case stripe.InvoicePaid:
		in := ev.Invoice
		p := o.stripePayment(a, inv, KindPayment, day, in.ID)
		p.StripeInvoiceID = &in.ID
		return o.pay(ctx, tx, ev, a, inv, p, in.AmountPaid, in.Currency, "stripe_invoice_id", in.ID)
	case stripe.PaymentIntentFailed:
		return o.paymentFailed(ctx, tx, ev, a, inv)
	case stripe.InvoiceFailed:
		o.security.Warn("stripe invoice payment failed: review", "event", "stripe_invoice_payment_failed",
			"stripe_event", ev.ID, "stripe_invoice", ev.Invoice.ID, "attempt", ev.Invoice.AttemptCount,
			"amount_due", ev.Invoice.AmountDue, "currency", ev.Invoice.Currency, "invoice", inv.ID, "firm", inv.FirmID)
		return ResultLogged, nil
	case stripe.ChargeRefunded:
		return o.refunds(ctx, tx, ev, a, inv)
	}
	return ResultLogged, nil
}

// pay records a Stripe payment of amount once per Stripe object (a payment intent or a Stripe
// invoice, by column and id).
func (o *Online) pay(ctx context.Context, tx bun.Tx, ev stripe.Event, a auth.Actor, inv *Invoice, p *Payment,
	amount int64, currency, column, id string) (string, error) {
	seen, err := a.Firm().Exists(ctx, tx, (*Payment)(nil), "pay."+column+" = ? AND pay.kind = ?", id, KindPayment)
	if err != nil || seen {
		return ResultIgnored, err
	}
	v, ok := stripeAmount(amount, currency, inv)
	if !ok {
		return o.reject(ev, inv, "amount or currency does not fit the invoice", "amount", amount, "currency", currency)
	}
	p.Amount = v
	return o.record(ctx, tx, ev, a, inv, p)
}

// record applies a payment or refund through the same path as one recorded by hand; one the
// invoice cannot take (its status, its balance) is left for review.
func (o *Online) record(ctx context.Context, tx bun.Tx, ev stripe.Event, a auth.Actor, inv *Invoice, p *Payment) (string, error) {
	err := o.s.applyInvoicePayment(ctx, tx, a, inv, p)
	if fault.KindOf(err) == fault.Invalid {
		return o.reject(ev, inv, err.Error(), "kind", string(p.Kind), "amount", int64(p.Amount))
	}
	if err != nil {
		return "", err
	}
	o.log.Info("stripe event applied", "stripe_event", ev.ID, "type", ev.Type, "invoice", inv.ID, "firm", inv.FirmID,
		"kind", string(p.Kind), "amount", int64(p.Amount), "currency", p.Currency, "status", string(inv.Status))
	return ResultApplied, nil
}

// reject logs an event that does not fit its invoice, for someone to reconcile by hand.
func (o *Online) reject(ev stripe.Event, inv *Invoice, why string, args ...any) (string, error) {
	o.security.Error("stripe event does not fit its invoice: review", append([]any{"event", "stripe_review",
		"stripe_event", ev.ID, "type", ev.Type, "invoice", inv.ID, "firm", inv.FirmID, "status", string(inv.Status),
		"reason", why}, args...)...)
	return ResultRejected, nil
}

// paymentFailed logs why a payment failed and, when the invoice is sent and past due, makes it
// overdue. An invoice that is paid, partly paid or already overdue is left as it is, so a
// failure delivered after a success changes nothing.
func (o *Online) paymentFailed(ctx context.Context, tx bun.Tx, ev stripe.Event, a auth.Actor, inv *Invoice) (string, error) {
	pi := ev.PaymentIntent
	o.security.Warn("stripe payment failed", "event", "stripe_payment_failed", "stripe_event", ev.ID,
		"payment_intent", pi.ID, "code", orNone(pi.FailureCode), "decline_code", orNone(pi.FailureDeclineCode),
		"reason", orNone(pi.FailureMessage), "invoice", inv.ID, "firm", inv.FirmID)
	if inv.Status != InvoiceSent || !inv.DueDate.Before(date.Today(o.s.now(), a.Location())) {
		return ResultLogged, nil
	}
	_, err := a.Firm().Update(tx, (*Invoice)(nil)).Set("status = ?", InvoiceOverdue).Set("updated_at = ?", o.s.stamp()).
		Where("inv.id = ?", inv.ID).Where("inv.status = ?", InvoiceSent).Exec(ctx)
	if err != nil {
		return "", db.Translate(err)
	}
	return ResultApplied, nil
}

// refunds records the refunds of a charge, each once by refund id. The charge's amount_refunded
// is cumulative: what it adds to the refunds already recorded for the payment intent is all
// that is recorded, so no amount is subtracted twice however often or in whatever order the
// charge's events arrive.
func (o *Online) refunds(ctx context.Context, tx bun.Tx, ev stripe.Event, a auth.Actor, inv *Invoice) (string, error) {
	ch := ev.Charge
	if ch.Currency != inv.Currency {
		return o.reject(ev, inv, "currency does not fit the invoice", "currency", ch.Currency)
	}
	if err := o.paymentBeforeRefund(ctx, tx, ev, a, inv); err != nil {
		return "", err
	}
	var recorded int64
	q := a.Firm().Select(tx, (*Payment)(nil)).ColumnExpr("COALESCE(SUM(pay.amount), 0)").
		Where("pay.invoice_id = ?", inv.ID).Where("pay.kind = ?", KindRefund)
	if ch.PaymentIntent != "" {
		q = q.Where("(pay.stripe_payment_intent_id = ? OR pay.stripe_charge_id = ?)", ch.PaymentIntent, ch.ID)
	} else {
		q = q.Where("pay.stripe_charge_id = ?", ch.ID)
	}
	if err := q.Scan(ctx, &recorded); err != nil {
		return "", db.Translate(err)
	}
	remaining := ch.AmountRefunded - recorded
	result := ResultIgnored
	add := func(refundID string, amount int64, day date.Date) error {
		p := o.stripePayment(a, inv, KindRefund, day, refundID)
		p.Amount, p.StripeRefundID, p.StripeChargeID = money.Amount(amount), &refundID, &ch.ID
		if ch.PaymentIntent != "" {
			p.StripePaymentIntentID = &ch.PaymentIntent
		}
		r, err := o.record(ctx, tx, ev, a, inv, p)
		if err == nil && result != ResultRejected {
			result = r
		}
		remaining -= amount
		return err
	}
	for _, r := range ch.Refunds {
		if !r.Counts() || remaining <= 0 {
			continue
		}
		seen, err := a.Firm().Exists(ctx, tx, (*Payment)(nil), "pay.stripe_refund_id = ?", r.ID)
		if err != nil {
			return "", err
		}
		if seen {
			continue
		}
		if err := add(r.ID, min(r.Amount, remaining), date.Today(r.Created, a.Location())); err != nil {
			return "", err
		}
	}
	if remaining > 0 {
		// Refunds Stripe did not list: the rest of the cumulative amount, once per total.
		if err := add(syntheticRefundID(ch.ID, ch.AmountRefunded), remaining, date.Today(ev.Created, a.Location())); err != nil {
			return "", err
		}
	}
	return result, nil
}

// paymentBeforeRefund records the payment a refunded charge made when its payment intent's
// success has not arrived yet (Stripe does not promise order, and a failed delivery of the
// success is retried later). The charge names the invoice through the metadata Stripe copies
// from the payment intent; the payment is recorded once per payment intent, so the success
// that arrives later changes nothing. Without this, the refund would exceed what was paid and
// be lost.
func (o *Online) paymentBeforeRefund(ctx context.Context, tx bun.Tx, ev stripe.Event, a auth.Actor, inv *Invoice) error {
	ch := ev.Charge
	if ch.PaymentIntent == "" || ch.AmountCaptured <= 0 {
		return nil
	}
	p := o.stripePayment(a, inv, KindPayment, date.Today(ev.Created, a.Location()), ch.PaymentIntent)
	p.StripePaymentIntentID, p.StripeChargeID = &ch.PaymentIntent, &ch.ID
	_, err := o.pay(ctx, tx, ev, a, inv, p, ch.AmountCaptured, ch.Currency, "stripe_payment_intent_id", ch.PaymentIntent)
	return err
}

// stripePayment starts a Stripe payment or refund of the invoice, by the system (no user).
func (o *Online) stripePayment(a auth.Actor, inv *Invoice, kind PaymentKind, day date.Date, reference string) *Payment {
	return &Payment{ID: db.NewID(), FirmID: inv.FirmID, Kind: kind, Currency: inv.Currency, Method: MethodStripe,
		ReceivedOn: day, Reference: reference, CreatedBy: actorID(a), CreatedAt: o.s.stamp()}
}

// firmActor is the system acting for a firm (no user): the firm's time zone dates what it
// records.
func (o *Online) firmActor(ctx context.Context, firmID string) (auth.Actor, error) {
	f, err := o.s.firms.Firm(ctx, auth.Actor{FirmID: firmID})
	if err != nil {
		return auth.Actor{}, err
	}
	return auth.Actor{FirmID: firmID, Timezone: f.Timezone, Currency: f.DefaultCurrency}, nil
}

// metadata is the metadata of the object an event carries (nil for other types).
func metadata(ev stripe.Event) map[string]string {
	switch {
	case ev.PaymentIntent != nil:
		return ev.PaymentIntent.Metadata
	case ev.Invoice != nil:
		return ev.Invoice.Metadata
	case ev.Charge != nil:
		return ev.Charge.Metadata
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
