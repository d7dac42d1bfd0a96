package main

import (
	"context"
	"fmt"
	"io"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// financeCmd runs the finance module's operator commands: sweep-overdue.
func financeCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sweep-overdue" {
		fmt.Fprintln(stderr, "usage: consultantpro finance sweep-overdue [flags]")
		return fmt.Errorf("unknown finance command")
	}
	cfg, _, err := config.Load("finance sweep-overdue", args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.Discard(), version)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.SweepOverdue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "moved to overdue: %d invoices, %d bills\n", res.Invoices, res.Bills)
	return nil
}
