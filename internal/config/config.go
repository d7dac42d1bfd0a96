package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Modes of operation (SPEC §10).
const (
	ModeLocal      = "local"
	ModeProduction = "production"
)

// Config is every setting of the server. It is built once by Load and passed down explicitly.
type Config struct {
	Env         string // ModeLocal or ModeProduction
	Debug       bool   // adds detail to logs only; never to responses
	Addr        string // listen address
	MetricsAddr string // separate listen address for /metrics; "" serves it on Addr
	DataDir     string
	DatabaseURL string
	RedisURL    string
	// RedisPrefix starts every Redis key the server uses; "" means DefaultRedisPrefix.
	RedisPrefix string
	LogDir      string
	SecretKey   string
	// AllowedHosts are the Host header values served; ".example.com" also allows subdomains.
	AllowedHosts        []string
	CORSAllowedOrigins  []string
	TrustedProxies      []netip.Prefix
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	// PayURL is the page where a client pays an invoice online, "{invoice}" standing for the
	// invoice's id; printed on invoices when Stripe is configured.
	PayURL     string
	StorageURL string
	// UploadMaxMB is the largest uploaded file, in MiB (UPLOAD_MAX_MB).
	UploadMaxMB int64
	// PurgeDeletedAfterDays is how long soft-deleted rows wait for a restore before the purge
	// removes them for good (PURGE_DELETED_AFTER_DAYS; 0 keeps them).
	PurgeDeletedAfterDays int
	// AuditRetentionDays is how long audit rows are kept (AUDIT_RETENTION_DAYS; 0 keeps them).
	AuditRetentionDays int
	SMTPURL            string
	// MailFrom is the sender address of every email (MAIL_FROM); the display name is the firm's.
	MailFrom string
	// PublicURL is where clients reach the server (PUBLIC_URL), for links in emails.
	PublicURL       string
	ShutdownTimeout time.Duration
	// JobRescueAfter is how long a job may stay running before it is taken for dead and run
	// again (JOBS_RESCUE_AFTER; 0: the jobs' default, 5 minutes).
	JobRescueAfter  time.Duration
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	// RefreshReuseInterval is how long a rotated refresh token presented again gets the same new
	// pair instead of revoking its session; 0 turns it off.
	RefreshReuseInterval time.Duration
	// ResponseCacheMB bounds the bodies of cached list responses; 0 turns the cache off.
	ResponseCacheMB int
	// MetricsToken, when set, is the bearer token /metrics requires wherever it is served.
	MetricsToken string
	// ExportMaxRows is the most rows a CSV or XLSX export of a list may hold (EXPORT_MAX_ROWS).
	ExportMaxRows int64
	// Rates of the rate-limit scopes ("100/min"), parsed by the ratelimit package at start-up.
	RateBurst, RateSustained, RateAnon, RatePayment, RateUpload, RateLoginFailures string

	// RateWebhook limits Stripe's webhook deliveries per client IP (its own scope).
	RateWebhook string
	// StripeTimeout bounds each call to Stripe. It is not a setting: 0 means the default (15 s,
	// SPEC §7), and tests shorten it.
	StripeTimeout time.Duration
}

// DefaultExportMaxRows is the default EXPORT_MAX_ROWS.
const DefaultExportMaxRows = 1_000_000

// DefaultUploadMaxMB is the default UPLOAD_MAX_MB (SPEC §8).
const DefaultUploadMaxMB = 25

// DefaultPurgeDeletedAfterDays is the default PURGE_DELETED_AFTER_DAYS.
const DefaultPurgeDeletedAfterDays = 30

// DefaultRedisPrefix is the default REDIS_PREFIX.
const DefaultRedisPrefix = "consultantpro:"

// Production reports whether the server runs in production mode.
func (c Config) Production() bool { return c.Env == ModeProduction }

// localHosts are the hosts local mode serves without configuration.
var localHosts = []string{"localhost", "127.0.0.1", "[::1]"}

// Load reads the settings for one subcommand: each setting comes from its flag if given, else
// from its environment variable (read through getenv), else from the mode's default. It returns
// the arguments left after the flags.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	raw := map[string]*string{}
	for _, s := range settings {
		raw[s.env] = fs.String(s.flag, getenv(s.env), s.usage+" (env "+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, nil, err
	}
	get := func(env string) string { return strings.TrimSpace(*raw[env]) }
	cfg, err := build(get)
	return cfg, fs.Args(), err
}

