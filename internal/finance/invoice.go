package finance

import (
	"fmt"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// InvoiceStatus is where an invoice is in its life (SPEC §6).
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceDraft     InvoiceStatus = "draft"
	InvoiceSent      InvoiceStatus = "sent"
	InvoicePartial   InvoiceStatus = "partial"
	InvoicePaid      InvoiceStatus = "paid"
	InvoiceOverdue   InvoiceStatus = "overdue"
	InvoiceCancelled InvoiceStatus = "cancelled"
	InvoiceRefunded  InvoiceStatus = "refunded"
)

// InvoiceStatuses lists the statuses (validation, filters, OpenAPI).
func InvoiceStatuses() []InvoiceStatus {
	return []InvoiceStatus{InvoiceDraft, InvoiceSent, InvoicePartial, InvoicePaid, InvoiceOverdue, InvoiceCancelled, InvoiceRefunded}
}

// open reports whether the invoice is owed: sent, partly paid or overdue (it is in receivables).
func (s InvoiceStatus) open() bool {
	return s == InvoiceSent || s == InvoicePartial || s == InvoiceOverdue
}

// Invoice messages (SPEC §6, exact where the SPEC gives them).
const (
	MsgSubtotalMismatch  = "Subtotal does not match line items"
	MsgTotalMismatch     = "Total amount does not match subtotal + tax - discount"
	MsgTotalPositive     = "Total amount must be greater than 0"
	MsgDueBeforeIssue    = "Due date cannot be before issue date"
	MsgDraftDelete       = "Only draft invoices can be deleted"
	MsgDraftOnly         = "Only draft invoices can change amounts, lines, client or project"
	MsgDiscountNegative  = "Must be a positive value"
	MsgDiscountSubtotal  = "Discount cannot exceed subtotal"
	MsgInvoiceClient     = "Select a valid client."
	MsgInvoiceProject    = "Select a valid project."
	MsgProjectClient     = "Project must belong to the invoice's client"
	MsgProjectCurrency   = "Currency must be the project's currency"
	MsgCancelPaid        = "Cannot cancel an invoice with payments; refund them first"
	MsgNothingToBill     = "No unbilled time entries in range"
	MsgGroupBy           = "Choose entry, task, user or project."
	MsgTimeRange         = "date_before cannot be before date_after"
	MsgUnknownCurrency   = "Unknown currency code."
	MsgStatusByPayment   = "Status changes to paid, partial and refunded through payments"
	msgStatusTransitionF = "Cannot change status from %s to %s"
)

// StatusError is SPEC §6's refusal of an illegal status change, on status.
func StatusError(from, to InvoiceStatus) error {
	return fault.Field("status", fmt.Sprintf(msgStatusTransitionF, from, to))
}

// The invoice actions beyond the standard ones.
const (
	Send     resource.Action = "send"
	Cancel   resource.Action = "cancel"
	Generate resource.Action = "generate"
	// Pay is a payment operation (SPEC §1 IsPaymentAuthorized): recording a payment or a
	// refund, or creating a payment intent.
	Pay resource.Action = "pay"
)

// invoicePolicy decides who may do what to invoices (SPEC §1): owners, admins and accountants
// everything; managers read every invoice and create, generate and send invoices of projects
// they manage; consultants nothing. Payment operations (IsPaymentAuthorized) are open to
// owners, admins and accountants, and to a manager who manages the invoice's project or owns its
// client; consultants have no finance access, so the object rule never opens them to one.
type invoicePolicy struct{}

func (invoicePolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.List, resource.Read, Print:
		return auth.CanRead(a, auth.Finance)
	case resource.Create, Generate, Send, Pay:
		if auth.CanWrite(a, auth.Finance) == nil || a.Role == auth.Manager {
			return nil
		}
		return auth.Forbidden()
	case resource.Update, resource.Delete, Cancel:
		// Decided on the invoice (AllowOn) once it is found, so that another firm's invoice is
		// 404 to every role that reads finance, never 403.
		return auth.CanRead(a, auth.Finance)
	}
	return auth.CanWrite(a, auth.Finance)
}

func (invoicePolicy) AllowOn(a auth.Actor, act resource.Action, inv *Invoice) error {
	if act == resource.Read || act == Print || auth.CanWrite(a, auth.Finance) == nil {
		return nil
	}
	if a.Role != auth.Manager {
		return auth.Forbidden()
	}
	switch act {
	case resource.Create, Generate, Send:
		if inv.manages(a.UserID) {
			return nil
		}
	case Pay:
		if inv.manages(a.UserID) || inv.ClientOwnerID != nil && *inv.ClientOwnerID == a.UserID {
			return nil
		}
	}
	return auth.Forbidden()
}

// manages reports whether user manages the invoice's project.
func (inv *Invoice) manages(user string) bool {
	return inv.ProjectManagerID != nil && *inv.ProjectManagerID == user
}

// BalanceDue is what the client still owes: total − paid − credited (0 once refunded, paid or
// cancelled).
func (inv *Invoice) BalanceDue() money.Amount {
	if inv.Status == InvoiceCancelled {
		return 0
	}
	return inv.TotalAmount - inv.AmountPaid - inv.Credited
}

// overdue is SPEC §6's is_overdue: owed and due before the firm's today.
func (inv *Invoice) overdue(today date.Date) bool {
	return inv.Status.open() && inv.DueDate.Before(today)
}

