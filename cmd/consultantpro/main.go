// Command consultantpro is the ConsultantPro server and its operator commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "consultantpro:", err)
		os.Exit(1)
	}
}

const usage = `ConsultantPro — the quote-to-cash backend for consulting firms.

Usage: consultantpro <command> [flags]

Commands:
  serve           run the API server (the default; migrates on start)
  migrate         apply pending database migrations and exit
  check --deploy  list everything that makes the configuration unfit for production
  createuser      create a firm and its owner (password prompted, or on standard input):
                    consultantpro createuser -firm "Acme" -username ada -email ada@acme.example
  demo            serve with a seeded demo firm and print its sign-in credentials
  finance sweep-overdue
                  move past-due invoices and bills to overdue once (the server does it
                  soon after each firm's midnight)
  jobs list [--state discarded,retryable] [--limit N]
                  list background jobs, newest first
  jobs retry ID   run a job again now (a discarded one gets a fresh round of attempts)
  version         print the version

Every setting is an environment variable and the matching flag; run
"consultantpro serve -h" to list them.
`

// run is the whole program, with its environment passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stderr)
	case "migrate":
		err = migrate(ctx, args, getenv, stdout, stderr)
	case "check":
		err = check(args, getenv, stdout, stderr)
	case "createuser":
		err = createuser(ctx, args, getenv, stdin, stdout, stderr)
	case "demo":
		err = demo(ctx, args, getenv, stdout, stderr)
	case "finance":
		err = financeCmd(ctx, args, getenv, stdout, stderr)
	case "jobs":
		err = jobsCmd(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "consultantpro", version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil // "-h" printed the settings; asking for help is not a failure
	}
	return err
}
