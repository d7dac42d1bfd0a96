package finance

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// OwedInvoice is an invoice its client still has to pay, as payment reminders need it.
type OwedInvoice struct {
	ID      string    `bun:"id"`
	DueDate date.Date `bun:"due_date"`
}

// OwedInvoices lists a firm's invoices that are owed (sent, partial or overdue, with a balance
// left) and fall due on or before dueBy: the payment reminders' candidates.
func (s *Service) OwedInvoices(ctx context.Context, firmID string, dueBy date.Date) ([]OwedInvoice, error) {
	var out []OwedInvoice
	err := db.ForFirm(firmID).Select(s.db.R, (*Invoice)(nil)).Column("inv.id", "inv.due_date").
		Where("inv.status IN (?)", bun.List([]InvoiceStatus{InvoiceSent, InvoicePartial, InvoiceOverdue})).
		Where("inv.total_amount - inv.amount_paid - inv.credited > 0").
		Where("inv.due_date <= ?", dueBy).
		OrderExpr("inv.due_date, inv.id").Scan(ctx, &out)
	return out, db.Translate(err)
}

// Owed reports whether inv is still owed: open and with a balance left. A reminder checks it
// again just before it is sent.
func (inv *Invoice) Owed() bool { return inv.Status.open() && inv.BalanceDue() > 0 }
