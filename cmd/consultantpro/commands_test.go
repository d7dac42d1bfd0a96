package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var migrateOutput = regexp.MustCompile(`^database schema is at version (\d+) \((sqlite|postgres)\)\n$`)

func TestMigrate(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["DATA_DIR"] = filepath.Join(env["DATA_DIR"], "fresh") // does not exist yet
	var first string
	for i := range 2 { // the second run has nothing to apply and reports the same version
		stdout, _, err := runCommand(t, env, "migrate")
		if err != nil {
			t.Fatalf("migrate run %d returned %v", i+1, err)
		}
		m := migrateOutput.FindStringSubmatch(stdout)
		if m == nil || m[2] != "sqlite" {
			t.Fatalf("migrate run %d printed %q, want \"database schema is at version N (sqlite)\"", i+1, stdout)
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 {
			t.Fatalf("migrate run %d reports schema version %d, want >= 1", i+1, n)
		}
		if i == 0 {
			first = stdout
		} else if stdout != first {
			t.Errorf("second migrate printed %q, the first %q", stdout, first)
		}
	}
	if _, err := os.Stat(filepath.Join(env["DATA_DIR"], "consultantpro.db")); err != nil {
		t.Errorf("migrate did not create the default database in DATA_DIR: %v", err)
	}
}

func TestMigrateRefusesAnUnknownDatabase(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["DATABASE_URL"] = "mysql://db/consultantpro"
	stdout, _, err := runCommand(t, env, "migrate")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("migrate = %v, want an error about DATABASE_URL", err)
	}
	if stdout != "" {
		t.Errorf("failed migrate printed %q", stdout)
	}
}

// goodSecretKey is a 60-character key with nothing of a placeholder about it.
const goodSecretKey = "q8Vt3LmZp0Rw7YcK2nHs5JdF9bGx4UaE1oNi6TkW0rQe8SzC3vMy7PlB5hDj"

func TestCheckDeploy(t *testing.T) {
	t.Parallel()
	production := func(extra map[string]string) map[string]string {
		env := map[string]string{"ENV": "production", "SECRET_KEY": goodSecretKey, "ALLOWED_HOSTS": "api.example.com",
			"METRICS_ADDR": "10.0.0.5:9100", "SMTP_URL": "smtp://mailer:pw@smtp.example.com:587",
			"MAIL_FROM": "billing@example.com", "PUBLIC_URL": "https://api.example.com"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string // the findings, in order, by a fragment of each; none means success
	}{
		{"production-ready configuration", production(nil), nil},
		{"nothing set", nil, []string{"ENV is not production", "SECRET_KEY is not set", "ALLOWED_HOSTS is not set", "METRICS_ADDR is not set",
			"SMTP_URL is not set: emails"}},
		{"email not configured", production(map[string]string{"SMTP_URL": "", "MAIL_FROM": "", "PUBLIC_URL": ""}),
			[]string{"SMTP_URL is not set: emails", "PUBLIC_URL is not set"}},
		{"email from the default address", production(map[string]string{"MAIL_FROM": ""}),
			[]string{"MAIL_FROM is not set"}},
		{"metrics public on the API address", production(map[string]string{"METRICS_ADDR": ""}),
			[]string{"METRICS_ADDR is not set: /metrics is public on the API address"}},
		{"metrics on the API address behind a token",
			production(map[string]string{"METRICS_ADDR": "", "METRICS_TOKEN": "k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2"}), nil},
		{"wildcard host and Stripe without its webhook secret",
			production(map[string]string{"ALLOWED_HOSTS": "*", "STRIPE_SECRET_KEY": "sk_test_123"}),
			[]string{"ALLOWED_HOSTS contains a wildcard", "STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET"}},
		{"Stripe with its webhook secret",
			production(map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": "whsec_123"}), nil},
		{"short key", production(map[string]string{"SECRET_KEY": "short"}), []string{"SECRET_KEY is shorter than 50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, _, err := runCommand(t, tt.env, "check", "--deploy")
			if len(tt.want) == 0 {
				if err != nil || stdout != "no deployment problems found\n" {
					t.Fatalf("check --deploy = %v, printed %q; want nil and \"no deployment problems found\"", err, stdout)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), strconv.Itoa(len(tt.want))+" problem") {
				t.Errorf("check --deploy = %v, want an error counting %d problem(s)", err, len(tt.want))
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("check --deploy printed %d lines, want %d findings:\n%s", len(lines), len(tt.want), stdout)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], "- ") || !strings.Contains(lines[i], w) {
					t.Errorf("finding %d = %q, want \"- \" and %q", i+1, lines[i], w)
				}
			}
			// Findings never print the secret values themselves.
			for _, secret := range []string{goodSecretKey, "sk_test_123", "k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2", "mailer:pw"} {
				if strings.Contains(stdout, secret) {
					t.Errorf("check --deploy printed a secret value:\n%s", stdout)
				}
			}
		})
	}
}

func TestCheckWithoutDeploy(t *testing.T) {
	t.Parallel()
	stdout, _, err := runCommand(t, nil, "check")
	if err != nil || !strings.HasPrefix(stdout, "configuration is valid") {
		t.Fatalf("check = %v, printed %q; want nil and \"configuration is valid\"", err, stdout)
	}
	_, _, err = runCommand(t, map[string]string{"CORS_ALLOWED_ORIGINS": "*"}, "check")
	if err == nil || !strings.Contains(err.Error(), "CORS_ALLOWED_ORIGINS") {
		t.Fatalf("check with CORS_ALLOWED_ORIGINS=* = %v, want an error naming it", err)
	}
}

func TestFinanceSweepOverdue(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	stdout, _, err := runCommand(t, env, "finance", "sweep-overdue")
	if err != nil {
		t.Fatalf("finance sweep-overdue returned %v", err)
	}
	if stdout != "moved to overdue: 0 invoices, 0 bills\n" {
		t.Errorf("finance sweep-overdue printed %q", stdout)
	}
	if _, _, err := runCommand(t, env, "finance", "nonsense"); err == nil {
		t.Error("an unknown finance command succeeded")
	}
}
