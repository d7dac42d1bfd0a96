package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/jobs"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

// pingArgs is a test job that reports its run on a channel, failing while fail says so.
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test.ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	ran  chan int
	fail func(n int) error
}

func (w *pingWorker) Work(ctx context.Context, j *river.Job[pingArgs]) error {
	if w.fail != nil {
		if err := w.fail(j.Args.N); err != nil {
			return err
		}
	}
	w.ran <- j.Args.N
	return nil
}

// newRunner returns a migrated database and a runner over it that polls every 10 ms, stopped
// at cleanup.
func newRunner(t *testing.T, w *pingWorker) (*db.DB, *jobs.Runner) {
	t.Helper()
	url := testkit.MigratedDatabaseURL(t)
	d := testkit.OpenDB(t, url, false)
	ctx := context.Background()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	r, err := jobs.New(ctx, d, url, jobs.Options{Workers: workers, PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		r.Close()
	})
	return d, r
}

func waitRun(t *testing.T, ran chan int, want int) {
	t.Helper()
	select {
	case n := <-ran:
		if n != want {
			t.Fatalf("job %d ran, want %d", n, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("job %d did not run", want)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	d := testkit.NewDB(t)
	ctx := context.Background()
	n, err := jobs.Migrate(ctx, d)
	if err != nil || n == 0 {
		t.Fatalf("first migrate: %d applied, err %v", n, err)
	}
	if n, err = jobs.Migrate(ctx, d); err != nil || n != 0 {
		t.Fatalf("second migrate: %d applied, err %v; want 0", n, err)
	}
}

// TestEnqueueJoinsTheTransaction proves that a job exists only when the transaction that
// enqueued it commits.
func TestEnqueueJoinsTheTransaction(t *testing.T) {
	t.Parallel()
	w := &pingWorker{ran: make(chan int, 4)}
	d, r := newRunner(t, w)
	ctx := context.Background()
	boom := errors.New("boom")
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := r.Enqueue(ctx, tx, pingArgs{N: 1}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("tx: %v", err)
	}
	if err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return r.Enqueue(ctx, tx, pingArgs{N: 2}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := r.List(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Kind != "test.ping" {
		t.Fatalf("jobs after a rolled back and a committed enqueue: %d, want 1", len(rows))
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitRun(t, w.ran, 2)
	select {
	case n := <-w.ran:
		t.Fatalf("job %d of the rolled back transaction ran", n)
	case <-time.After(50 * time.Millisecond):
	}
}

// TestFailingJobIsKeptAndRetryable: a job that fails its last attempt is discarded but kept,
// listed by state, and runs again after Retry.
func TestFailingJobIsKeptAndRetryable(t *testing.T) {
	t.Parallel()
	var failing atomic.Bool
	failing.Store(true)
	fails := make(chan struct{}, 4)
	w := &pingWorker{ran: make(chan int, 4), fail: func(int) error {
		if failing.Load() {
			fails <- struct{}{}
			return errors.New("smtp down")
		}
		return nil
	}}
	_, r := newRunner(t, w)
	ctx := context.Background()
	if err := r.EnqueueNow(ctx, pingArgs{N: 7}, &river.InsertOpts{MaxAttempts: 1}); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	<-fails
	var discarded []*rivertype.JobRow
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var err error
		if discarded, err = r.List(ctx, []rivertype.JobState{rivertype.JobStateDiscarded}, 10); err != nil {
			t.Fatal(err)
		}
		if len(discarded) == 1 {
			break
		}
	}
	if len(discarded) != 1 {
		t.Fatalf("discarded jobs: %d, want 1", len(discarded))
	}
	if got := discarded[0].Errors; len(got) != 1 || got[0].Error != "smtp down" {
		t.Fatalf("recorded errors: %+v", got)
	}
	failing.Store(false)
	row, err := r.Retry(ctx, discarded[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.State != rivertype.JobStateAvailable {
		t.Fatalf("state after retry: %s, want available", row.State)
	}
	waitRun(t, w.ran, 7)
	if _, err := r.Retry(ctx, 987654); !errors.Is(err, jobs.ErrNotFound) {
		t.Fatalf("retry of an unknown job: %v, want ErrNotFound", err)
	}
}

// TestStopDrainsRunningJobs: Stop waits for a running job to finish.
func TestStopDrainsRunningJobs(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	w := &pingWorker{ran: make(chan int, 1), fail: func(int) error {
		close(started)
		<-release
		return nil
	}}
	_, r := newRunner(t, w)
	ctx := context.Background()
	if err := r.EnqueueNow(ctx, pingArgs{N: 3}, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- r.Stop(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned while a job was running: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	waitRun(t, w.ran, 3)
}

func TestParseState(t *testing.T) {
	t.Parallel()
	if st, err := jobs.ParseState("discarded"); err != nil || st != rivertype.JobStateDiscarded {
		t.Fatalf("discarded: %v %v", st, err)
	}
	if _, err := jobs.ParseState("failed"); err == nil {
		t.Fatal("an unknown state was accepted")
	}
}
