// Command gen builds a realistic ConsultantPro firm for performance work:
//
//	go run ./bench/cmd/gen --database-url sqlite:/tmp/perf.db --scale medium [--seed 1]
//
// It prints the firm id, the owner's username and the password every generated user shares,
// the row counts and the elapsed time. The database is migrated first; use a fresh one (or
// another --user-prefix), since usernames are unique across firms.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/consultantpro/consultantpro/bench/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run parses the flags, generates the firm and prints how to use it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("database-url", getenv("DATABASE_URL"), "sqlite:/path.db or postgres://… (env DATABASE_URL)")
	scaleName := fs.String("scale", "small", "tiny, small, medium, large or clients")
	seed := fs.Uint64("seed", 1, "random seed: the same seed builds the same firm, dated relative to today")
	prefix := fs.String("user-prefix", gen.DefaultUserPrefix, "username prefix (prefix-owner, prefix-consultant-001, …)")
	password := fs.String("password", gen.DefaultPassword, "every generated user's password")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return fmt.Errorf("--database-url is required")
	}
	scale, err := gen.Named(*scaleName)
	if err != nil {
		return err
	}
	progress := stderr
	if *quiet {
		progress = nil
	}
	res, err := gen.Generate(ctx, gen.Options{DatabaseURL: *url, Scale: scale, Seed: *seed,
		UserPrefix: *prefix, Password: *password, Log: progress})
	if err != nil {
		return err
	}
	c := res.Counts
	fmt.Fprintf(stdout, "firm id       %s\n", res.FirmID)
	fmt.Fprintf(stdout, "owner         %s\n", res.Owner)
	fmt.Fprintf(stdout, "password      %s  (every generated user)\n", res.Password)
	fmt.Fprintf(stdout, "users         %d\nclients       %d\nproposals     %d\ncontracts     %d\n",
		c.Users, c.Clients, c.Proposals, c.Contracts)
	fmt.Fprintf(stdout, "projects      %d\ntasks         %d\ntime entries  %d\n", c.Projects, c.Tasks, c.TimeEntries)
	fmt.Fprintf(stdout, "elapsed       %s\n", res.Elapsed.Round(100*time.Millisecond))
	return nil
}
