package finance

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// defaultInvoicePrefix numbers invoices when the firm has no prefix of its own.
const defaultInvoicePrefix = "INV"

// CreateInvoice adds a draft invoice created by the caller: edit fills in the request. Its
// currency defaults to its project's, else the firm's; its issue date to today and its due date
// to the issue date plus its payment terms (the firm's by default). A manager may create
// invoices only for projects they manage. An invoice created as sent is sent in the same
// transaction.
func (s *Service) CreateInvoice(ctx context.Context, a auth.Actor, edit func(*Invoice) fault.Fields) (*Invoice, error) {
	if err := resource.Check(invoicePolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	f, err := s.firms.Firm(ctx, a)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	inv := &Invoice{ID: db.NewID(), FirmID: a.FirmID, Status: InvoiceDraft, IssueDate: today,
		PaymentTerms: f.DefaultPaymentTerms, Lines: []Line{}, CreatedBy: actorID(a), CreatedAt: now, UpdatedAt: now}
	bad := edit(inv)
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkInvoice(ctx, tx, a, nil, inv); err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, resource.Create, inv); err != nil {
			return err
		}
		target := InvoiceDraft
		if st := inv.edit.status; st != nil {
			target = *st
		}
		inv.Status = InvoiceDraft
		if err := explicitMove(inv, target); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(inv).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		if err := saveLines(ctx, tx, a.Firm(), inv, false); err != nil {
			return err
		}
		if target == InvoiceSent {
			return s.send(ctx, tx, a, inv)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.invoiceView(ctx, s.db.R, a, inv.ID)
}

// UpdateInvoice changes an invoice as edit says. Only a draft changes its amounts, lines,
// client, project, currency or issue date; a status change goes through the same rules as the
// send and cancel actions.
func (s *Service) UpdateInvoice(ctx context.Context, a auth.Actor, id string, edit func(*Invoice) fault.Fields) (*Invoice, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.lockInvoice(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, resource.Update, inv); err != nil {
			return err
		}
		old := *inv
		old.Lines = append([]Line(nil), inv.Lines...)
		if err := edit(inv).Err(); err != nil {
			return err
		}
		if err := s.checkInvoice(ctx, tx, a, &old, inv); err != nil {
			return err
		}
		target := old.Status
		if st := inv.edit.status; st != nil {
			target = *st
		}
		inv.Status = old.Status
		if err := explicitMove(inv, target); err != nil {
			return err
		}
		inv.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, inv).WherePK().
			Column("client_id", "project_id", "currency", "subtotal", "tax_rate", "tax_amount", "discount_amount",
				"total_amount", "issue_date", "due_date", "payment_terms", "notes", "updated_at").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		// Lines change when sent, or when a new currency repriced them (Invoice.reprice).
		if !sameLines(old.Lines, inv.Lines) {
			if err := saveLines(ctx, tx, a.Firm(), inv, true); err != nil {
				return err
			}
		}
		switch {
		case target == old.Status:
			return nil
		case target == InvoiceSent:
			return s.send(ctx, tx, a, inv)
		default:
			return s.cancel(ctx, tx, a, inv)
		}
	})
	if err != nil {
		return nil, err
	}
	return s.invoiceView(ctx, s.db.R, a, id)
}

// DeleteInvoice removes a draft invoice and releases its time entries; a numbered invoice is
// never deleted (409): it is cancelled.
func (s *Service) DeleteInvoice(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invoiceRow(ctx, tx, a.Firm(), id, true)
		if err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, resource.Delete, inv); err != nil {
			return err
		}
		if inv.Status != InvoiceDraft || inv.InvoiceNumber != nil {
			return fault.New(fault.Conflict, MsgDraftDelete)
		}
		if err := s.projects.ReleaseInvoice(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		if _, err := a.Firm().Delete(tx, (*invoiceLine)(nil)).Where("il.invoice_id = ?", id).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		_, err = a.Firm().Delete(tx, (*Invoice)(nil)).Where("inv.id = ?", id).Exec(ctx)
		return db.Translate(err)
	})
}

