package finance

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Notifier hears of finance events inside the transaction that commits them, so that what it
// queues (the emails, as durable jobs) commits with the event or not at all. The app wires it;
// finance never learns how notifications go out.
type Notifier interface {
	// InvoiceSent runs when an invoice leaves draft (send action or status PATCH).
	InvoiceSent(ctx context.Context, tx bun.Tx, firmID, invoiceID string) error
	// PaymentReceived runs when a payment of an invoice is recorded (by hand or from Stripe).
	PaymentReceived(ctx context.Context, tx bun.Tx, firmID, paymentID string) error
}

// Notify sets who hears of finance events (nobody until it is called). Call it before serving.
func (s *Service) Notify(n Notifier) { s.notifier = n }

// invoiceSent tells the notifier, in tx, that inv was sent.
func (s *Service) invoiceSent(ctx context.Context, tx bun.Tx, firmID string, inv *Invoice) error {
	if s.notifier == nil {
		return nil
	}
	return s.notifier.InvoiceSent(ctx, tx, firmID, inv.ID)
}

// InvoiceFor reads an invoice of a firm outside any request, for the jobs that act on it later
// (its emails); NotFound when the firm has no such invoice.
func (s *Service) InvoiceFor(ctx context.Context, firmID, invoiceID string) (*Invoice, error) {
	return s.invoiceRow(ctx, s.db.R, db.ForFirm(firmID), invoiceID, false)
}

// paymentReceived tells the notifier, in tx, that payment p was recorded.
func (s *Service) paymentReceived(ctx context.Context, tx bun.Tx, firmID string, p *Payment) error {
	if s.notifier == nil || p.Kind != KindPayment {
		return nil
	}
	return s.notifier.PaymentReceived(ctx, tx, firmID, p.ID)
}

// PaymentFor reads a payment of a firm outside any request, for its receipt; NotFound when the
// firm has no such payment.
func (s *Service) PaymentFor(ctx context.Context, firmID, paymentID string) (*Payment, error) {
	return s.payment(ctx, s.db.R, db.ForFirm(firmID), paymentID)
}
