package finance

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the invoice statuses.
func (InvoiceStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(InvoiceStatuses()) }

// LineItemOut is a line of an invoice or bill as the API shows it.
type LineItemOut struct {
	Description string `json:"description"`
	Quantity    string `json:"quantity" example:"12.50" doc:"Two decimals"`
	Rate        string `json:"rate" example:"150.00" doc:"Money string in the document's currency"`
	Amount      string `json:"amount" example:"1875.00" doc:"quantity × rate, rounded half-up to the currency's minor unit"`
}

// LineItemIn is a line as a client sends it.
type LineItemIn struct {
	Description string       `json:"description" minLength:"1" maxLength:"1000"`
	Quantity    api.Decimal  `json:"quantity" doc:"More than 0, two decimals at most"`
	Rate        api.Decimal  `json:"rate" doc:"Money in the document's currency, not negative"`
	Amount      *api.Decimal `json:"amount,omitempty" doc:"Optional; when sent it must equal quantity × rate"`
}

func linesOut(lines []Line, cur money.Currency) []LineItemOut {
	out := make([]LineItemOut, len(lines))
	for i, l := range lines {
		out[i] = LineItemOut{Description: l.Description, Quantity: l.Quantity.String(),
			Rate: money.Format(l.Rate, cur), Amount: money.Format(l.Amount, cur)}
	}
	return out
}

func linesIn(in []LineItemIn) *[]LineInput {
	out := make([]LineInput, len(in))
	for i, l := range in {
		out[i] = LineInput{Description: l.Description, Quantity: money.Decimal(l.Quantity), Rate: money.Decimal(l.Rate)}
		if l.Amount != nil {
			a := money.Decimal(*l.Amount)
			out[i].Amount = &a
		}
	}
	return &out
}

