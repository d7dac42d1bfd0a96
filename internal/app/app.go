package app

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/assets"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/cache"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/documents"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/jobs"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"
)

// App is one assembled server.
type App struct {
	Config  config.Config
	Logs    *logging.Logs
	DB      *db.DB
	API     *api.API
	Metrics *api.Metrics
	Auth    *auth.Service
	Jobs    *jobs.Runner
	Notify  *notify.Service
	Version string
	// The business modules, which the demo seeding writes through.
	crm      *crm.Service
	projects *projects.Service
	finance  *finance.Service
	// documents purges deleted documents with their blobs.
	documents *documents.Service
	now       func() time.Time
	limits    *limits
	// workers works every job kind; the modules' workers join it as they are assembled.
	workers *river.Workers
}

// New opens the database, applies pending migrations and assembles the HTTP surface. The caller
// owns logs; Close releases the rest.
func New(ctx context.Context, cfg config.Config, logs *logging.Logs, version string, opts ...Option) (*App, error) {
	o := options{now: time.Now, password: auth.DefaultArgon2()}
	for _, opt := range opts {
		opt(&o)
	}
	lim, err := newLimits(cfg, logs.App, o.now)
	if err != nil {
		return nil, err
	}
	// The data version is bumped by the database's own write hook, installed as it opens.
	versions := dataVersions(cfg, lim.redis, logs)
	// Rows the platform stamps itself (the audit log) follow the app's clock.
	dbOpts := []db.Option{db.Clock(o.now)}
	if versions != nil {
		dbOpts = append(dbOpts, db.OnChange(versions.Bump))
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, dbOpts...)
	if err != nil {
		lim.close()
		return nil, err
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		d.Close()
		lim.close()
		return nil, err
	}
	riverApplied, err := jobs.Migrate(ctx, d)
	if err != nil {
		d.Close()
		lim.close()
		return nil, err
	}
	if applied+riverApplied > 0 {
		logs.App.Info("migrations applied", "count", applied, "jobs", riverApplied, "engine", string(d.Dialect))
	}
	metrics := api.NewMetrics()
	metrics.Registry.MustRegister(collectors.NewDBStatsCollector(d.W.DB, "writer"))
	if d.R != d.W {
		metrics.Registry.MustRegister(collectors.NewDBStatsCollector(d.R.DB, "reader"))
	}
	a := &App{Config: cfg, Logs: logs, DB: d, Metrics: metrics, Version: version, now: o.now, limits: lim}
	authVers := authVersions(cfg, lim.redis, versions, logs)
	a.Auth = auth.NewService(auth.Deps{
		DB:       d,
		Hasher:   auth.NewHasher(o.password),
		Tokens:   auth.NewTokens(cfg.SecretKey, cfg.AccessTokenTTL, cfg.RefreshTokenTTL, o.now),
		Now:      o.now,
		Security: logs.Security,
		Logins:   lim.throttle.Limiter,
		LoginMax: lim.loginFailures,
		// Parallel refreshes of one client get the same pair instead of tripping reuse detection.
		RefreshReuse: cfg.RefreshReuseInterval,
		// Every new firm starts with the finance module's chart of accounts.
		FirmCreated: finance.SeedChart,
		// Sessions are checked in memory while nothing they depend on has changed.
		AuthVersions: authVers,
	})
	if paired, ok := authVers.(cache.Paired); ok {
		// With Redis, a request's rate limit brings both versions: one round trip for all.
		lim.throttle.ReadAlong = &api.ReadAlong{Peek: a.Auth.Peek, Keys: paired.Keys, Keep: cache.Remember}
	}
	a.API = api.New(api.Options{
		Authenticate:   a.Auth.AuthenticateRequest,
		Throttle:       lim.throttle,
		Cache:          responseCache(cfg, versions, o.now),
		Idempotency:    api.NewIdempotency(db.NewIdempotencyStore(d), o.now),
		Version:        version,
		Logs:           logs,
		Metrics:        metrics,
		AllowedHosts:   cfg.AllowedHosts,
		CORSOrigins:    cfg.CORSAllowedOrigins,
		TrustedProxies: cfg.TrustedProxies,
		Production:     cfg.Production(),
		Debug:          cfg.Debug,
		Export:         api.ExportOptions{MaxRows: cfg.ExportMaxRows, Now: o.now},
		Audit:          d,
	})
	if err := a.newJobs(ctx, o); err != nil {
		a.Close()
		return nil, err
	}
	if err := a.routes(o); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// routes registers the operational endpoints and every module.
func (a *App) routes(o options) error {
	a.registerHealth()
	auth.Register(a.API, a.Auth, knownCurrency)
	a.crm = crm.NewService(a.DB, a.Auth, a.now)
	crm.Register(a.API, a.crm)
	a.projects = projects.NewService(a.DB, a.Auth, a.crm, a.now)
	projects.Register(a.API, a.projects)
	a.finance = finance.NewService(a.DB, a.crm, a.projects, a.Auth, a.now)
	finance.Register(a.API, a.finance)
	if err := a.registerDocuments(o); err != nil {
		return err
	}
	assets.Register(a.API, assets.NewService(a.DB, a.Auth, a.now))
	resource.RegisterAuditLog(a.API)
	if err := a.wireNotify(o); err != nil {
		return err
	}
	if err := a.registerStripe(o); err != nil {
		return err
	}
	if a.Config.MetricsAddr == "" {
		a.API.Router.Handle("GET /metrics", a.metricsHandler())
	}
	return nil
}

// knownCurrency accepts the ISO 4217 codes money knows.
func knownCurrency(code string) bool {
	_, ok := money.LookupCurrency(code)
	return ok
}

// Handler is the server's whole HTTP surface.
func (a *App) Handler() http.Handler { return a.API.Handler() }

// MetricsHandler serves /metrics on the separate metrics address.
func (a *App) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metricsHandler())
	return mux
}

// metricsHandler serves the metrics, to holders of METRICS_TOKEN only when it is set.
func (a *App) metricsHandler() http.Handler {
	if a.Config.MetricsToken == "" {
		return a.Metrics.Handler()
	}
	return api.RequireToken(a.Config.MetricsToken, a.Metrics.Handler())
}

// Close stops the job workers (when Serve did not) and releases the database and the Redis
// connection.
func (a *App) Close() error {
	if a.Jobs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := a.StopJobs(ctx); err != nil {
			a.Logs.App.Warn("stopping jobs", "err", err.Error())
		}
		cancel()
		a.Jobs.Close()
	}
	a.limits.close()
	if err := a.DB.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}
