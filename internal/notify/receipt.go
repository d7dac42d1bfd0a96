package notify

import (
	"context"
	"errors"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// PaymentReceiptArgs is the job that emails a receipt for a payment of an invoice to the
// client's primary contact.
type PaymentReceiptArgs struct {
	FirmID    string `json:"firm_id"`
	PaymentID string `json:"payment_id"`
}

// Kind names the job.
func (PaymentReceiptArgs) Kind() string { return "email.payment_receipt" }

// PaymentReceiptKey is the event key of a payment's receipt.
func PaymentReceiptKey(paymentID string) string { return "payment_receipt." + paymentID }

// PaymentReceived queues the payment's receipt in tx, the transaction that records it
// (finance.Notifier).
func (s *Service) PaymentReceived(ctx context.Context, tx bun.Tx, firmID, paymentID string) error {
	return s.d.Queue.Enqueue(ctx, tx, PaymentReceiptArgs{FirmID: firmID, PaymentID: paymentID}, oncePerArgs)
}

// receiptEmail is what the receipt templates show.
type receiptEmail struct {
	FirmName, ContactName, CompanyName string
	Number, Amount, ReceivedOn, Method string
	BalanceDue                         string
	PaidInFull                         bool
}

func (s *Service) workPaymentReceipt(ctx context.Context, job *river.Job[PaymentReceiptArgs]) error {
	ctx = withAttempt(ctx, job)
	a := job.Args
	p, err := s.d.Finance.PaymentFor(ctx, a.FirmID, a.PaymentID)
	if fault.KindOf(err) == fault.NotFound || err == nil && p.InvoiceID == nil {
		return river.JobCancel(errors.New("the payment no longer exists or is not an invoice's"))
	}
	if err != nil {
		return err
	}
	inv, err := s.d.Finance.InvoiceFor(ctx, a.FirmID, *p.InvoiceID)
	if err != nil {
		return err
	}
	contact, err := s.d.CRM.Contact(ctx, db.ForFirm(a.FirmID), inv.ClientID)
	if err != nil {
		return err
	}
	firm, err := s.d.Auth.FirmByID(ctx, a.FirmID)
	if err != nil {
		return err
	}
	cur, _ := money.LookupCurrency(p.Currency)
	balance := inv.BalanceDue()
	data := receiptEmail{FirmName: firm.Name, ContactName: contact.PrimaryContactName, CompanyName: contact.CompanyName,
		Number: deref(inv.InvoiceNumber), Amount: money.Format(p.Amount, cur) + " " + p.Currency,
		ReceivedOn: string(p.ReceivedOn), Method: string(p.Method),
		BalanceDue: money.Format(balance, cur) + " " + p.Currency, PaidInFull: balance <= 0}
	m, err := s.render("payment_receipt", data)
	if err != nil {
		return err
	}
	m.FromName = firm.Name
	m.To = mail.Address{Name: contact.PrimaryContactName, Email: contact.PrimaryContactEmail}
	return s.deliver(ctx, PaymentReceiptKey(p.ID), a.FirmID, a.Kind(), m)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