// InvoiceOut is an invoice as the API shows it.
type InvoiceOut struct {
	ID             string            `json:"id" format:"uuid"`
	InvoiceNumber  *string           `json:"invoice_number" nullable:"true" example:"INV-2026-001" doc:"Allocated when the invoice is sent; null while it is a draft"`
	Client         string            `json:"client" format:"uuid"`
	ClientName     *string           `json:"client_name" nullable:"true"`
	Project        *string           `json:"project" nullable:"true" format:"uuid"`
	ProjectName    *string           `json:"project_name" nullable:"true"`
	Status         InvoiceStatus     `json:"status"`
	LineItems      []LineItemOut     `json:"line_items"`
	Subtotal       string            `json:"subtotal" export:"money" example:"1875.00" doc:"Σ line amounts"`
	TaxRate        *string           `json:"tax_rate" export:"decimal" nullable:"true" example:"8.25" doc:"Percent"`
	TaxAmount      string            `json:"tax_amount" export:"money" example:"154.69" doc:"tax_rate × subtotal, rounded half-up"`
	DiscountAmount string            `json:"discount_amount" export:"money" example:"0.00"`
	TotalAmount    string            `json:"total_amount" export:"money" example:"2029.69" doc:"subtotal + tax − discount"`
	AmountPaid     string            `json:"amount_paid" export:"money" example:"0.00" doc:"Σ payments − Σ refunds"`
	BalanceDue     string            `json:"balance_due" export:"money" example:"2029.69" doc:"What the client still owes (0 once paid, refunded or cancelled)"`
	IsOverdue      bool              `json:"is_overdue" doc:"Owed (sent, partial, overdue) and due before the firm's today"`
	Currency       string            `json:"currency" example:"USD"`
	IssueDate      string            `json:"issue_date" format:"date"`
	DueDate        string            `json:"due_date" format:"date"`
	PaymentTerms   auth.PaymentTerms `json:"payment_terms"`
	PaidDate       *string           `json:"paid_date" nullable:"true" format:"date"`
	SentAt         *time.Time        `json:"sent_at" nullable:"true"`
	Notes          string            `json:"notes"`
	CreatedBy      *string           `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

func invoiceOut(inv *Invoice) InvoiceOut {
	cur := money.CurrencyOf(inv.Currency)
	out := InvoiceOut{ID: inv.ID, InvoiceNumber: inv.InvoiceNumber, Client: inv.ClientID, ClientName: inv.ClientName,
		Project: inv.ProjectID, ProjectName: inv.ProjectName, Status: inv.Status, LineItems: linesOut(inv.Lines, cur),
		Subtotal: money.Format(inv.Subtotal, cur), TaxAmount: money.Format(inv.TaxAmount, cur),
		DiscountAmount: money.Format(inv.DiscountAmount, cur), TotalAmount: money.Format(inv.TotalAmount, cur),
		AmountPaid: money.Format(inv.AmountPaid, cur), BalanceDue: money.Format(inv.BalanceDue(), cur),
		IsOverdue: inv.IsOverdue, Currency: cur.Code, IssueDate: string(inv.IssueDate), DueDate: string(inv.DueDate),
		PaymentTerms: inv.PaymentTerms, PaidDate: dateOut(inv.PaidDate), SentAt: stampOut(inv.SentAt), Notes: inv.Notes,
		CreatedBy: inv.CreatedBy, CreatedAt: inv.CreatedAt.UTC(), UpdatedAt: inv.UpdatedAt.UTC()}
	if inv.TaxRate != nil {
		r := inv.TaxRate.String()
		out.TaxRate = &r
	}
	if inv.ProjectID == nil {
		out.ProjectName = nil
	}
	return out
}

// InvoicePatch is the body of PATCH: every field optional. The read-only fields of InvoiceOut
// are accepted and ignored, so a fetched invoice can be sent back with PUT.
type InvoicePatch struct {
	Client         api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Project        api.Nullable[string]      `json:"project,omitempty" doc:"Project id (a project of the client); null for none"`
	Status         *InvoiceStatus            `json:"status,omitempty" doc:"draft → sent (numbers and posts it, as the send action does) or cancelled; sent or overdue → cancelled when nothing was paid. Paid, partial and refunded come from payments"`
	LineItems      *[]LineItemIn             `json:"line_items,omitempty" maxItems:"500" doc:"Replaces the lines (drafts only)"`
	Subtotal       api.Nullable[api.Decimal] `json:"subtotal,omitempty" doc:"Optional check: must equal Σ line amounts"`
	TaxRate        api.Nullable[api.Decimal] `json:"tax_rate,omitempty" doc:"Percent, 0–100, two decimals at most; null for none"`
	DiscountAmount api.Nullable[api.Decimal] `json:"discount_amount,omitempty" doc:"Money, not negative, at most the subtotal"`
	TotalAmount    api.Nullable[api.Decimal] `json:"total_amount,omitempty" doc:"Optional check: must equal subtotal + tax − discount"`
	Currency       *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the project's currency, else the firm's. An invoice of a project is in its currency"`
	IssueDate      *string                   `json:"issue_date,omitempty" minLength:"1" example:"2026-02-10" doc:"Date, YYYY-MM-DD; defaults to today"`
	DueDate        *string                   `json:"due_date,omitempty" minLength:"1" example:"2026-03-12" doc:"Date, YYYY-MM-DD, not before issue_date; defaults to the issue date plus the payment terms"`
	PaymentTerms   *auth.PaymentTerms        `json:"payment_terms,omitempty" doc:"Defaults to the firm's"`
	Notes          *string                   `json:"notes,omitempty" maxLength:"10000"`
	ID             any                       `json:"id,omitempty" readOnly:"true"`
	InvoiceNumber  any                       `json:"invoice_number,omitempty" readOnly:"true"`
	ClientName     any                       `json:"client_name,omitempty" readOnly:"true"`
	ProjectName    any                       `json:"project_name,omitempty" readOnly:"true"`
	TaxAmount      any                       `json:"tax_amount,omitempty" readOnly:"true"`
	AmountPaid     any                       `json:"amount_paid,omitempty" readOnly:"true"`
	BalanceDue     any                       `json:"balance_due,omitempty" readOnly:"true"`
	IsOverdue      any                       `json:"is_overdue,omitempty" readOnly:"true"`
	PaidDate       any                       `json:"paid_date,omitempty" readOnly:"true"`
	SentAt         any                       `json:"sent_at,omitempty" readOnly:"true"`
	CreatedBy      any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt      any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt      any                       `json:"updated_at,omitempty" readOnly:"true"`
}

