package config

// setting ties an environment variable to its flag and its help text.
type setting struct {
	env, flag, usage string
}

// settings lists every configuration knob; the README's configuration table mirrors it.
var settings = []setting{
	{"ENV", "env", "mode: local (default) or production"},
	{"DEBUG", "debug", "more detail in logs (never in responses)"},
	{"ADDR", "addr", "listen address (local 127.0.0.1:8000, production :8000)"},
	{"METRICS_ADDR", "metrics-addr", "serve /metrics on this address instead of ADDR"},
	{"METRICS_TOKEN", "metrics-token", "bearer token /metrics requires (for a scraper that must reach it on ADDR)"},
	{"DATA_DIR", "data-dir", "data directory (default data)"},
	{"DATABASE_URL", "database-url", "sqlite:path.db or postgres://... (default sqlite:data/consultantpro.db)"},
	{"REDIS_URL", "redis-url", "Redis for shared rate limits and data version, e.g. redis://127.0.0.1:6379/0"},
	{"REDIS_PREFIX", "redis-prefix", "start of every Redis key, to share one Redis database between deployments (default consultantpro:)"},
	{"RESPONSE_CACHE_MB", "response-cache-mb", "memory for cached list responses (default 64; 0 turns it off; PostgreSQL needs REDIS_URL)"},
	{"EXPORT_MAX_ROWS", "export-max-rows", "most rows of one CSV or XLSX export of a list (default 1000000)"},
	{"LOG_DIR", "log-dir", "directory for app.log, errors.log and security.log (default logs)"},
	{"SECRET_KEY", "secret-key", "token signing key; production requires 50+ characters"},
	{"ALLOWED_HOSTS", "allowed-hosts", "comma-separated Host values served; .example.com allows subdomains"},
	{"CORS_ALLOWED_ORIGINS", "cors-allowed-origins", "comma-separated browser origins allowed by CORS"},
	{"TRUSTED_PROXIES", "trusted-proxies", "comma-separated proxy IPs/CIDRs whose X-Forwarded-* headers are honoured"},
	{"STRIPE_SECRET_KEY", "stripe-secret-key", "Stripe API key"},
	{"STRIPE_WEBHOOK_SECRET", "stripe-webhook-secret", "Stripe webhook signing secret (comma-separated while rotating)"},
	{"STRIPE_API_BASE", "stripe-api-base", "Stripe API base URL (tests point it at stripe-mock)"},
	{"PAY_URL", "pay-url", "page where clients pay an invoice online, {invoice} standing for its id; printed on invoices when Stripe is configured"},
	{"STORAGE_URL", "storage-url", "document storage: file:///path or s3://bucket?endpoint=host:port&region=... (default DATA_DIR/files)"},
	{"UPLOAD_MAX_MB", "upload-max-mb", "largest uploaded file in MiB (default 25)"},
	{"SMTP_URL", "smtp-url", "SMTP server for email: smtp://user:pass@host:port (STARTTLS when offered) or smtps://...; unset writes emails to the log"},
	{"MAIL_FROM", "mail-from", "sender address of every email; the firm's name is the display name (default no-reply@localhost)"},
	{"PUBLIC_URL", "public-url", "the server's address as clients reach it, for links in emails (local default http://ADDR)"},
	{"AUDIT_RETENTION_DAYS", "audit-retention-days", "days audit log rows are kept before the hourly cleanup removes them (default 0: kept)"},
	{"PURGE_DELETED_AFTER_DAYS", "purge-deleted-after-days", "days a deleted row waits for a restore before it is removed for good (default 30; 0 keeps them)"},
	{"JOBS_RESCUE_AFTER", "jobs-rescue-after", "how long a job may run before it is taken for dead (its process killed) and run again (default 5m)"},
	{"ACCESS_TOKEN_TTL", "access-token-ttl", "access token lifetime (default 15m)"},
	{"REFRESH_TOKEN_TTL", "refresh-token-ttl", "refresh token and session lifetime (default 168h)"},
	{"REFRESH_REUSE_INTERVAL", "refresh-reuse-interval", "how long a rotated refresh token still gets the same new pair (default 10s; 0 turns it off)"},
	{"RATE_BURST", "rate-burst", "requests per user or IP, short window (default 100/min)"},
	{"RATE_SUSTAINED", "rate-sustained", "requests per user or IP, long window (default 1000/hour)"},
	{"RATE_ANON", "rate-anon", "unauthenticated requests per IP: login, register, refresh (default 20/hour)"},
	{"RATE_PAYMENT", "rate-payment", "payment operations per user (default 10/min)"},
	{"RATE_UPLOAD", "rate-upload", "uploads per user (default 30/hour)"},
	{"RATE_WEBHOOK", "rate-webhook", "Stripe webhook deliveries per IP (default 600/min)"},
	{"RATE_LOGIN_FAILURES", "rate-login-failures", "failed password checks (logins, password changes) per account (default 10/15m)"},
	{"SHUTDOWN_TIMEOUT", "shutdown-timeout", "how long SIGTERM waits for in-flight requests (default 20s)"},
}
