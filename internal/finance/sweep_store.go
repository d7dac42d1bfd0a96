package finance

import (
	"context"
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
		ctx := db.WithFirm(ctx, f.ID)
		err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			firm := db.ForFirm(f.ID)
			r, err := firm.Update(tx, (*Invoice)(nil)).Set("status = ?", InvoiceOverdue).Set("updated_at = ?", stamp).
				Where("inv.status IN (?)", bun.List([]InvoiceStatus{InvoiceSent, InvoicePartial})).
				Where("inv.due_date < ?", today).Exec(ctx)
			if err != nil {
				return db.Translate(err)
			}
			n, _ := r.RowsAffected()
			res.Invoices += n
			r, err = firm.Update(tx, (*Bill)(nil)).Set("status = ?", BillOverdue).Set("updated_at = ?", stamp).
				Where("bl.status IN (?)", bun.List([]BillStatus{BillApproved, BillPartial})).
				Where("bl.due_date < ?", today).Exec(ctx)
			if err != nil {
				return db.Translate(err)
			}
			n, _ = r.RowsAffected()
			res.Bills += n
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// location is a firm's time zone, UTC when unknown.
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}
