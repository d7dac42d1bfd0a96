package finance

import (
	"context"
	"github.com/consultantpro/consultantpro/internal/audit"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// SweepResult counts what a sweep moved to overdue.
type SweepResult struct {
	Invoices int64
	Bills    int64
}

// SweepOverdue moves owed invoices (sent, partial) and approved bills (approved, partial) whose
// due date is before their firm's today to overdue. It is idempotent: a second run on the same
// day moves nothing. Each firm is swept in its own transaction on its own today.
func (s *Service) SweepOverdue(ctx context.Context, now time.Time) (SweepResult, error) {
	var res SweepResult
	// Every firm whose today could be past a due date: the latest today anywhere is at most
	// a day after UTC's.
	horizon := date.Date(now.UTC().AddDate(0, 0, 1).Format(time.DateOnly))
	var firms []struct {
		ID       string `bun:"id"`
		Timezone string `bun:"timezone"`
	}
	err := s.db.R.NewSelect().Table("firms").Column("id", "timezone").
		Where("id IN (SELECT firm_id FROM invoices WHERE status IN ('sent', 'partial') AND due_date < ?)", horizon).
		WhereOr("id IN (SELECT firm_id FROM bills WHERE status IN ('approved', 'partial') AND due_date < ? AND deleted_at IS NULL)", horizon).
		Scan(ctx, &firms)
	if err != nil {
		return res, db.Translate(err)
	}
	stamp := db.Stamp(now)
	for _, f := range firms {
		today := date.Today(now, location(f.Timezone))
		ctx := audit.Start(db.WithFirm(ctx, f.ID), audit.System, f.ID, "overdue", nil, "", "", "")
		err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			firm := db.ForFirm(f.ID)
			n, err := sweep(ctx, tx, firm, (*Invoice)(nil), []InvoiceStatus{InvoiceSent, InvoicePartial}, InvoiceOverdue, today, stamp)
			if err != nil {
				return err
			}
			res.Invoices += n
			n, err = sweep(ctx, tx, firm, (*Bill)(nil), []BillStatus{BillApproved, BillPartial}, BillOverdue, today, stamp)
			res.Bills += n
			return err
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// sweep moves the firm's rows of model in one of the statuses whose
// due date is before today to overdue, and records each one's status change in the audit log.
func sweep[S ~string](ctx context.Context, tx bun.Tx, firm db.Firm, model any, from []S, to S,
	today date.Date, stamp time.Time) (int64, error) {
	var due []struct {
		ID     string `bun:"id"`
		Status S      `bun:"status"`
	}
	err := firm.Select(tx, model).Column("id", "status").
		Where("?TableAlias.status IN (?)", bun.List(from)).Where("?TableAlias.due_date < ?", today).
		Scan(ctx, &due)
	if err != nil || len(due) == 0 {
		return 0, db.Translate(err)
	}
	ids := make([]string, len(due))
	for i, d := range due {
		ids[i] = d.ID
	}
	if _, err := firm.Update(tx, model).Set("status = ?", to).Set("updated_at = ?", stamp).
		Where("?TableAlias.id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
		return 0, db.Translate(err)
	}
	if frame := audit.FrameOf(ctx); frame != nil {
		for _, d := range due {
			frame.Record(model, d.ID, map[string][2]any{"status": {d.Status, to}})
		}
	}
	return int64(len(due)), nil
}

// location is a firm's time zone, UTC when unknown.
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}
