package app

import (
	"cmp"
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/jobs"
	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/riverqueue/river"
)

// cleanupArgs is the hourly removal of what has expired: idempotency keys, sessions and
// soft-deleted rows past PURGE_DELETED_AFTER_DAYS, audit rows past AUDIT_RETENTION_DAYS.
type cleanupArgs struct{}

// Kind names the job in the jobs table.
func (cleanupArgs) Kind() string { return "platform.delete_expired" }

// cleanupInterval is how often expired rows are removed. Expired rows are never used (a key
// past its time is taken over, an expired session refused), so this only bounds table growth.
const cleanupInterval = time.Hour

// newJobs assembles the job runner: every worker and the periodic schedule. It is started by
// Serve.
func (a *App) newJobs(ctx context.Context, o options) error {
	workers := river.NewWorkers()
	a.workers = workers
	river.AddWorker(workers, river.WorkFunc(a.sweepJob))
	river.AddWorker(workers, river.WorkFunc(a.cleanupJob))
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(jobs.QuarterHours{}, func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil },
			&river.PeriodicJobOpts{ID: "overdue-sweep", RunOnStart: true}),
		// Payment reminders fall due at each firm's midnight, like invoices fall overdue.
		river.NewPeriodicJob(jobs.QuarterHours{}, func() (river.JobArgs, *river.InsertOpts) { return notify.ReminderSweepArgs{}, nil },
			&river.PeriodicJobOpts{ID: "invoice-reminders", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(cleanupInterval), func() (river.JobArgs, *river.InsertOpts) { return cleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: "delete-expired", RunOnStart: true}),
	}
	r, err := jobs.New(ctx, a.DB, a.Config.DatabaseURL, jobs.Options{
		Workers:      workers,
		Periodic:     periodic,
		Logger:       a.Logs.App,
		PollInterval: o.jobPoll,
		JobTimeout:   o.jobTimeout,
		RescueAfter:  cmp.Or(o.jobRescue, a.Config.JobRescueAfter),
	})
	if err != nil {
		return err
	}
	a.Jobs = r
	return nil
}

// DeleteExpired removes expired idempotency keys and sessions, on the app's clock.
func (a *App) DeleteExpired(ctx context.Context) (keys, sessions int64, err error) {
	now := a.now()
	if keys, err = db.NewIdempotencyStore(a.DB).DeleteExpired(ctx, now); err != nil {
		return 0, 0, err
	}
	sessions, err = a.Auth.DeleteExpiredSessions(ctx, now)
	return keys, sessions, err
}

func (a *App) cleanupJob(ctx context.Context, _ *river.Job[cleanupArgs]) error {
	keys, sessions, err := a.DeleteExpired(ctx)
	if err != nil {
		return err
	}
	if keys+sessions > 0 {
		a.Logs.App.Info("expired rows removed", "idempotency_keys", keys, "sessions", sessions)
	}
	purged, err := a.PurgeDeleted(ctx)
	if len(purged) > 0 {
		a.Logs.App.Info("deleted rows purged", "rows", purged)
	}
	if err != nil {
		return err
	}
	audits, err := a.PurgeAudit(ctx)
	if audits > 0 {
		a.Logs.App.Info("audit rows past retention removed", "rows", audits)
	}
	return err
}

// PurgeAudit removes the audit rows older than AUDIT_RETENTION_DAYS (0 keeps them all).
func (a *App) PurgeAudit(ctx context.Context) (int64, error) {
	days := a.Config.AuditRetentionDays
	if days <= 0 {
		return 0, nil
	}
	return a.DB.PurgeAudit(ctx, a.now().Add(-time.Duration(days)*24*time.Hour))
}

// StartJobs starts the job workers and the periodic schedule; Serve calls it. Jobs keep running
// when ctx is cancelled: StopJobs drains them.
func (a *App) StartJobs(ctx context.Context) error {
	return a.Jobs.Start(context.WithoutCancel(ctx))
}

// StopJobs lets running jobs finish until ctx ends, then cancels them (they run again at the
// next start).
func (a *App) StopJobs(ctx context.Context) error { return a.Jobs.Stop(ctx) }
