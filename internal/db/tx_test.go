package db_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// On SQLite, write transactions that queue behind a busy writer run in the order they arrived.
// database/sql alone hands the connection to a random waiter, so eight waiters would come out in
// order by chance once in 40,320 runs.
func TestSQLiteWritersRunInArrivalOrder(t *testing.T) {
	t.Parallel()
	d := testkit.OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "fifo.db"), false)
	ctx := context.Background()
	release, holding := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.Tx(ctx, func(context.Context, bun.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	var (
		mu    sync.Mutex
		order []int
		wg    sync.WaitGroup
	)
	for i := range 8 {
		wg.Go(func() {
			_ = d.Tx(ctx, func(context.Context, bun.Tx) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			})
		})
		time.Sleep(30 * time.Millisecond) // lets waiter i queue before waiter i+1 starts
	}
	close(release)
	wg.Wait()
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Fatalf("writers ran in order %v, want %v", order, want)
	}
}

// A transaction waiting for the writer gives up when its request does, with the busy error.
func TestSQLiteWriterWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	d := testkit.OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "wait.db"), false)
	release, holding := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Tx(context.Background(), func(context.Context, bun.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := d.Tx(ctx, func(context.Context, bun.Tx) error { ran = true; return nil })
	close(release)
	<-done
	if fe := fault.As(err); ran || fe == nil || fe.Kind != fault.Unavailable || fe.Message != db.MsgBusy {
		t.Fatalf("ran=%v err=%v, want the busy error without running", ran, err)
	}
}
