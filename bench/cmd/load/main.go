// Command load is ConsultantPro's load harness: it measures req/s and p50/p95/p99 latency of the
// common API calls against a bare net/http endpoint in the same run (SPEC §13). See package
// bench/load, and docs/PERFORMANCE.md for the method and the figures.
//
//	go run ./bench/cmd/load --database-url sqlite:/tmp/perf-medium.db --concurrency 64 --duration 10s --runs 3
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/consultantpro/consultantpro/bench/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := load.Main(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}