// SendInvoice sends a draft invoice (SPEC §6): it takes the next INV-YYYY-NNN number of the
// firm's year, is stamped sent_at and is posted to the ledger (Dr receivable, Cr revenue and
// sales tax), all in one transaction.
func (s *Service) SendInvoice(ctx context.Context, a auth.Actor, id string) (*Invoice, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invoiceRow(ctx, tx, a.Firm(), id, true)
		if err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, Send, inv); err != nil {
			return err
		}
		if inv.Status != InvoiceDraft {
			return StatusError(inv.Status, InvoiceSent)
		}
		return s.send(ctx, tx, a, inv)
	})
	if err != nil {
		return nil, err
	}
	return s.invoiceView(ctx, s.db.R, a, id)
}

// CancelInvoice cancels an unpaid invoice: its time entries are released and, when it had
// been sent, its posting is reversed, in one transaction.
func (s *Service) CancelInvoice(ctx context.Context, a auth.Actor, id string) (*Invoice, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invoiceRow(ctx, tx, a.Firm(), id, true)
		if err != nil {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, Cancel, inv); err != nil {
			return err
		}
		if inv.Status == InvoiceCancelled {
			return StatusError(inv.Status, InvoiceCancelled)
		}
		if err := explicitMove(inv, InvoiceCancelled); err != nil {
			return err
		}
		return s.cancel(ctx, tx, a, inv)
	})
	if err != nil {
		return nil, err
	}
	return s.invoiceView(ctx, s.db.R, a, id)
}

// send numbers a draft, stamps it, posts it and has its email queued.
func (s *Service) send(ctx context.Context, tx bun.Tx, a auth.Actor, inv *Invoice) error {
	now := s.stamp()
	today := date.Today(now, a.Location())
	year := today.Year()
	n, err := db.NextNumber(ctx, tx, a.FirmID, "invoice", year)
	if err != nil {
		return err
	}
	prefix := a.InvoicePrefix
	if prefix == "" {
		prefix = defaultInvoicePrefix
	}
	number := db.FormatNumber(prefix, year, n)
	inv.InvoiceNumber, inv.Status, inv.SentAt, inv.UpdatedAt = &number, InvoiceSent, &now, now
	_, err = a.Firm().Update(tx, inv).WherePK().Column("invoice_number", "status", "sent_at", "updated_at").Exec(ctx)
	if err != nil {
		return db.Translate(err)
	}
	revenue, err := inv.Subtotal.Sub(inv.DiscountAmount)
	if err != nil {
		return err
	}
	e := &JournalEntry{Date: today, Memo: "Invoice " + number, Source: SourceInvoice, InvoiceID: &inv.ID, CreatedBy: actorID(a)}
	err = s.post(ctx, tx, a.Firm(), e, inv.Currency,
		posting{Key: AcctReceivable, Debit: inv.TotalAmount},
		posting{Key: AcctRevenue, Credit: revenue},
		posting{Key: AcctSalesTax, Credit: inv.TaxAmount})
	if err != nil {
		return err
	}
	return s.invoiceSent(ctx, tx, a.FirmID, inv)
}

// cancel marks an invoice cancelled, releases its time entries and reverses its posting.
func (s *Service) cancel(ctx context.Context, tx bun.Tx, a auth.Actor, inv *Invoice) error {
	wasSent := inv.Status != InvoiceDraft
	inv.Status, inv.UpdatedAt = InvoiceCancelled, s.stamp()
	_, err := a.Firm().Update(tx, inv).WherePK().Column("status", "updated_at").Exec(ctx)
	if err != nil {
		return db.Translate(err)
	}
	if err := s.projects.ReleaseInvoice(ctx, tx, a.Firm(), inv.ID); err != nil {
		return err
	}
	if !wasSent {
		return nil
	}
	mirror := &JournalEntry{Date: s.today(a), Memo: "Invoice " + deref(inv.InvoiceNumber) + " cancelled",
		Source: SourceInvoiceVoid, InvoiceID: &inv.ID, CreatedBy: actorID(a)}
	return s.reverseEntries(ctx, tx, a.Firm(), SourceInvoice, "invoice_id", inv.ID, mirror)
}

