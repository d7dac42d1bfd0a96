package testkit

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// Server is a whole ConsultantPro server for end-to-end tests: the real app on a fresh
// database (see serverDatabaseURL), served by httptest on a free loopback port.
type Server struct {
	*httptest.Server
	App *app.App
}

// Config returns the configuration tests start from: local mode, a fresh database, a fixed
// secret key, the httptest host allowed, the list response cache on, and rate limits high enough that only the tests about
// rate limiting meet them.
func Config(t testing.TB) config.Config {
	t.Helper()
	return config.Config{
		Env:          config.ModeLocal,
		DataDir:      t.TempDir(),
		DatabaseURL:  serverDatabaseURL(t),
		SecretKey:    "test-secret-key-that-is-long-enough-for-hs256-signing-0123456789",
		AllowedHosts: []string{"127.0.0.1", "localhost"},
		RateBurst:    "100000/min", RateSustained: "1000000/hour", RateAnon: "100000/hour",
		RatePayment: "100000/min", RateUpload: "100000/hour", RateLoginFailures: "100000/15m",
		RateWebhook: "100000/min",
		// The production default: every test that writes and then lists also proves that the
		// write reaches the list through the response cache.
		ResponseCacheMB: 64,
		// The production default, which config.Load sets.
		RefreshReuseInterval: 10 * time.Second,
	}
}

// StartServer starts the app with Config(t), changed by mutate when it is not nil, and logs
// to logs (logging.Discard() when nil). It stops at cleanup.
func StartServer(t testing.TB, mutate func(*config.Config), logs *logging.Logs) *Server {
	t.Helper()
	cfg := Config(t)
	if mutate != nil {
		mutate(&cfg)
	}
	if logs == nil {
		logs = logging.Discard()
	}
	a, err := app.New(context.Background(), cfg, logs, "test", app.WithFastPasswords())
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return &Server{Server: srv, App: a}
}

// serverDatabaseURL is the database of Config: on SQLite a copy of the migrated template, on
// PostgreSQL an empty schema that app.New migrates (migrating it here would only add a pass).
func serverDatabaseURL(t testing.TB) string {
	t.Helper()
	if Engine() == "sqlite" {
		return MigratedDatabaseURL(t)
	}
	return DatabaseURL(t)
}
