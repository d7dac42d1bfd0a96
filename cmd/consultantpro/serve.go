package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// serve runs the API server until ctx is cancelled (SIGTERM or interrupt).
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, _, err := config.Load("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	return runServer(ctx, cfg, stderr, nil)
}

// runServer starts the app for cfg, calls ready (when not nil) once it is assembled, and serves
// until ctx is cancelled.
func runServer(ctx context.Context, cfg config.Config, stderr io.Writer, ready func(context.Context, *app.App) error) error {
	logs, err := logging.New(logging.Options{Dir: cfg.LogDir, Console: stderr, Debug: cfg.Debug})
	if err != nil {
		return err
	}
	defer logs.Close()
	if cfg.Production() {
		if findings := config.DeployFindings(cfg); len(findings) > 0 {
			for _, f := range findings {
				logs.Security.Error("refusing to start in production mode", "finding", f)
			}
			return fmt.Errorf("production mode refused to start: %s", strings.Join(findings, "; "))
		}
		for _, w := range config.DeployWarnings(cfg) {
			logs.Security.Warn("deployment warning", "finding", w)
		}
	}
	generated, err := config.EnsureSecretKey(&cfg)
	if err != nil {
		return err
	}
	if generated {
		logs.App.Warn("no SECRET_KEY given: generated one for local mode and kept it in the data directory",
			"file", cfg.DataDir+"/"+config.SecretKeyFile)
	}
	a, err := app.New(ctx, cfg, logs, version)
	if err != nil {
		return err
	}
	defer a.Close()
	if ready != nil {
		if err := ready(ctx, a); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return err
		}
		logs.App.Info("metrics listening", "addr", metricsLn.Addr().String())
	}
	logs.App.Info("ConsultantPro listening", "url", "http://"+ln.Addr().String(), "mode", cfg.Env,
		"database", string(a.DB.Dialect), "docs", "http://"+ln.Addr().String()+"/api/docs/")
	if err := a.Serve(ctx, ln, metricsLn); err != nil {
		return err
	}
	logs.App.Info("stopped")
	return nil
}

// migrate applies pending migrations and reports the schema version.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config.Load("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.Discard(), version)
	if err != nil {
		return err
	}
	defer a.Close()
	current, _, err := a.DB.MigrationVersions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database schema is at version %d (%s)\n", current, a.DB.Dialect)
	return nil
}

// check prints every deployment finding and fails when there is one.
func check(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	deploy := false
	rest := args[:0:0]
	for _, a := range args {
		if a == "--deploy" || a == "-deploy" {
			deploy = true
			continue
		}
		rest = append(rest, a)
	}
	cfg, _, err := config.Load("check", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if !deploy {
		fmt.Fprintln(stdout, "configuration is valid (add --deploy for the production checks)")
		return nil
	}
	findings := append(config.DeployFindings(cfg), config.DeployWarnings(cfg)...)
	for _, f := range findings {
		fmt.Fprintln(stdout, "-", f)
	}
	if len(findings) > 0 {
		return fmt.Errorf("check --deploy found %d problem(s)", len(findings))
	}
	fmt.Fprintln(stdout, "no deployment problems found")
	return nil
}
