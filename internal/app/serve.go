package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
)

// Server timeouts: a slow client cannot hold a connection open (SPEC §10).
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

// MaxHeaderBytes is the HTTP server's hard cap on a request's headers. The API's own limit
// (api.MaxHeaderBytes, 64 KiB) is lower, so that a request over it is answered 431 in the error
// envelope; only one over this cap gets the server's plain-text 431, since the server answers
// it before any handler runs.
const MaxHeaderBytes = 4 * api.MaxHeaderBytes

// NewServer returns an http.Server for h with the platform's timeouts.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// Serve serves on ln (and the metrics on metricsLn when it is not nil) until ctx is cancelled,
// then stops accepting, lets in-flight requests finish within the shutdown timeout, and returns.
func (a *App) Serve(ctx context.Context, ln, metricsLn net.Listener) error {
	servers := []*http.Server{NewServer(a.Handler())}
	listeners := []net.Listener{ln}
	if metricsLn != nil {
		servers = append(servers, NewServer(a.MetricsHandler()))
		listeners = append(listeners, metricsLn)
	}
	if err := a.StartJobs(ctx); err != nil {
		return err
	}
	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() {
			if err := s.Serve(listeners[i]); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	select {
	case err := <-errc:
		a.shutdown(servers)
		return err
	case <-ctx.Done():
	}
	a.Logs.App.Info("shutting down: draining in-flight requests", "timeout", a.Config.ShutdownTimeout.String())
	return a.shutdown(servers)
}

func (a *App) shutdown(servers []*http.Server) error {
	timeout := a.Config.ShutdownTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(ctx); err != nil {
			// Requests still running after the timeout are cut off rather than left to touch a
			// database and log files that are about to close.
			a.Logs.App.Warn("shutdown timeout reached: closing remaining connections", "timeout", timeout.String())
			errs = append(errs, fmt.Errorf("shutdown: in-flight requests abandoned after %s: %w", timeout, err), s.Close())
		}
	}
	// Then the jobs, within what is left of the timeout: requests may have enqueued some.
	if err := a.StopJobs(ctx); err != nil {
		a.Logs.App.Warn("shutdown timeout reached: running jobs cancelled, they run again at the next start")
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
