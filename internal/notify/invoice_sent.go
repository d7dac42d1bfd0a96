package notify

import (
	"context"
	"errors"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// InvoiceSentArgs is the job that emails a sent invoice to its client's primary contact.
type InvoiceSentArgs struct {
	FirmID    string `json:"firm_id"`
	InvoiceID string `json:"invoice_id"`
}

// Kind names the job.
func (InvoiceSentArgs) Kind() string { return "email.invoice_sent" }

// InvoiceSentKey is the event key of an invoice's "sent" email.
func InvoiceSentKey(invoiceID string) string { return "invoice_sent." + invoiceID }

// InvoiceSent queues the invoice's email in tx, the transaction that sends it (finance.Notifier).
func (s *Service) InvoiceSent(ctx context.Context, tx bun.Tx, firmID, invoiceID string) error {
	return s.d.Queue.Enqueue(ctx, tx, InvoiceSentArgs{FirmID: firmID, InvoiceID: invoiceID}, oncePerArgs)
}

// invoiceEmail is what the invoice templates show.
type invoiceEmail struct {
	FirmName, ContactName, CompanyName string
	Number, Total, BalanceDue, DueDate string
	PayURL                             string
	HasPDF                             bool
}

func (s *Service) workInvoiceSent(ctx context.Context, job *river.Job[InvoiceSentArgs]) error {
	ctx = withAttempt(ctx, job)
	a := job.Args
	inv, err := s.invoiceFor(ctx, a.FirmID, a.InvoiceID)
	if err != nil {
		return err
	}
	if inv.Status == finance.InvoiceCancelled || inv.InvoiceNumber == nil {
		return nil // cancelled before its email went: nothing to ask the client for
	}
	contact, err := s.d.CRM.Contact(ctx, db.ForFirm(a.FirmID), inv.ClientID)
	if err != nil {
		return err
	}
	firm, err := s.d.Auth.FirmByID(ctx, a.FirmID)
	if err != nil {
		return err
	}
	cur, _ := money.LookupCurrency(inv.Currency)
	data := invoiceEmail{FirmName: firm.Name, ContactName: contact.PrimaryContactName, CompanyName: contact.CompanyName,
		Number: *inv.InvoiceNumber, Total: money.Format(inv.TotalAmount, cur) + " " + inv.Currency,
		BalanceDue: money.Format(inv.BalanceDue(), cur) + " " + inv.Currency, DueDate: string(inv.DueDate)}
	if s.d.PayLink != nil {
		data.PayURL = s.d.PayLink(inv.ID)
	}
	var attachments []mail.Attachment
	if s.d.PDF != nil {
		pdf, err := s.d.PDF.InvoicePDF(ctx, a.FirmID, inv.ID)
		if err != nil {
			return err
		}
		if pdf != nil {
			attachments = []mail.Attachment{{Name: *inv.InvoiceNumber + ".pdf", ContentType: "application/pdf", Data: pdf}}
			data.HasPDF = true
		}
	}
	m, err := s.render("invoice_sent", data)
	if err != nil {
		return err
	}
	m.FromName, m.Attachments = firm.Name, attachments
	m.To = mail.Address{Name: contact.PrimaryContactName, Email: contact.PrimaryContactEmail}
	return s.deliver(ctx, InvoiceSentKey(inv.ID), a.FirmID, a.Kind(), m)
}

// invoiceFor reads the invoice a job emails about; a deleted invoice cancels the job, since no
// retry can bring it back.
func (s *Service) invoiceFor(ctx context.Context, firmID, invoiceID string) (*finance.Invoice, error) {
	inv, err := s.d.Finance.InvoiceFor(ctx, firmID, invoiceID)
	if fault.KindOf(err) == fault.NotFound {
		return nil, river.JobCancel(errors.New("the invoice no longer exists"))
	}
	return inv, err
}
