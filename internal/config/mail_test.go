package config

import (
	"strings"
	"testing"
)

func TestMailSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		env                  map[string]string
		wantFrom, wantPubURL string
		wantErr              string
	}{
		{"local defaults", nil, DefaultMailFrom, "http://127.0.0.1:8000", ""},
		{"local on all interfaces", map[string]string{"ADDR": ":9000"}, DefaultMailFrom, "http://localhost:9000", ""},
		{"production has no default link", map[string]string{"ENV": "production"}, DefaultMailFrom, "", ""},
		{"set", map[string]string{"SMTP_URL": "smtps://u:p@smtp.example.com", "MAIL_FROM": "billing@firm.example",
			"PUBLIC_URL": "https://api.firm.example/"}, "billing@firm.example", "https://api.firm.example", ""},
		{"bad scheme", map[string]string{"SMTP_URL": "http://smtp.example.com"}, "", "", "SMTP_URL must look like"},
		{"no host", map[string]string{"SMTP_URL": "smtp://"}, "", "", "SMTP_URL must look like"},
		{"from with a name", map[string]string{"MAIL_FROM": "Acme <billing@firm.example>"}, "", "", "MAIL_FROM must be an email address"},
		{"public url not absolute", map[string]string{"PUBLIC_URL": "api.firm.example"}, "", "", "PUBLIC_URL must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := build(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("build = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || cfg.MailFrom != tt.wantFrom || cfg.PublicURL != tt.wantPubURL {
				t.Fatalf("build = %v; MailFrom %q PublicURL %q, want %q %q", err, cfg.MailFrom, cfg.PublicURL, tt.wantFrom, tt.wantPubURL)
			}
		})
	}
}
