package finance

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Payment is one receipt or refund of an invoice, or one payment or refund of a bill.
type Payment struct {
	bun.BaseModel         `bun:"table:payments,alias:pay"`
	ID                    string        `bun:"id,pk"`
	FirmID                string        `bun:"firm_id"`
	InvoiceID             *string       `bun:"invoice_id"`
	BillID                *string       `bun:"bill_id"`
	Kind                  PaymentKind   `bun:"kind"`
	Amount                money.Amount  `bun:"amount"`
	Currency              string        `bun:"currency"`
	Method                PaymentMethod `bun:"method"`
	ReceivedOn            date.Date     `bun:"received_on"`
	Reference             string        `bun:"reference"`
	Notes                 string        `bun:"notes"`
	StripePaymentIntentID *string       `bun:"stripe_payment_intent_id"`
	StripeChargeID        *string       `bun:"stripe_charge_id"`
	StripeRefundID        *string       `bun:"stripe_refund_id"`
	StripeInvoiceID       *string       `bun:"stripe_invoice_id"`
	CreatedBy             *string       `bun:"created_by"`
	CreatedAt             time.Time     `bun:"created_at"`
	InvoiceNumber         *string       `bun:"invoice_number,scanonly"`
	BillReference         *string       `bun:"bill_reference,scanonly"`

	amountSent *money.Decimal // read in the invoice's or bill's currency
}

// paymentQuery declares the payment list's filters and ordering.
func paymentQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: append([]db.Filter{
			{Name: "invoice", Column: "pay.invoice_id", Kind: db.IDFilter},
			{Name: "bill", Column: "pay.bill_id", Kind: db.IDFilter},
			{Name: "kind", Column: "pay.kind", Kind: db.ChoiceFilter, Choices: db.Choices(PaymentKinds())},
			{Name: "method", Column: "pay.method", Kind: db.ChoiceFilter, Choices: db.Choices(PaymentMethods())},
		}, db.DateRange("received_on", "pay.received_on")...),
		Search: []string{"pay.reference", "payi.invoice_number", "payb.reference_number"},
		Ordering: []db.OrderField{
			{Name: "received_on", Column: "pay.received_on"},
			{Name: "amount", Column: "pay.amount"},
			{Name: "created_at", Column: "pay.created_at"},
		},
		Default:   "-created_at",
		UpdatedAt: "pay.created_at",
		ID:        "pay.id",
	}
}

// paymentPolicy decides who reads payments: every role that reads finance. Payments are
// recorded through their invoice or bill, whose policy decides.
type paymentPolicy struct{}

func (paymentPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.List || act == resource.Read {
		return auth.CanRead(a, auth.Finance)
	}
	return auth.CanWrite(a, auth.Finance)
}

func (paymentPolicy) AllowOn(a auth.Actor, act resource.Action, _ *Payment) error {
	return paymentPolicy{}.Allow(a, act)
}

// ListPayments lists the firm's payments and refunds (of invoices and bills).
func (s *Service) ListPayments(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Payment, int64, error) {
	if err := resource.Check(paymentPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	return s.listPayments(ctx, a, q, "", "")
}

// ListInvoicePayments lists an invoice's payments and refunds.
func (s *Service) ListInvoicePayments(ctx context.Context, a auth.Actor, invoiceID string, q db.ListQuery) ([]Payment, int64, error) {
	inv, err := s.invoiceRow(ctx, s.db.R, a.Firm(), invoiceID, false)
	if err != nil {
		return nil, 0, err
	}
	if err := resource.Check(invoicePolicy{}, a, resource.Read, inv); err != nil {
		return nil, 0, err
	}
	return s.listPayments(ctx, a, q, "pay.invoice_id", invoiceID)
}

// ListBillPayments lists a bill's payments and refunds.
func (s *Service) ListBillPayments(ctx context.Context, a auth.Actor, billID string, q db.ListQuery) ([]Payment, int64, error) {
	b, err := s.billRow(ctx, s.db.R, a.Firm(), billID, false)
	if err != nil {
		return nil, 0, err
	}
	if err := resource.Check(billPolicy{}, a, resource.Read, b); err != nil {
		return nil, 0, err
	}
	return s.listPayments(ctx, a, q, "pay.bill_id", billID)
}

func (s *Service) listPayments(ctx context.Context, a auth.Actor, q db.ListQuery, column, id string) ([]Payment, int64, error) {
	var rows []Payment
	sel := q.Apply(selectPayments(s.db.R, a.Firm(), &rows))
	cq := q.Where(selectPayments(s.db.R, a.Firm(), (*Payment)(nil)))
	if column != "" {
		sel, cq = sel.Where(column+" = ?", id), cq.Where(column+" = ?", id)
	}
	if err := q.Window(sel).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	count, err := cq.Count(ctx)
	return rows, int64(count), db.Translate(err)
}

// GetPayment returns one payment of the firm.
func (s *Service) GetPayment(ctx context.Context, a auth.Actor, id string) (*Payment, error) {
	if err := resource.Check(paymentPolicy{}, a, resource.Read, nil); err != nil {
		return nil, err
	}
	return s.payment(ctx, s.db.R, a.Firm(), id)
}

func (s *Service) payment(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Payment, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Payment)
	return p, db.Translate(selectPayments(idb, firm, p).Where("pay.id = ?", id).Scan(ctx))
}