// InvoiceWrite is the body of POST and PUT: the patch with the client and lines required.
type InvoiceWrite struct {
	Client    string       `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	LineItems []LineItemIn `json:"line_items" maxItems:"500" doc:"The lines; amount = quantity × rate"`
	InvoicePatch
}

// apply merges the PATCH body into inv and reports what cannot be merged: ids and dates that
// are malformed. Amounts are read once the currency is known (Invoice.price).
func (b *InvoicePatch) apply(inv *Invoice) fault.Fields {
	var nulls []string
	var bad fault.Fields
	setID(&bad, "client", &inv.ClientID, api.RequiredChange("client", b.Client, &nulls), MsgInvoiceClient)
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if v := b.Project.Change(); v != nil {
		inv.ProjectID = nil
		if *v != "" {
			id := *v
			inv.ProjectID = &id
			setID(&bad, "project", &id, v, MsgInvoiceProject)
		}
	}
	e := &inv.edit
	e.status, e.currency = b.Status, b.Currency
	if b.LineItems != nil {
		e.lines = linesIn(*b.LineItems)
	}
	e.subtotal, e.taxRate = api.DecimalChange(b.Subtotal), api.DecimalChange(b.TaxRate)
	e.discount, e.total = api.DecimalChange(b.DiscountAmount), api.DecimalChange(b.TotalAmount)
	date.Check(&bad, "issue_date", b.IssueDate, true)
	date.Set(&inv.IssueDate, b.IssueDate)
	date.Check(&bad, "due_date", b.DueDate, true)
	date.Set(&inv.DueDate, b.DueDate)
	e.dueSent = b.DueDate != nil
	if b.PaymentTerms != nil {
		inv.PaymentTerms = *b.PaymentTerms
	}
	api.SetText(&inv.Notes, b.Notes)
	return bad
}

// apply merges a POST or PUT body into inv.
func (b *InvoiceWrite) apply(inv *Invoice) fault.Fields {
	p := b.InvoicePatch
	p.Client = api.Value(b.Client)
	lines := b.LineItems
	if lines == nil {
		lines = []LineItemIn{}
	}
	p.LineItems = &lines
	return p.apply(inv)
}

// setID stores a sent id, reporting text that cannot name a row under field.
func setID(bad *fault.Fields, field string, dst *string, v *string, msg string) {
	if v == nil {
		return
	}
	*dst = trim(*v)
	if *dst != "" && !validID(*dst) {
		bad.Add(field, msg)
	}
}

func registerInvoices(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Invoice, InvoiceOut, InvoiceWrite, InvoicePatch]{
		Path: "/finance/invoices/", Name: "invoice", Plural: "invoices", Tag: "Finance: invoices",
		Policy: invoicePolicy{}, Load: s.loadInvoice, Query: invoiceQuery(), Cache: true,
		Out: invoiceOut, ID: func(inv *Invoice) string { return inv.ID },
		List:    s.ListInvoices,
		Get:     s.GetInvoice,
		Create:  resource.Creating(s.CreateInvoice, (*InvoiceWrite).apply),
		Replace: resource.Updating(s.UpdateInvoice, (*InvoiceWrite).apply),
		Update:  resource.Updating(s.UpdateInvoice, (*InvoicePatch).apply),
		Delete:  s.DeleteInvoice,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Descriptions: map[string]string{
			"delete-invoice": "Only a draft (which has no number) may be deleted; its time entries are released. " +
				"A numbered invoice is cancelled instead (409).",
		},
	})
	action := func(act resource.Action, summary, doc string, do func(context.Context, auth.Actor, string) (*Invoice, error)) {
		op := huma.Operation{OperationID: string(act) + "-invoice", Method: http.MethodPost,
			Path: "/finance/invoices/{id}/" + string(act) + "/", Summary: summary, Description: doc,
			Tags: []string{"Finance: invoices"}}
		resource.Operation(a, op, invoicePolicy{}, act, s.loadInvoice,
			func(ctx context.Context, actor auth.Actor, in *struct {
				ID string `path:"id"`
			}) (*struct{ Body InvoiceOut }, error) {
				inv, err := do(ctx, actor, in.ID)
				if err != nil {
					return nil, err
				}
				return &struct{ Body InvoiceOut }{Body: invoiceOut(inv)}, nil
			})
	}
	action(Send, "Send an invoice", "Moves a draft to sent: allocates the next gapless INV-YYYY-NNN number of the "+
		"firm's year, stamps sent_at and posts the invoice to the ledger (Dr receivable, Cr revenue and sales tax).", s.SendInvoice)
	action(Cancel, "Cancel an invoice", "Cancels an invoice on which nothing was paid: releases its time entries "+
		"and reverses its posting, in one transaction.", s.CancelInvoice)
}

// dateOut renders an optional date: null when unset.
func dateOut(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	v := string(d)
	return &v
}

// stampOut renders an optional stamp in UTC.
func stampOut(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
