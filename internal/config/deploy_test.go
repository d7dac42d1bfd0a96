package config

import (
	"strings"
	"testing"
)

// TestDeployWarnings: /metrics served on the API address without a token is reported (by
// check --deploy, not as a reason to refuse start-up: DeployFindings stays empty).
func TestDeployWarnings(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("k7Qp2", 11)
	tests := []struct {
		name         string
		addr, token  string
		wantFragment string // "" for no warning
	}{
		{"metrics on the API address", "", "", "METRICS_ADDR is not set: /metrics is public on the API address"},
		{"metrics on their own address", "10.0.0.5:9100", "", ""},
		{"metrics behind a token", "", "k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Env: ModeProduction, SecretKey: good, AllowedHosts: []string{"api.firm.example"},
				MetricsAddr: tt.addr, MetricsToken: tt.token,
				SMTPURL: "smtp://smtp.firm.example", MailFrom: "billing@firm.example", PublicURL: "https://api.firm.example"}
			if f := DeployFindings(cfg); len(f) != 0 {
				t.Errorf("DeployFindings = %q, want none (metrics never refuse start-up)", f)
			}
			got := DeployWarnings(cfg)
			if tt.wantFragment == "" {
				if len(got) != 0 {
					t.Errorf("DeployWarnings = %q, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], tt.wantFragment) {
				t.Errorf("DeployWarnings = %q, want one containing %q", got, tt.wantFragment)
			}
		})
	}
}

func TestMetricsTokenSetting(t *testing.T) {
	t.Parallel()
	env := map[string]string{"METRICS_TOKEN": " k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2 "}
	cfg, _, err := Load("serve", nil, func(k string) string { return env[k] }, new(strings.Builder))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MetricsToken != "k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2" {
		t.Errorf("MetricsToken = %q", cfg.MetricsToken)
	}
}
