package finance

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the payment kinds.
func (PaymentKind) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(PaymentKinds()) }

// Schema documents the payment methods.
func (PaymentMethod) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(PaymentMethods()) }

// PaymentOut is a payment or refund as the API shows it.
type PaymentOut struct {
	ID                    string        `json:"id" format:"uuid"`
	Invoice               *string       `json:"invoice" nullable:"true" format:"uuid"`
	InvoiceNumber         *string       `json:"invoice_number" nullable:"true"`
	Bill                  *string       `json:"bill" nullable:"true" format:"uuid"`
	BillReference         *string       `json:"bill_reference" nullable:"true"`
	Kind                  PaymentKind   `json:"kind"`
	Amount                string        `json:"amount" export:"money" example:"500.00"`
	Currency              string        `json:"currency" example:"USD"`
	Method                PaymentMethod `json:"method"`
	ReceivedOn            string        `json:"received_on" format:"date"`
	Reference             string        `json:"reference"`
	Notes                 string        `json:"notes"`
	StripePaymentIntentID *string       `json:"stripe_payment_intent_id" nullable:"true"`
	StripeChargeID        *string       `json:"stripe_charge_id" nullable:"true"`
	StripeRefundID        *string       `json:"stripe_refund_id" nullable:"true"`
	CreatedBy             *string       `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt             time.Time     `json:"created_at"`
}

func paymentOut(p *Payment) PaymentOut {
	return PaymentOut{ID: p.ID, Invoice: p.InvoiceID, InvoiceNumber: p.InvoiceNumber, Bill: p.BillID,
		BillReference: p.BillReference, Kind: p.Kind, Amount: money.Format(p.Amount, money.CurrencyOf(p.Currency)),
		Currency: p.Currency, Method: p.Method, ReceivedOn: string(p.ReceivedOn), Reference: p.Reference, Notes: p.Notes,
		StripePaymentIntentID: p.StripePaymentIntentID, StripeChargeID: p.StripeChargeID, StripeRefundID: p.StripeRefundID,
		CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt.UTC()}
}

// PaymentIn is the body that records a payment or refund.
type PaymentIn struct {
	Amount     api.Decimal    `json:"amount" doc:"Money in the invoice's (or bill's) currency, more than 0"`
	Kind       *PaymentKind   `json:"kind,omitempty" doc:"Defaults to payment"`
	Method     *PaymentMethod `json:"method,omitempty" doc:"Defaults to other"`
	ReceivedOn *string        `json:"received_on,omitempty" example:"2026-02-10" doc:"Date, YYYY-MM-DD; defaults to today"`
	Reference  *string        `json:"reference,omitempty" maxLength:"255" doc:"Bank reference, check number, ..."`
	Notes      *string        `json:"notes,omitempty" maxLength:"10000"`
}

// apply fills in a new payment.
func (b *PaymentIn) apply(p *Payment) fault.Fields {
	var bad fault.Fields
	amount := money.Decimal(b.Amount)
	p.amountSent = &amount
	if b.Kind != nil {
		p.Kind = *b.Kind
	}
	if b.Method != nil {
		p.Method = *b.Method
	}
	date.Check(&bad, "received_on", b.ReceivedOn, true)
	date.Set(&p.ReceivedOn, b.ReceivedOn)
	api.SetText(&p.Reference, b.Reference)
	api.SetText(&p.Notes, b.Notes)
	return bad
}

type paymentCreated struct {
	Location string `header:"Location"`
	Body     PaymentOut
}

func registerPayments(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Payment, PaymentOut, struct{}, struct{}]{
		Path: "/finance/payments/", Name: "payment", Plural: "payments", Tag: "Finance: payments",
		Policy: paymentPolicy{}, Load: s.loadPayment, Query: paymentQuery(), Cache: true,
		Out: paymentOut, ID: func(p *Payment) string { return p.ID },
		List: s.ListPayments,
		Get:  s.GetPayment,
	})
	nested := func(parent, plural, tag string, pay func(context.Context, auth.Actor, string, func(*Payment) fault.Fields) (*Payment, error)) {
		op := huma.Operation{OperationID: "record-" + parent + "-payment", Method: http.MethodPost,
			Path: "/finance/" + plural + "/{id}/payments/", Summary: "Record a payment or refund of a " + parent,
			Tags: []string{tag}, DefaultStatus: http.StatusCreated}
		handler := func(ctx context.Context, actor auth.Actor, in *struct {
			ID   string `path:"id"`
			Body PaymentIn
		}) (*paymentCreated, error) {
			kind := KindPayment
			if in.Body.Kind != nil {
				kind = *in.Body.Kind
			}
			audit.Act(ctx, string(kind))
			p, err := pay(ctx, actor, in.ID, in.Body.apply)
			if err != nil {
				return nil, err
			}
			return &paymentCreated{Location: api.Prefix + "/finance/payments/" + p.ID + "/", Body: paymentOut(p)}, nil
		}
		list := huma.Operation{OperationID: "list-" + parent + "-payments", Method: http.MethodGet,
			Path: "/finance/" + plural + "/{id}/payments/", Summary: "List a " + parent + "'s payments and refunds", Tags: []string{tag}}
		if parent == "invoice" {
			op.Description = "A payment operation (owner, admin, accountant; a manager who manages the invoice's project or " +
				"owns its client), under the payment rate limit. Payments only on sent, partial or overdue invoices and " +
				"within the balance due (\"Payment exceeds balance due\"); refunds within the amount paid (\"Refund exceeds " +
				"amount paid\"). Reaching the total makes the invoice paid; a refund of everything makes it refunded."
			api.Throttled(&op, api.Payment)
			resource.Operation(a, op, invoicePolicy{}, Pay, s.loadInvoice, handler)
			resource.ChildList(a, list, invoicePolicy{}, resource.Read, paymentQuery(), s.ListInvoicePayments, paymentOut)
			return
		}
		op.Description = "Payments only on approved bills and within the balance due; refunds within the amount paid."
		api.Throttled(&op, api.Payment)
		resource.Operation(a, op, billPolicy{}, Pay, s.loadBill, handler)
		resource.ChildList(a, list, billPolicy{}, resource.Read, paymentQuery(), s.ListBillPayments, paymentOut)
	}
	nested("invoice", "invoices", "Finance: invoices", s.RecordInvoicePayment)
	nested("bill", "bills", "Finance: bills", s.RecordBillPayment)
}
