package finance

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// BillStatus is where a vendor's bill is in its life (SPEC §6).
type BillStatus string

// The bill statuses.
const (
	BillReceived BillStatus = "received"
	BillApproved BillStatus = "approved"
	BillPaid     BillStatus = "paid"
	BillPartial  BillStatus = "partial"
	BillOverdue  BillStatus = "overdue"
	BillDisputed BillStatus = "disputed"
)

// BillStatuses lists the bill statuses (validation, filters, OpenAPI).
func BillStatuses() []BillStatus {
	return []BillStatus{BillReceived, BillApproved, BillPaid, BillPartial, BillOverdue, BillDisputed}
}

// ExpenseCategory is what a bill pays for; each has its expense account.
type ExpenseCategory string

// The expense categories.
const (
	ExpenseSubcontractors ExpenseCategory = "subcontractors"
	ExpenseSoftware       ExpenseCategory = "software"
	ExpenseTravel         ExpenseCategory = "travel"
	ExpenseOffice         ExpenseCategory = "office"
	ExpenseMarketing      ExpenseCategory = "marketing"
	ExpenseProfessional   ExpenseCategory = "professional_services"
	ExpenseUtilities      ExpenseCategory = "utilities"
	ExpenseOther          ExpenseCategory = "other"
)

// ExpenseCategories lists the categories in chart order (validation, filters, OpenAPI).
func ExpenseCategories() []ExpenseCategory {
	return []ExpenseCategory{ExpenseSubcontractors, ExpenseSoftware, ExpenseTravel, ExpenseOffice,
		ExpenseMarketing, ExpenseProfessional, ExpenseUtilities, ExpenseOther}
}

// label is the category's expense account name.
func (c ExpenseCategory) label() string {
	if c == ExpenseProfessional {
		return "Professional services expense"
	}
	s := string(c)
	return strings.ToUpper(s[:1]) + s[1:] + " expense"
}

func validCategory(c ExpenseCategory) bool {
	for _, v := range ExpenseCategories() {
		if v == c {
			return true
		}
	}
	return false
}

// Bill messages.
const (
	MsgBillDueDate    = "Due date cannot be before bill date"
	MsgBillApproved   = "Only received or disputed bills can be approved"
	MsgBillLocked     = "Only bills not yet approved can change amounts, lines or currency"
	MsgBillSubtotal   = "Subtotal does not match line items"
	MsgBillTotal      = "Total amount does not match subtotal + tax"
	MsgBillNotPayable = "Only approved bills can take payments"
	MsgBillProject    = "Select a valid project."
	MsgBillDelete     = "Approved bills cannot be deleted"
)

// Approve is the bill action that approves it for payment.
const Approve resource.Action = "approve"

// billPolicy decides who may do what to bills: every role that reads finance reads them;
// owners, admins and accountants write, approve and pay them. A change to a stored bill is
// decided on the bill (AllowOn) once it is found, so that another firm's bill is 404 to every
// role that reads finance, never 403.
type billPolicy struct{}

func (billPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Finance)
	}
	return auth.CanRead(a, auth.Finance)
}

func (billPolicy) AllowOn(a auth.Actor, act resource.Action, _ *Bill) error {
	if act == resource.Read {
		return nil
	}
	return auth.CanWrite(a, auth.Finance)
}

// BalanceDue is what the firm still owes the vendor.
func (b *Bill) BalanceDue() money.Amount { return b.TotalAmount - b.AmountPaid }

// inPayables reports whether the bill is in accounts payable: approved (its expense posted),
// whatever it has become since.
func (b *Bill) inPayables() bool { return b.ApprovedAt != nil }

// billMove checks a status change a client asks for in a PATCH: a bill is disputed while
// received or approved, and a dispute is settled back to where the bill was. Approval goes
// through the approve action; paid and partial come from payments; overdue from the sweep.
func billMove(b *Bill, to BillStatus) error {
	from := b.Status
	switch {
	case from == to:
		return nil
	case to == BillDisputed && (from == BillReceived || from == BillApproved):
		return nil
	case from == BillDisputed && to == BillReceived && !b.inPayables():
		return nil
	case from == BillDisputed && to == BillApproved && b.inPayables():
		return nil
	}
	return fault.Field("status", sprintfStatus(from, to))
}

// price reads a bill's amounts in its currency: lines (optional), subtotal (required without
// lines, checked with them), tax and total (checked).
func (b *Bill) price() fault.Fields {
	var bad fault.Fields
	cur, ok := money.LookupCurrency(b.Currency)
	if !ok {
		bad.Add("currency", MsgUnknownCurrency)
		return bad
	}
	e := &b.edit
	if e.lines != nil {
		lines, lb := PriceLines(*e.lines, cur)
		bad.Merge(lb)
		if lb == nil {
			b.Lines = lines
		}
	}
	readAmount(&bad, "tax_amount", e.tax, cur, &b.TaxAmount)
	if len(b.Lines) > 0 {
		sum, err := SumLines(b.Lines)
		if err != nil {
			bad.Add("line_items", err.Error())
			return bad
		}
		b.Subtotal = sum
		checkSent(&bad, "subtotal", e.subtotal, sum, cur, MsgBillSubtotal)
	} else {
		readAmount(&bad, "subtotal", e.subtotal, cur, &b.Subtotal)
	}
	if len(bad) > 0 {
		return bad
	}
	total, err := b.Subtotal.Add(b.TaxAmount)
	if err != nil {
		bad.Add("total_amount", err.Error())
		return bad
	}
	b.TotalAmount = total
	checkSent(&bad, "total_amount", e.total, total, cur, MsgBillTotal)
	return bad
}

// readAmount reads a sent, non-negative amount into dst ("" or null: 0).
func readAmount(bad *fault.Fields, field string, sent *money.Decimal, cur money.Currency, dst *money.Amount) {
	if sent == nil {
		return
	}
	*dst = 0
	if *sent == "" {
		return
	}
	v, err := sent.Amount(cur)
	switch {
	case err != nil:
		bad.Add(field, err.Error())
	case v < 0:
		bad.Add(field, MsgDiscountNegative)
	default:
		*dst = v
	}
}

// rules checks a merged bill against SPEC §6: vendor and category required, dates in order, a
// positive total, and no change to amounts once approved. old is nil on create.
func (b *Bill) rules(old *Bill) fault.Fields {
	var bad fault.Fields
	requiredText(&bad, "vendor_name", b.VendorName)
	if !validCategory(b.ExpenseCategory) {
		bad.Add("expense_category", validate.ChoiceMessage(string(b.ExpenseCategory)))
	}
	if b.VendorEmail != "" && !validate.Email(b.VendorEmail) {
		bad.Add("vendor_email", validate.MsgEmail)
	}
	if !b.BillDate.IsZero() && !b.DueDate.IsZero() && b.DueDate.Before(b.BillDate) {
		bad.Add("due_date", MsgBillDueDate)
	}
	if old != nil && old.inPayables() {
		if old.TotalAmount != b.TotalAmount || old.Currency != b.Currency || old.ExpenseCategory != b.ExpenseCategory ||
			b.edit.lines != nil && !sameLines(old.Lines, b.Lines) {
			bad.Add("total_amount", MsgBillLocked)
		}
		return bad
	}
	if b.TotalAmount <= 0 {
		bad.Add("total_amount", MsgTotalPositive)
	}
	return bad
}

// sprintfStatus is the refusal of a status change from one bill status to another.
func sprintfStatus(from, to BillStatus) string { return fmt.Sprintf(msgStatusTransitionF, from, to) }
