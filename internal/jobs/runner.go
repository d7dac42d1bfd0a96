package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/uptrace/bun"
)

// Options configure a Runner. Zero values are production's.
type Options struct {
	// Workers works every job kind the app enqueues.
	Workers *river.Workers
	// Periodic are the jobs River enqueues on a schedule (on one instance at a time).
	Periodic []*river.PeriodicJob
	// Logger receives River's warnings and errors.
	Logger *slog.Logger
	// Concurrency is how many jobs run at once (default 4).
	Concurrency int
	// PollInterval is how often idle workers look for new jobs (River's default, 1 s, when 0).
	// Tests shorten it; on PostgreSQL an insert also wakes the workers at once.
	PollInterval time.Duration
	// JobTimeout bounds one attempt (default 1 min). RescueAfter is how long a job may stay
	// running before it is taken for dead (its process killed) and run again (default 5 min).
	JobTimeout  time.Duration
	RescueAfter time.Duration
}

// Runner enqueues, runs, lists and retries jobs.
type Runner struct {
	// sqlClient works on database/sql handles, so it can insert inside a bun transaction, and
	// lists and retries; on SQLite it also works the jobs.
	sqlClient *river.Client[*sql.Tx]
	// pgxClient works the jobs on PostgreSQL (nil on SQLite), over its own pgx pool.
	pgxClient *river.Client[pgx.Tx]
	pool      *pgxpool.Pool
}

// defaultRescueAfter is how long a running job is left alone before it is taken for dead.
const defaultRescueAfter = 5 * time.Minute

// New returns a stopped Runner on d. rawURL is d's URL: on PostgreSQL the workers get a pgx pool
// of their own.
func New(ctx context.Context, d *db.DB, rawURL string, o Options) (*Runner, error) {
	cfg := o.config()
	r := &Runner{}
	var err error
	if d.Dialect == db.SQLite {
		// The single writer connection: River's statements queue with the app's instead of
		// failing with SQLITE_BUSY.
		r.sqlClient, err = river.NewClient(riversqlite.New(d.W.DB), cfg)
		return r, err
	}
	insertOnly := &river.Config{Logger: cfg.Logger}
	if r.sqlClient, err = river.NewClient(riverdatabasesql.New(d.W.DB), insertOnly); err != nil {
		return nil, err
	}
	pcfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("jobs: DATABASE_URL: %w", err)
	}
	pcfg.MaxConns = int32(max(4, o.concurrency()+2))
	if r.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return nil, fmt.Errorf("jobs: connect to postgres: %w", err)
	}
	if r.pgxClient, err = river.NewClient(riverpgxv5.New(r.pool), cfg); err != nil {
		r.pool.Close()
		return nil, err
	}
	return r, nil
}

func (o Options) concurrency() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return 4
}

// config is River's configuration for the working client.
func (o Options) config() *river.Config {
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rescue := o.RescueAfter
	if rescue <= 0 {
		rescue = defaultRescueAfter
	}
	timeout := o.JobTimeout
	if timeout <= 0 && rescue <= time.Minute {
		// An attempt must end before it could be taken for dead (River's own default is 1 min).
		timeout = rescue / 2
	}
	return &river.Config{
		Logger:            slog.New(warnings{logger.Handler()}),
		Workers:           o.Workers,
		PeriodicJobs:      o.Periodic,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.concurrency()}},
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     min(o.PollInterval, 100*time.Millisecond),
		JobTimeout:        timeout,
		// A job that failed every attempt is kept for the operator to see and retry.
		DiscardedJobRetentionPeriod: -1,
		RescueStuckJobsAfter:        rescue,
	}
}

// Start starts the workers and the periodic schedule.
func (r *Runner) Start(ctx context.Context) error {
	if r.pgxClient != nil {
		return r.pgxClient.Start(ctx)
	}
	return r.sqlClient.Start(ctx)
}

// Stop drains: no new job starts, and running jobs may finish until ctx ends; then they are
// cancelled (they run again after the next start). Stopping a Runner that never started is a
// no-op.
func (r *Runner) Stop(ctx context.Context) error {
	c := r.worker()
	err := c.Stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	cancelCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(fmt.Errorf("jobs: running jobs cancelled at shutdown: %w", err), c.StopAndCancel(cancelCtx))
}

// stoppable is the part of a River client Stop needs, whatever its transaction type.
type stoppable interface {
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

func (r *Runner) worker() stoppable {
	if r.pgxClient != nil {
		return r.pgxClient
	}
	return r.sqlClient
}

// Close releases the workers' pool. Call it after Stop.
func (r *Runner) Close() {
	if r.pool != nil {
		r.pool.Close()
	}
}

// Enqueue inserts a job inside tx: it exists only if tx commits. A unique job (see River's
// UniqueOpts) that already exists is not inserted again.
func (r *Runner) Enqueue(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.sqlClient.InsertTx(ctx, tx.Tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueNow inserts a job in a transaction of its own.
func (r *Runner) EnqueueNow(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.sqlClient.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
