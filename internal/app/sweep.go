package app

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/finance"
)

// sweepInterval is how often the server moves past-due invoices and bills to overdue. Each
// firm's day turns at its own midnight, so an hourly sweep marks them within the hour.
const sweepInterval = time.Hour

// SweepOverdue runs the finance module's overdue sweep once, on the app's clock.
func (a *App) SweepOverdue(ctx context.Context) (finance.SweepResult, error) {
	return a.finance.SweepOverdue(ctx, a.now())
}

// sweepPeriodically runs the overdue sweep now and then every interval until ctx ends. A failed
// sweep is logged and tried again at the next tick: the sweep is idempotent.
func (a *App) sweepPeriodically(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := a.SweepOverdue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.Logs.App.Error("overdue sweep failed", "err", err.Error())
		case res.Invoices+res.Bills > 0:
			a.Logs.App.Info("overdue sweep", "invoices", res.Invoices, "bills", res.Bills)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