// loadPayment reads a payment for the policy check (resource.Loader).
func (s *Service) loadPayment(ctx context.Context, a auth.Actor, id string) (*Payment, error) {
	return s.payment(ctx, s.db.R, a.Firm(), id)
}

func selectPayments(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("pay.*").
		Join("LEFT JOIN invoices AS payi ON payi.id = pay.invoice_id").ColumnExpr("payi.invoice_number AS invoice_number").
		Join("LEFT JOIN bills AS payb ON payb.id = pay.bill_id").ColumnExpr("payb.reference_number AS bill_reference")
}

// RecordInvoicePayment records a payment or refund of an invoice (SPEC §6), if the policy lets
// the caller (a payment operation): the invoice's amount paid and status change, and the ledger
// is posted (Dr cash or Stripe clearing / Cr receivable; a refund the reverse, and a refund of
// everything closes the invoice with a credit), all in one transaction that holds the invoice's
// row, so concurrent payments apply one after the other and never exceed its total.
func (s *Service) RecordInvoicePayment(ctx context.Context, a auth.Actor, invoiceID string, edit func(*Payment) fault.Fields) (*Payment, error) {
	var p *Payment
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invoiceRow(ctx, tx, a.Firm(), invoiceID, true)
		if err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, Pay, inv); err != nil {
			return err
		}
		if p, err = s.newPayment(a, inv.Currency, edit); err != nil {
			return err
		}
		return s.applyInvoicePayment(ctx, tx, a, inv, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// applyInvoicePayment records a payment or refund p of an invoice whose row the transaction
// holds: it checks p against the invoice, changes the invoice's amount paid and status, inserts
// p, posts the ledger and has a payment's receipt queued. Recording by hand and Stripe's webhook
// both go through it.
func (s *Service) applyInvoicePayment(ctx context.Context, tx bun.Tx, a auth.Actor, inv *Invoice, p *Payment) error {
	p.InvoiceID, p.InvoiceNumber = &inv.ID, inv.InvoiceNumber
	if err := checkInvoicePayment(inv, p.Kind, p.Amount).Err(); err != nil {
		return err
	}
	owed := inv.BalanceDue()
	invoiceAfter(inv, p.Kind, p.Amount, p.ReceivedOn)
	inv.UpdatedAt = s.stamp()
	_, err := a.Firm().Update(tx, inv).WherePK().Column("amount_paid", "credited", "status", "paid_date", "updated_at").Exec(ctx)
	if err != nil {
		return db.Translate(err)
	}
	if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
		return db.Translate(err)
	}
	if err := s.postInvoicePayment(ctx, tx, a, inv, p, owed); err != nil {
		return err
	}
	return s.paymentReceived(ctx, tx, a.FirmID, p)
}

