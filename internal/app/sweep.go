package app

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/riverqueue/river"
)

// sweepArgs is the periodic overdue sweep (see jobs.QuarterHours: it runs soon after each
// firm's midnight, and at start).
type sweepArgs struct{}

// Kind names the job in the jobs table.
func (sweepArgs) Kind() string { return "finance.sweep_overdue" }

// SweepOverdue runs the finance module's overdue sweep once, on the app's clock.
func (a *App) SweepOverdue(ctx context.Context) (finance.SweepResult, error) {
	return a.finance.SweepOverdue(ctx, a.now())
}

// sweepJob runs the sweep as a job. A failed sweep is retried with backoff; the sweep is
// idempotent, so a run after a missed one catches up.
func (a *App) sweepJob(ctx context.Context, _ *river.Job[sweepArgs]) error {
	res, err := a.SweepOverdue(ctx)
	if err != nil {
		return err
	}
	if res.Invoices+res.Bills > 0 {
		a.Logs.App.Info("overdue sweep", "invoices", res.Invoices, "bills", res.Bills)
	}
	return nil
}
