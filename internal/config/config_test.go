package config

import (
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadLocalDefaults(t *testing.T) {
	t.Parallel()
	cfg, rest, err := Load("serve", []string{"extra"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Env != ModeLocal || cfg.Addr != "127.0.0.1:8000" || cfg.DataDir != "data" ||
		cfg.DatabaseURL != "sqlite:data/consultantpro.db" || cfg.LogDir != "logs" || cfg.UploadMaxMB != 25 {
		t.Fatalf("unexpected local defaults: %+v", cfg)
	}
	if !slices.Equal(cfg.AllowedHosts, []string{"localhost", "127.0.0.1", "[::1]"}) {
		t.Fatalf("AllowedHosts = %v", cfg.AllowedHosts)
	}
	if !slices.Equal(rest, []string{"extra"}) {
		t.Fatalf("rest = %v", rest)
	}
}

// Deleted rows wait 30 days for a restore and the audit log is kept, unless configured.
func TestRetentionSettings(t *testing.T) {
	t.Parallel()
	cfg, _, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PurgeDeletedAfterDays != 30 || cfg.AuditRetentionDays != 0 {
		t.Errorf("defaults: purge after %d days, audit kept %d days; want 30 and 0 (kept)", cfg.PurgeDeletedAfterDays,
			cfg.AuditRetentionDays)
	}
	cfg, _, err = Load("serve", nil, env(map[string]string{"PURGE_DELETED_AFTER_DAYS": "0", "AUDIT_RETENTION_DAYS": "400"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PurgeDeletedAfterDays != 0 || cfg.AuditRetentionDays != 400 {
		t.Errorf("set: purge after %d days, audit kept %d days; want 0 and 400", cfg.PurgeDeletedAfterDays, cfg.AuditRetentionDays)
	}
}

func TestRedisPrefix(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, "consultantpro:"},
		{"env", nil, map[string]string{"REDIS_PREFIX": "acme-staging:"}, "acme-staging:"},
		{"flag wins", []string{"--redis-prefix", "acme-prod:"}, map[string]string{"REDIS_PREFIX": "acme-staging:"}, "acme-prod:"},
	} {
		cfg, _, err := Load("serve", c.args, env(c.env), io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if cfg.RedisPrefix != c.want {
			t.Errorf("%s: RedisPrefix = %q, want %q", c.name, cfg.RedisPrefix, c.want)
		}
	}
}

func TestLoadProductionDefaults(t *testing.T) {
	t.Parallel()
	cfg, _, err := Load("serve", nil, env(map[string]string{"ENV": "production"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8000" || len(cfg.AllowedHosts) != 0 || !cfg.Production() {
		t.Fatalf("unexpected production defaults: %+v", cfg)
	}
}

func TestFlagOverridesEnv(t *testing.T) {
	t.Parallel()
	cfg, _, err := Load("serve", []string{"--addr", "127.0.0.1:9999", "-data-dir=/tmp/x"},
		env(map[string]string{"ADDR": "127.0.0.1:1", "DATA_DIR": "/srv"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9999" {
		t.Fatalf("Addr = %q", cfg.Addr)
	}
	if cfg.DatabaseURL != "sqlite:/tmp/x/consultantpro.db" {
		t.Fatalf("DatabaseURL follows DATA_DIR: got %q", cfg.DatabaseURL)
	}
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown mode", map[string]string{"ENV": "staging"}, "ENV must be"},
		{"bad debug", map[string]string{"DEBUG": "maybe"}, "DEBUG must be"},
		{"cors wildcard", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example, *"}, "may not contain \"*\""},
		{"cors null", map[string]string{"CORS_ALLOWED_ORIGINS": "null"}, "may not contain \"null\""},
		{"bad proxy", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,nonsense"}, "\"nonsense\""},
		{"bad shutdown", map[string]string{"SHUTDOWN_TIMEOUT": "-1s"}, "SHUTDOWN_TIMEOUT"},
		{"bad jobs rescue", map[string]string{"JOBS_RESCUE_AFTER": "0s"}, "JOBS_RESCUE_AFTER"},
		{"negative purge days", map[string]string{"PURGE_DELETED_AFTER_DAYS": "-1"}, "PURGE_DELETED_AFTER_DAYS"},
		{"bad purge days", map[string]string{"PURGE_DELETED_AFTER_DAYS": "30d"}, "PURGE_DELETED_AFTER_DAYS"},
		{"negative audit retention", map[string]string{"AUDIT_RETENTION_DAYS": "-5"}, "AUDIT_RETENTION_DAYS"},
		{"bad audit retention", map[string]string{"AUDIT_RETENTION_DAYS": "a year"}, "AUDIT_RETENTION_DAYS"},
		{"bad access ttl", map[string]string{"ACCESS_TOKEN_TTL": "soon"}, "ACCESS_TOKEN_TTL"},
		{"bad refresh ttl", map[string]string{"REFRESH_TOKEN_TTL": "0s"}, "REFRESH_TOKEN_TTL"},
		{"negative refresh reuse interval", map[string]string{"REFRESH_REUSE_INTERVAL": "-1s"}, "REFRESH_REUSE_INTERVAL"},
		{"bad refresh reuse interval", map[string]string{"REFRESH_REUSE_INTERVAL": "ten"}, "REFRESH_REUSE_INTERVAL"},
		{"zero upload limit", map[string]string{"UPLOAD_MAX_MB": "0"}, "UPLOAD_MAX_MB"},
		{"bad upload limit", map[string]string{"UPLOAD_MAX_MB": "25MB"}, "UPLOAD_MAX_MB"},
		{"pay url without invoice", map[string]string{"PAY_URL": "https://pay.example.com/"}, "PAY_URL"},
		{"pay url not http", map[string]string{"PAY_URL": "ftp://pay.example.com/{invoice}"}, "PAY_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Load("serve", nil, env(tt.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestRefreshReuseInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want time.Duration
	}{
		{"default", nil, 10 * time.Second},
		{"set", map[string]string{"REFRESH_REUSE_INTERVAL": "30s"}, 30 * time.Second},
		{"turned off", map[string]string{"REFRESH_REUSE_INTERVAL": "0"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, _, err := Load("serve", nil, env(tt.env), io.Discard)
			if err != nil || cfg.RefreshReuseInterval != tt.want {
				t.Fatalf("RefreshReuseInterval = %v, %v; want %v", cfg.RefreshReuseInterval, err, tt.want)
			}
		})
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	cfg, _, err := Load("serve", nil, env(map[string]string{"TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/16, ::1"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/32"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("::1/128"),
	}
	if !slices.Equal(cfg.TrustedProxies, want) {
		t.Fatalf("TrustedProxies = %v", cfg.TrustedProxies)
	}
}

func TestEnsureSecretKeyGeneratesOnceAndKeepsIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := Config{Env: ModeLocal, DataDir: filepath.Join(dir, "data")}
	generated, err := EnsureSecretKey(&cfg)
	if err != nil || !generated || len(cfg.SecretKey) < MinSecretKeyLength {
		t.Fatalf("generated=%v err=%v key length=%d", generated, err, len(cfg.SecretKey))
	}
	info, err := os.Stat(filepath.Join(cfg.DataDir, SecretKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode = %o, want 600", perm)
	}
	again := Config{Env: ModeLocal, DataDir: cfg.DataDir}
	generated, err = EnsureSecretKey(&again)
	if err != nil || generated || again.SecretKey != cfg.SecretKey {
		t.Fatalf("second start must reuse the kept key: generated=%v err=%v", generated, err)
	}
}

func TestEnsureSecretKeyNeverGeneratesInProduction(t *testing.T) {
	t.Parallel()
	cfg := Config{Env: ModeProduction, DataDir: t.TempDir()}
	generated, err := EnsureSecretKey(&cfg)
	if err != nil || generated || cfg.SecretKey != "" {
		t.Fatalf("production generated a key: %v %v %q", generated, err, cfg.SecretKey)
	}
}

func TestDeployFindings(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("k7Qp2", 11) // 55 characters, 5 distinct
	base := func() Config {
		return Config{Env: ModeProduction, SecretKey: good, AllowedHosts: []string{"api.firm.example"}}
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string
	}{
		{"clean production", func(*Config) {}, nil},
		{"local mode", func(c *Config) { c.Env = ModeLocal }, []string{"ENV is not production"}},
		{"no key", func(c *Config) { c.SecretKey = "" }, []string{"SECRET_KEY is not set"}},
		{"short key", func(c *Config) { c.SecretKey = "abc" }, []string{"shorter than 50"}},
		{"placeholder key", func(c *Config) { c.SecretKey = "django-insecure-" + good }, []string{"placeholder"}},
		{"low variety key", func(c *Config) { c.SecretKey = strings.Repeat("ab", 30) }, []string{"fewer than 5 distinct"}},
		{"no hosts", func(c *Config) { c.AllowedHosts = nil }, []string{"ALLOWED_HOSTS is not set"}},
		{"wildcard host", func(c *Config) { c.AllowedHosts = []string{"*"} }, []string{"wildcard"}},
		{"stripe without webhook secret", func(c *Config) { c.StripeSecretKey = "sk_test_x" }, []string{"STRIPE_WEBHOOK_SECRET"}},
		{"every finding printed", func(c *Config) { c.SecretKey = ""; c.AllowedHosts = []string{"*"} },
			[]string{"SECRET_KEY is not set", "wildcard"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := base()
			tt.mutate(&cfg)
			got := DeployFindings(cfg)
			if len(got) != len(tt.want) {
				t.Fatalf("findings = %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Fatalf("finding %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