// explicitMove checks a status change a client asks for (PATCH or an action): a draft is sent
// or cancelled, an unpaid invoice is cancelled; paid, partial and refunded come from payments and
// overdue from the daily sweep.
func explicitMove(inv *Invoice, to InvoiceStatus) error {
	from := inv.Status
	switch {
	case from == to:
		return nil
	case to == InvoiceSent && from == InvoiceDraft:
		return nil
	case to == InvoiceCancelled && (from == InvoiceDraft || from == InvoiceSent || from == InvoiceOverdue):
		if inv.AmountPaid > 0 {
			return fault.Field("status", MsgCancelPaid)
		}
		return nil
	case to == InvoiceCancelled && from == InvoicePartial:
		return fault.Field("status", MsgCancelPaid)
	}
	return StatusError(from, to)
}

// dueDays is how many days after the issue date payment terms fall due.
func dueDays(t auth.PaymentTerms) int {
	switch t {
	case auth.PaymentNet15:
		return 15
	case auth.PaymentNet45:
		return 45
	case auth.PaymentNet60:
		return 60
	case auth.PaymentDueOnReceipt:
		return 0
	}
	return 30
}

// addDays is d plus n days.
func addDays(d date.Date, n int) date.Date {
	return date.Date(d.Time().AddDate(0, 0, n).Format("2006-01-02"))
}

// price reads the amounts an edit sent in the invoice's currency and recomputes the totals. A
// client may send subtotal and total_amount: they must match what the server computes.
func (inv *Invoice) price() fault.Fields {
	var bad fault.Fields
	cur, ok := money.LookupCurrency(inv.Currency)
	if !ok {
		bad.Add("currency", MsgUnknownCurrency)
		return bad
	}
	e := &inv.edit
	if e.lines != nil {
		lines, lb := PriceLines(*e.lines, cur)
		bad.Merge(lb)
		if lb == nil {
			inv.Lines = lines
		}
	}
	if e.taxRate != nil {
		inv.TaxRate = nil
		if *e.taxRate != "" {
			p, err := ParsePercent(*e.taxRate)
			switch {
			case err != nil:
				bad.Add("tax_rate", err.Error())
			case p < 0 || p > MaxPercent:
				bad.Add("tax_rate", MsgTaxRate)
			default:
				inv.TaxRate = &p
			}
		}
	}
	if e.discount != nil {
		inv.DiscountAmount = 0
		if *e.discount != "" {
			d, err := e.discount.Amount(cur)
			switch {
			case err != nil:
				bad.Add("discount_amount", err.Error())
			case d < 0:
				bad.Add("discount_amount", MsgDiscountNegative)
			default:
				inv.DiscountAmount = d
			}
		}
	}
	if len(bad) > 0 {
		return bad
	}
	t, err := ComputeTotals(inv.Lines, inv.TaxRate, inv.DiscountAmount)
	if err != nil {
		bad.Add("total_amount", err.Error())
		return bad
	}
	inv.Subtotal, inv.TaxAmount, inv.TotalAmount = t.Subtotal, t.Tax, t.Total
	checkSent(&bad, "subtotal", e.subtotal, t.Subtotal, cur, MsgSubtotalMismatch)
	checkSent(&bad, "total_amount", e.total, t.Total, cur, MsgTotalMismatch)
	return bad
}

// checkSent compares an amount a client sent with the computed one.
func checkSent(bad *fault.Fields, field string, sent *money.Decimal, want money.Amount, cur money.Currency, msg string) {
	if sent == nil || *sent == "" {
		return
	}
	v, err := sent.Amount(cur)
	switch {
	case err != nil:
		bad.Add(field, err.Error())
	case v != want:
		bad.Add(field, msg)
	}
}

// rules checks a merged invoice against SPEC §6 (old is nil on create): required fields, dates
// in order, a positive total, a discount within the subtotal, and — once it has left draft —
// no change to amounts, lines, client, project or currency.
func (inv *Invoice) rules(old *Invoice) fault.Fields {
	var bad fault.Fields
	if inv.ClientID == "" {
		bad.Add("client", validate.MsgRequired)
	}
	if !inv.IssueDate.IsZero() && !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
		bad.Add("due_date", MsgDueBeforeIssue)
	}
	if !validPaymentTerms(inv.PaymentTerms) {
		bad.Add("payment_terms", validate.ChoiceMessage(string(inv.PaymentTerms)))
	}
	if old != nil && old.Status != InvoiceDraft {
		for field, changed := range map[string]bool{
			"line_items":      inv.edit.lines != nil && !sameLines(old.Lines, inv.Lines),
			"client":          old.ClientID != inv.ClientID,
			"project":         deref(old.ProjectID) != deref(inv.ProjectID),
			"currency":        old.Currency != inv.Currency,
			"tax_rate":        !samePercent(old.TaxRate, inv.TaxRate),
			"discount_amount": old.DiscountAmount != inv.DiscountAmount,
			"issue_date":      old.IssueDate != inv.IssueDate,
		} {
			if changed {
				bad.Add(field, MsgDraftOnly)
			}
		}
		return bad
	}
	if inv.DiscountAmount > inv.Subtotal {
		bad.Add("discount_amount", MsgDiscountSubtotal)
	} else if inv.TotalAmount <= 0 {
		bad.Add("total_amount", MsgTotalPositive)
	}
	return bad
}

func validPaymentTerms(t auth.PaymentTerms) bool {
	for _, v := range auth.PaymentTermsValues() {
		if v == t {
			return true
		}
	}
	return false
}

func sameLines(a, b []Line) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func samePercent(a, b *Percent) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// deref is an optional id's value, "" when unset.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
