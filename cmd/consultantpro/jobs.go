package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/jobs"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/riverqueue/river/rivertype"
)

const jobsUsage = `usage: consultantpro jobs list [--state STATE[,STATE…]] [--limit N] [flags]
       consultantpro jobs retry ID [flags]`

// jobsCmd runs the background-job commands: list (newest first, optionally by state) and retry.
func jobsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, jobsUsage)
		return fmt.Errorf("missing jobs command")
	}
	switch args[0] {
	case "list":
		return jobsList(ctx, args[1:], getenv, stdout, stderr)
	case "retry":
		return jobsRetry(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprintln(stderr, jobsUsage)
	return fmt.Errorf("unknown jobs command %q", args[0])
}

// takeFlag removes "--name value" or "--name=value" (one or two dashes) from args.
func takeFlag(args []string, name string) (value string, rest []string, err error) {
	rest = args[:0:0]
	for i := 0; i < len(args); i++ {
		a := strings.TrimLeft(args[i], "-")
		switch {
		case a == name && args[i] != a:
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("flag --%s needs a value", name)
			}
			value = args[i+1]
			i++
		case strings.HasPrefix(a, name+"=") && args[i] != a:
			value = strings.TrimPrefix(a, name+"=")
		default:
			rest = append(rest, args[i])
		}
	}
	return value, rest, nil
}

func jobsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	stateArg, args, err := takeFlag(args, "state")
	if err != nil {
		return err
	}
	limitArg, args, err := takeFlag(args, "limit")
	if err != nil {
		return err
	}
	var states []rivertype.JobState
	if stateArg != "" {
		for _, s := range strings.Split(stateArg, ",") {
			st, err := jobs.ParseState(strings.TrimSpace(s))
			if err != nil {
				return err
			}
			states = append(states, st)
		}
	}
	limit := 100
	if limitArg != "" {
		if limit, err = strconv.Atoi(limitArg); err != nil || limit < 1 || limit > 10000 {
			return fmt.Errorf("--limit must be a number from 1 to 10000")
		}
	}
	return withApp(ctx, "jobs list", args, getenv, stderr, func(a *app.App) error {
		rows, err := a.Jobs.List(ctx, states, limit)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tKIND\tSTATE\tATTEMPT\tSCHEDULED\tLAST ERROR")
		for _, r := range rows {
			fmt.Fprintf(w, "%d\t%s\t%s\t%d/%d\t%s\t%s\n", r.ID, r.Kind, r.State, r.Attempt, r.MaxAttempts,
				r.ScheduledAt.UTC().Format(time.RFC3339), lastError(r))
		}
		return w.Flush()
	})
}

// lastError is the job's latest recorded error on one line.
func lastError(r *rivertype.JobRow) string {
	if len(r.Errors) == 0 {
		return ""
	}
	msg := strings.Join(strings.Fields(r.Errors[len(r.Errors)-1].Error), " ")
	if len(msg) > 120 {
		msg = msg[:117] + "..."
	}
	return msg
}

func jobsRetry(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, jobsUsage)
		return fmt.Errorf("jobs retry needs a job ID")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id < 1 {
		return fmt.Errorf("job ID %q is not a positive number", args[0])
	}
	return withApp(ctx, "jobs retry", args[1:], getenv, stderr, func(a *app.App) error {
		row, err := a.Jobs.Retry(ctx, id)
		if errors.Is(err, jobs.ErrNotFound) {
			return fmt.Errorf("no job with ID %d", id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job %d (%s) is %s\n", row.ID, row.Kind, row.State)
		return nil
	})
}

// withApp loads the configuration of a command, opens the app (migrating) and runs fn with it.
func withApp(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, fn func(*app.App) error) error {
	cfg, _, err := config.Load(name, args, getenv, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.Discard(), version)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}