// build turns raw strings into a Config with the defaults of its mode.
func build(get func(string) string) (Config, error) {
	var errs []error
	cfg := Config{
		Env:                 get("ENV"),
		Addr:                get("ADDR"),
		MetricsAddr:         get("METRICS_ADDR"),
		MetricsToken:        get("METRICS_TOKEN"),
		DataDir:             get("DATA_DIR"),
		DatabaseURL:         get("DATABASE_URL"),
		RedisURL:            get("REDIS_URL"),
		RedisPrefix:         orDefault(get("REDIS_PREFIX"), DefaultRedisPrefix),
		LogDir:              get("LOG_DIR"),
		SecretKey:           get("SECRET_KEY"),
		AllowedHosts:        splitList(get("ALLOWED_HOSTS")),
		CORSAllowedOrigins:  splitList(get("CORS_ALLOWED_ORIGINS")),
		StripeSecretKey:     get("STRIPE_SECRET_KEY"),
		StripeWebhookSecret: get("STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       get("STRIPE_API_BASE"),
		PayURL:              get("PAY_URL"),
		StorageURL:          get("STORAGE_URL"),
		SMTPURL:             get("SMTP_URL"),
	}
	switch strings.ToLower(cfg.Env) {
	case "", ModeLocal, "development", "dev":
		cfg.Env = ModeLocal
	case ModeProduction, "prod":
		cfg.Env = ModeProduction
	default:
		errs = append(errs, fmt.Errorf("ENV must be %q or %q, got %q", ModeLocal, ModeProduction, cfg.Env))
	}
	if v := get("DEBUG"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("DEBUG must be true or false, got %q", v))
		}
		cfg.Debug = b
	}
	cfg.ShutdownTimeout = 20 * time.Second
	if v := get("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT must be a positive duration such as 20s, got %q", v))
		}
		cfg.ShutdownTimeout = d
	}
	if v := get("JOBS_RESCUE_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("JOBS_RESCUE_AFTER must be a positive duration such as 5m, got %q", v))
		}
		cfg.JobRescueAfter = d
	}
	if cfg.PayURL != "" && !validPayURL(cfg.PayURL) {
		errs = append(errs, fmt.Errorf("PAY_URL must be an http(s) URL containing {invoice}, got %q", cfg.PayURL))
	}
	cfg.AccessTokenTTL = 15 * time.Minute
	cfg.RefreshTokenTTL = 7 * 24 * time.Hour
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{{"ACCESS_TOKEN_TTL", &cfg.AccessTokenTTL}, {"REFRESH_TOKEN_TTL", &cfg.RefreshTokenTTL}} {
		if v := get(d.env); v != "" {
			ttl, err := time.ParseDuration(v)
			if err != nil || ttl <= 0 {
				errs = append(errs, fmt.Errorf("%s must be a positive duration such as 15m, got %q", d.env, v))
				continue
			}
			*d.dst = ttl
		}
	}
	cfg.RefreshReuseInterval = 10 * time.Second
	if v := get("REFRESH_REUSE_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("REFRESH_REUSE_INTERVAL must be a duration such as 10s, or 0 to turn it off, got %q", v))
		}
		cfg.RefreshReuseInterval = d
	}
	cfg.ResponseCacheMB = 64
	if v := get("RESPONSE_CACHE_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("RESPONSE_CACHE_MB must be a whole number of megabytes, 0 to turn the cache off, got %q", v))
		}
		cfg.ResponseCacheMB = n
	}
	cfg.ExportMaxRows = DefaultExportMaxRows
	if v := get("EXPORT_MAX_ROWS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("EXPORT_MAX_ROWS must be a positive whole number of rows, got %q", v))
		}
		cfg.ExportMaxRows = n
	}
	cfg.UploadMaxMB = DefaultUploadMaxMB
	if v := get("UPLOAD_MAX_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > 1<<20 {
			errs = append(errs, fmt.Errorf("UPLOAD_MAX_MB must be a positive whole number of MiB, got %q", v))
		}
		cfg.UploadMaxMB = n
	}
	cfg.PurgeDeletedAfterDays = DefaultPurgeDeletedAfterDays
	if v := get("PURGE_DELETED_AFTER_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 36500 {
			errs = append(errs, fmt.Errorf("PURGE_DELETED_AFTER_DAYS must be a whole number of days (0 keeps deleted rows), got %q", v))
		}
		cfg.PurgeDeletedAfterDays = n
	}
	if v := get("AUDIT_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 36500 {
			errs = append(errs, fmt.Errorf("AUDIT_RETENTION_DAYS must be a whole number of days (0 keeps the audit log), got %q", v))
		}
		cfg.AuditRetentionDays = n
	}
	cfg.RateBurst = orDefault(get("RATE_BURST"), "100/min")
	cfg.RateSustained = orDefault(get("RATE_SUSTAINED"), "1000/hour")
	cfg.RateAnon = orDefault(get("RATE_ANON"), "20/hour")
	cfg.RatePayment = orDefault(get("RATE_PAYMENT"), "10/min")
	cfg.RateUpload = orDefault(get("RATE_UPLOAD"), "30/hour")
	cfg.RateLoginFailures = orDefault(get("RATE_LOGIN_FAILURES"), "10/15m")
	cfg.RateWebhook = orDefault(get("RATE_WEBHOOK"), "600/min")
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8000"
		if cfg.Production() {
			cfg.Addr = ":8000"
		}
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = "sqlite:" + filepath.ToSlash(filepath.Join(cfg.DataDir, "consultantpro.db"))
	}
	if cfg.LogDir == "" {
		cfg.LogDir = "logs"
	}
	if len(cfg.AllowedHosts) == 0 && !cfg.Production() {
		cfg.AllowedHosts = append([]string(nil), localHosts...)
	}
	errs = append(errs, mailSettings(&cfg, get)...)
	for _, o := range cfg.CORSAllowedOrigins {
		if o == "*" || strings.EqualFold(o, "null") {
			errs = append(errs, fmt.Errorf("CORS_ALLOWED_ORIGINS may not contain %q: list each origin", o))
		}
	}
	for _, p := range splitList(get("TRUSTED_PROXIES")) {
		prefix, err := parsePrefix(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or CIDR range", p))
			continue
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	return cfg, errors.Join(errs...)
}

// parsePrefix accepts "10.0.0.0/8" or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// validPayURL accepts an absolute http(s) URL naming the invoice: a link that would open the
// same page for every invoice is a mistake worth refusing at start.
func validPayURL(v string) bool {
	u, err := url.Parse(strings.ReplaceAll(v, "{invoice}", "x"))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		strings.Contains(v, "{invoice}")
}