// postInvoicePayment posts a payment (Dr cash / Cr receivable) or refund (the reverse) and,
// when a refund closed the invoice, its credit: Dr revenue and sales tax / Cr receivable for
// what it still showed as owed (owed plus the refund), split in the invoice's proportions.
func (s *Service) postInvoicePayment(ctx context.Context, tx bun.Tx, a auth.Actor, inv *Invoice, p *Payment, owed money.Amount) error {
	cash := p.Method.cashAccount()
	e := &JournalEntry{Date: p.ReceivedOn, Source: SourcePayment, InvoiceID: &inv.ID, PaymentID: &p.ID, CreatedBy: p.CreatedBy,
		Memo: string(p.Kind) + " of invoice " + deref(inv.InvoiceNumber)}
	ps := []posting{{Key: cash, Debit: p.Amount}, {Key: AcctReceivable, Credit: p.Amount}}
	if p.Kind == KindRefund {
		ps = []posting{{Key: AcctReceivable, Debit: p.Amount}, {Key: cash, Credit: p.Amount}}
	}
	if err := s.post(ctx, tx, a.Firm(), e, inv.Currency, ps...); err != nil {
		return err
	}
	if inv.Status != InvoiceRefunded {
		return nil
	}
	credit := owed + p.Amount
	tax, err := money.Share(credit, inv.TaxAmount, inv.TotalAmount)
	if err != nil {
		return err
	}
	c := &JournalEntry{Date: p.ReceivedOn, Source: SourceCredit, InvoiceID: &inv.ID, CreatedBy: p.CreatedBy,
		Memo: "Credit closing refunded invoice " + deref(inv.InvoiceNumber)}
	return s.post(ctx, tx, a.Firm(), c, inv.Currency,
		posting{Key: AcctRevenue, Debit: credit - tax}, posting{Key: AcctSalesTax, Debit: tax},
		posting{Key: AcctReceivable, Credit: credit})
}

// RecordBillPayment records a payment or refund of an approved bill: its amount paid and status
// change and the ledger is posted (Dr payables / Cr cash; a refund the reverse), in one
// transaction holding the bill's row.
func (s *Service) RecordBillPayment(ctx context.Context, a auth.Actor, billID string, edit func(*Payment) fault.Fields) (*Payment, error) {
	var p *Payment
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		b, err := s.billRow(ctx, tx, a.Firm(), billID, true)
		if err != nil {
			return err
		}
		if err := resource.Check(billPolicy{}, a, Pay, b); err != nil {
			return err
		}
		if p, err = s.newPayment(a, b.Currency, edit); err != nil {
			return err
		}
		p.BillID, p.BillReference = &b.ID, &b.ReferenceNumber
		if err := checkBillPayment(b, p.Kind, p.Amount).Err(); err != nil {
			return err
		}
		billAfter(b, p.Kind, p.Amount, p.ReceivedOn)
		b.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, b).WherePK().Column("amount_paid", "status", "paid_date", "updated_at").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		cash := p.Method.cashAccount()
		e := &JournalEntry{Date: p.ReceivedOn, Source: SourceBillPayment, BillID: &b.ID, PaymentID: &p.ID, CreatedBy: p.CreatedBy,
			Memo: string(p.Kind) + " of bill " + b.ReferenceNumber}
		ps := []posting{{Key: AcctPayable, Debit: p.Amount}, {Key: cash, Credit: p.Amount}}
		if p.Kind == KindRefund {
			ps = []posting{{Key: cash, Debit: p.Amount}, {Key: AcctPayable, Credit: p.Amount}}
		}
		return s.post(ctx, tx, a.Firm(), e, b.Currency, ps...)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// newPayment starts a payment by the caller in a currency and applies the request to it.
func (s *Service) newPayment(a auth.Actor, currency string, edit func(*Payment) fault.Fields) (*Payment, error) {
	now := s.stamp()
	p := &Payment{ID: db.NewID(), FirmID: a.FirmID, Kind: KindPayment, Currency: currency, Method: MethodOther,
		ReceivedOn: date.Today(now, a.Location()), CreatedBy: actorID(a), CreatedAt: now}
	bad := edit(p)
	if p.amountSent != nil {
		v, err := p.amountSent.Amount(money.CurrencyOf(currency))
		if err != nil {
			bad.Add("amount", err.Error())
		}
		p.Amount = v
	}
	return p, bad.Err()
}