// checkInvoice applies the rules that need the merged invoice and the database: a client of
// the firm, a project of that client (whose currency the invoice takes by default), the amounts
// read in the currency, the due date from the terms, and SPEC §6's rules. old is nil on create.
func (s *Service) checkInvoice(ctx context.Context, tx bun.Tx, a auth.Actor, old, inv *Invoice) error {
	var bad fault.Fields
	if inv.ClientID != "" {
		ok, err := s.clients.ClientExists(ctx, tx, a.Firm(), inv.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgInvoiceClient)
		}
	}
	projectCurrency := ""
	inv.ProjectManagerID = nil
	if inv.ProjectID != nil {
		p, err := s.projects.ProjectRef(ctx, tx, a.Firm(), *inv.ProjectID)
		switch {
		case db.IsNotFound(err):
			bad.Add("project", MsgInvoiceProject)
		case err != nil:
			return err
		case p.ClientID != inv.ClientID && !bad.Has("client"):
			bad.Add("project", MsgProjectClient)
		default:
			projectCurrency, inv.ProjectManagerID, inv.ProjectName = p.Currency, p.ManagerID, &p.Name
		}
	}
	setCurrency(&bad, inv, old, projectCurrency, a.Currency)
	if err := bad.Err(); err != nil {
		return err
	}
	if old != nil && old.Currency != inv.Currency {
		bad.Merge(inv.reprice(old.Currency))
	}
	if inv.DueDate.IsZero() || old == nil && !inv.edit.dueSent || old != nil && !inv.edit.dueSent && inv.PaymentTerms != old.PaymentTerms {
		inv.DueDate = addDays(inv.IssueDate, dueDays(inv.PaymentTerms))
	}
	bad.Merge(inv.price())
	if len(bad) == 0 {
		bad.Merge(inv.rules(old))
	}
	return bad.Err()
}

// setCurrency settles the invoice's currency: the one sent, else (on create, or when the
// project changes) the project's, else the firm's. An invoice of a project is in its currency.
func setCurrency(bad *fault.Fields, inv, old *Invoice, projectCurrency, firmCurrency string) {
	switch {
	case inv.edit.currency != nil:
		c, ok := money.LookupCurrency(strings.TrimSpace(*inv.edit.currency))
		if !ok {
			bad.Add("currency", MsgUnknownCurrency)
			return
		}
		inv.Currency = c.Code
	case projectCurrency != "" && (old == nil || deref(old.ProjectID) != deref(inv.ProjectID)):
		inv.Currency = projectCurrency
	case inv.Currency == "":
		inv.Currency = money.CurrencyOf(firmCurrency).Code
	}
	if projectCurrency != "" && inv.Currency != projectCurrency {
		bad.Add("currency", MsgProjectCurrency)
	}
}

// reprice carries a draft's amounts into its new currency when they were not sent again: the
// same figures, in the new currency's minor units.
func (inv *Invoice) reprice(from string) fault.Fields {
	var bad fault.Fields
	src, dst := money.CurrencyOf(from), money.CurrencyOf(inv.Currency)
	if inv.edit.lines == nil {
		for i := range inv.Lines {
			l := &inv.Lines[i]
			r, err := money.Reprice(l.Rate, src, dst)
			if err == nil {
				l.Rate = r
				l.Amount, err = money.BilledAmount(l.Quantity, r)
			}
			if err != nil {
				bad.Add("line_items", err.Error())
				return bad
			}
		}
	}
	if inv.edit.discount == nil {
		d, err := money.Reprice(inv.DiscountAmount, src, dst)
		if err != nil {
			bad.Add("discount_amount", err.Error())
		}
		inv.DiscountAmount = d
	}
	return bad
}
