package projects

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// What the finance module asks of projects and time entries: the project an invoice bills, the
// unbilled time it bills, and marking or releasing that time. Finance calls these inside its own
// transactions, so the entries and the invoice change together.

// ProjectRef is what an invoice needs of its project.
type ProjectRef struct {
	ID        string
	Name      string
	ClientID  string
	Currency  string
	ManagerID *string
}

// ProjectRef returns a project of the firm for billing; NotFound when it is not the firm's.
func (s *Service) ProjectRef(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (ProjectRef, error) {
	p, err := s.project(ctx, idb, firm, id)
	if err != nil {
		return ProjectRef{}, err
	}
	return ProjectRef{ID: p.ID, Name: p.Name, ClientID: p.ClientID, Currency: p.Currency, ManagerID: p.ProjectManagerID}, nil
}

// UnbilledQuery selects the time an invoice may bill: billable, not yet invoiced entries of the
// client's projects (or of one project) in a currency, dated in [From, To].
type UnbilledQuery struct {
	ClientID  string
	ProjectID string // "" for every project of the client
	Currency  string
	From, To  date.Date
}

// BillableEntry is one unbilled time entry with what an invoice line says about it.
type BillableEntry struct {
	ID          string       `bun:"id"`
	ProjectID   string       `bun:"project_id"`
	ProjectName string       `bun:"project_name"`
	TaskID      *string      `bun:"task_id"`
	TaskTitle   *string      `bun:"task_title"`
	UserID      string       `bun:"user_id"`
	UserName    string       `bun:"user_name"`
	Date        date.Date    `bun:"date"`
	Hours       money.Hours  `bun:"hours"`
	Description string       `bun:"description"`
	HourlyRate  money.Amount `bun:"hourly_rate"`
	Amount      money.Amount `bun:"billed_amount"`
}

// UnbilledEntries returns the entries q selects, oldest first, and locks them until tx ends.
// On PostgreSQL a concurrent invoicing that billed some of them first makes the lock wait, and
// the entries it marked no longer match once it commits, so no entry is billed twice; SQLite's
// single writer serialises the transactions.
func (s *Service) UnbilledEntries(ctx context.Context, tx bun.Tx, firm db.Firm, q UnbilledQuery) ([]BillableEntry, error) {
	var rows []BillableEntry
	sel := firm.Select(tx, (*TimeEntry)(nil)).
		ColumnExpr("te.id, te.project_id, te.task_id, te.user_id, te.date, te.hours, te.description, te.hourly_rate, te.billed_amount").
		Join("JOIN projects AS tep ON tep.id = te.project_id").ColumnExpr("tep.name AS project_name").
		Join("LEFT JOIN tasks AS tet ON tet.id = te.task_id").ColumnExpr("tet.title AS task_title").
		Where("tep.client_id = ?", q.ClientID).
		Where("te.is_billable AND NOT te.invoiced").
		Where("te.currency = ?", q.Currency).
		Where("te.date >= ? AND te.date <= ?", q.From, q.To).
		OrderExpr("te.date, te.created_at, te.id")
	sel = auth.WithUserName(sel, "teu", "te.user_id", "user_name")
	if q.ProjectID != "" {
		sel = sel.Where("te.project_id = ?", q.ProjectID)
	}
	if !s.db.SerialWrites() {
		sel = sel.For("UPDATE OF te")
	}
	if err := sel.Scan(ctx, &rows); err != nil {
		return nil, db.Translate(err)
	}
	return rows, nil
}

// MarkInvoiced marks entries as billed by an invoice and reports how many it marked: an entry
// another invoice billed first is left alone (and not counted). Each marked entry gets its audit
// row under the invoice's action (the statement changes many rows the audit frame cannot see).
func (s *Service) MarkInvoiced(ctx context.Context, tx bun.Tx, firm db.Firm, invoiceID string, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var marked []string
	err := firm.Update(tx, (*TimeEntry)(nil)).
		Set("invoiced = ?", true).Set("invoice_id = ?", invoiceID).Set("updated_at = ?", s.stamp()).
		Where("te.id IN (?)", bun.List(ids)).Where("NOT te.invoiced").Returning("id").Scan(ctx, &marked)
	if err != nil {
		return 0, db.Translate(err)
	}
	recordBilling(ctx, marked, [2]any{false, true}, [2]any{nil, invoiceID})
	return int64(len(marked)), nil
}

// ReleaseInvoice makes the entries an invoice billed unbilled again (the invoice was cancelled
// or deleted), so they can be changed and billed anew; each gets its audit row.
func (s *Service) ReleaseInvoice(ctx context.Context, tx bun.Tx, firm db.Firm, invoiceID string) error {
	var released []string
	err := firm.Update(tx, (*TimeEntry)(nil)).
		Set("invoiced = ?", false).Set("invoice_id = NULL").Set("updated_at = ?", s.stamp()).
		Where("te.invoice_id = ?", invoiceID).Returning("id").Scan(ctx, &released)
	if err != nil {
		return db.Translate(err)
	}
	recordBilling(ctx, released, [2]any{true, false}, [2]any{invoiceID, nil})
	return nil
}

// recordBilling adds an audit row per entry whose billing changed, when the operation is audited.
func recordBilling(ctx context.Context, ids []string, invoiced, invoice [2]any) {
	frame := audit.FrameOf(ctx)
	if frame == nil {
		return
	}
	for _, id := range ids {
		frame.Record((*TimeEntry)(nil), id, map[string][2]any{"invoiced": invoiced, "invoice_id": invoice})
	}
}
