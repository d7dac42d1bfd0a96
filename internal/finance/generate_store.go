package finance

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// GenerateInvoice builds a draft invoice from the client's billable, unbilled time entries in
// range (of one project, or of all the client's projects in the invoice's currency) and marks
// them invoiced, in one transaction: the entries are locked as they are read, so concurrent
// calls never bill an entry twice. Nothing to bill is a 400.
func (s *Service) GenerateInvoice(ctx context.Context, a auth.Actor, req GenerateRequest) (*Invoice, error) {
	if err := resource.Check(invoicePolicy{}, a, Generate, nil); err != nil {
		return nil, err
	}
	if err := req.rules().Err(); err != nil {
		return nil, err
	}
	f, err := s.firms.Firm(ctx, a)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	inv := &Invoice{ID: db.NewID(), FirmID: a.FirmID, ClientID: req.ClientID, Status: InvoiceDraft, IssueDate: today,
		DueDate: req.DueDate, PaymentTerms: f.DefaultPaymentTerms, TaxRate: req.TaxRate, Notes: req.Notes,
		CreatedBy: actorID(a), CreatedAt: now, UpdatedAt: now}
	if req.ProjectID != "" {
		inv.ProjectID = &req.ProjectID
	}
	if req.Currency != "" {
		inv.edit.currency = &req.Currency
	}
	inv.edit.dueSent = !req.DueDate.IsZero()
	err = s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkInvoice(ctx, tx, a, nil, inv); err != nil && !onlyTotal(err) {
			return err
		}
		if err := resource.Check(invoicePolicy{}, a, Generate, inv); err != nil {
			return err
		}
		entries, err := s.projects.UnbilledEntries(ctx, tx, a.Firm(), projects.UnbilledQuery{
			ClientID: req.ClientID, ProjectID: req.ProjectID, Currency: inv.Currency, From: req.From, To: req.To})
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return fault.Field(fault.NonField, MsgNothingToBill)
		}
		if inv.Lines, err = groupTime(entries, req.GroupBy); err != nil {
			return fault.Field("line_items", err.Error())
		}
		t, err := ComputeTotals(inv.Lines, inv.TaxRate, 0)
		if err != nil {
			return fault.Field("total_amount", err.Error())
		}
		inv.Subtotal, inv.TaxAmount, inv.TotalAmount = t.Subtotal, t.Tax, t.Total
		if inv.TotalAmount <= 0 {
			return fault.Field("total_amount", MsgTotalPositive)
		}
		if _, err := tx.NewInsert().Model(inv).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		if err := saveLines(ctx, tx, a.Firm(), inv, false); err != nil {
			return err
		}
		return s.markInvoiced(ctx, tx, a.Firm(), inv.ID, entries)
	})
	if err != nil {
		return nil, err
	}
	return s.invoiceView(ctx, s.db.R, a, inv.ID)
}

// markInvoiced marks the billed entries in batches; an entry that another invoice billed in
// the meantime (which the lock rules out) would fail the whole generation with a conflict.
func (s *Service) markInvoiced(ctx context.Context, tx bun.Tx, firm db.Firm, invoiceID string, entries []projects.BillableEntry) error {
	const batch = 1000
	for start := 0; start < len(entries); start += batch {
		end := min(start+batch, len(entries))
		ids := make([]string, 0, end-start)
		for _, e := range entries[start:end] {
			ids = append(ids, e.ID)
		}
		n, err := s.projects.MarkInvoiced(ctx, tx, firm, invoiceID, ids)
		if err != nil {
			return err
		}
		if n != int64(len(ids)) {
			return fault.New(fault.Conflict, db.MsgConcurrent)
		}
	}
	return nil
}

// onlyTotal reports whether err is only the empty draft's total: a generated invoice gets its
// lines after the checks of its client, project and currency.
func onlyTotal(err error) bool {
	e := fault.As(err)
	if e == nil || e.Kind != fault.Invalid || len(e.Details) != 1 {
		return false
	}
	_, ok := e.Details["total_amount"]
	return ok
}

// rules checks a generate request: a client, both dates in order, a grouping, a tax rate
// within 0–100 %.
func (r GenerateRequest) rules() fault.Fields {
	var bad fault.Fields
	if r.ClientID == "" {
		bad.Add("client", validate.MsgRequired)
	} else if !db.ValidID(r.ClientID) {
		bad.Add("client", MsgInvoiceClient)
	}
	if r.ProjectID != "" && !db.ValidID(r.ProjectID) {
		bad.Add("project", MsgInvoiceProject)
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		bad.Add("date_before", MsgTimeRange)
	}
	valid := false
	for _, g := range Groupings() {
		valid = valid || g == r.GroupBy
	}
	if !valid {
		bad.Add("group_by", MsgGroupBy)
	}
	if r.TaxRate != nil && (*r.TaxRate < 0 || *r.TaxRate > MaxPercent) {
		bad.Add("tax_rate", MsgTaxRate)
	}
	if r.Currency != "" {
		if _, ok := money.LookupCurrency(r.Currency); !ok {
			bad.Add("currency", MsgUnknownCurrency)
		}
	}
	return bad
}
