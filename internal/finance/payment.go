package finance

import (
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
)

// PaymentKind says whether money came in (or went out, for bills) or went back.
type PaymentKind string

// The payment kinds.
const (
	KindPayment PaymentKind = "payment"
	KindRefund  PaymentKind = "refund"
)

// PaymentKinds lists the kinds (validation, filters, OpenAPI).
func PaymentKinds() []PaymentKind { return []PaymentKind{KindPayment, KindRefund} }

// PaymentMethod is how money moved.
type PaymentMethod string

// The payment methods.
const (
	MethodStripe       PaymentMethod = "stripe"
	MethodBankTransfer PaymentMethod = "bank_transfer"
	MethodCard         PaymentMethod = "card"
	MethodCash         PaymentMethod = "cash"
	MethodCheck        PaymentMethod = "check"
	MethodOther        PaymentMethod = "other"
)

// PaymentMethods lists the methods (validation, filters, OpenAPI).
func PaymentMethods() []PaymentMethod {
	return []PaymentMethod{MethodStripe, MethodBankTransfer, MethodCard, MethodCash, MethodCheck, MethodOther}
}

// cashAccount is the ledger account money of a method moves through: Stripe's clearing
// account for Stripe, cash otherwise.
func (m PaymentMethod) cashAccount() string {
	if m == MethodStripe {
		return AcctStripeClearing
	}
	return AcctCash
}

// Payment messages (SPEC §6, exact where the SPEC gives them).
const (
	MsgPaymentExceeds   = "Payment exceeds balance due"
	MsgRefundExceeds    = "Refund exceeds amount paid"
	MsgAmountPositive   = "Amount must be greater than 0"
	MsgNoPaymentStatusF = "Cannot record a payment on a %s invoice"
	MsgNoRefundStatusF  = "Cannot record a refund on a %s invoice"
	MsgNothingPaid      = "Nothing has been paid to refund"
)

// invoiceAfter computes an invoice's amount paid and status after a payment or refund of amount
// (already checked against its balance or amount paid), received on a date: the total reached
// is paid (paid_date stamped), part of it partial, and a refund of everything refunded, with
// what it still showed as owed credited (balance 0).
func invoiceAfter(inv *Invoice, kind PaymentKind, amount money.Amount, on date.Date) {
	if kind == KindPayment {
		inv.AmountPaid += amount
	} else {
		inv.AmountPaid -= amount
	}
	switch {
	case inv.AmountPaid == 0:
		inv.Status, inv.Credited, inv.PaidDate = InvoiceRefunded, inv.TotalAmount, ""
	case inv.AmountPaid == inv.TotalAmount:
		inv.Status, inv.PaidDate = InvoicePaid, on
	default:
		inv.Status, inv.PaidDate = InvoicePartial, ""
	}
}

// checkInvoicePayment checks a payment or refund of amount against the invoice: payments only
// on invoices that were sent (not drafts, not cancelled) and within the balance due — which is
// 0 once an invoice is paid or refunded, so any payment of those exceeds it — and refunds only
// of what was paid.
func checkInvoicePayment(inv *Invoice, kind PaymentKind, amount money.Amount) fault.Fields {
	var bad fault.Fields
	if amount <= 0 {
		bad.Add("amount", MsgAmountPositive)
		return bad
	}
	if kind == KindPayment {
		switch {
		case inv.Status == InvoiceDraft || inv.Status == InvoiceCancelled:
			bad.Add(fault.NonField, sprintf(MsgNoPaymentStatusF, inv.Status))
		case amount > inv.BalanceDue():
			bad.Add("amount", MsgPaymentExceeds)
		}
		return bad
	}
	switch {
	case inv.Status != InvoicePaid && !inv.Status.open():
		bad.Add(fault.NonField, sprintf(MsgNoRefundStatusF, inv.Status))
	case amount > inv.AmountPaid:
		bad.Add("amount", MsgRefundExceeds)
	}
	return bad
}

// billAfter computes a bill's amount paid and status after a payment or refund.
func billAfter(b *Bill, kind PaymentKind, amount money.Amount, on date.Date) {
	if kind == KindPayment {
		b.AmountPaid += amount
	} else {
		b.AmountPaid -= amount
	}
	switch {
	case b.AmountPaid == 0:
		b.Status, b.PaidDate = BillApproved, ""
	case b.AmountPaid == b.TotalAmount:
		b.Status, b.PaidDate = BillPaid, on
	default:
		b.Status, b.PaidDate = BillPartial, ""
	}
}

// checkBillPayment checks a payment or refund of a bill: only approved bills (in payables) take
// payments, within the balance; refunds only of what was paid.
func checkBillPayment(b *Bill, kind PaymentKind, amount money.Amount) fault.Fields {
	var bad fault.Fields
	switch {
	case amount <= 0:
		bad.Add("amount", MsgAmountPositive)
	case !b.inPayables() || b.Status == BillDisputed:
		bad.Add(fault.NonField, MsgBillNotPayable)
	case kind == KindPayment && amount > b.BalanceDue():
		bad.Add("amount", MsgPaymentExceeds)
	case kind == KindRefund && amount > b.AmountPaid:
		bad.Add("amount", MsgRefundExceeds)
	}
	return bad
}
