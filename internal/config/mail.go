package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// DefaultMailFrom is the sender address when MAIL_FROM is not set.
const DefaultMailFrom = "no-reply@localhost"

// mailSettings reads and checks SMTP_URL, MAIL_FROM and PUBLIC_URL, after the listen address
// is known (local mode's PUBLIC_URL defaults to it).
func mailSettings(cfg *Config, get func(string) string) []error {
	var errs []error
	if cfg.SMTPURL != "" {
		u, err := url.Parse(cfg.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, fmt.Errorf("SMTP_URL must look like smtp://user:pass@host:port or smtps://user:pass@host:port"))
		}
	}
	cfg.MailFrom = orDefault(get("MAIL_FROM"), DefaultMailFrom)
	if a, err := mail.ParseAddress(cfg.MailFrom); err != nil || a.Name != "" {
		errs = append(errs, fmt.Errorf("MAIL_FROM must be an email address such as billing@example.com, got %q", cfg.MailFrom))
	}
	cfg.PublicURL = strings.TrimRight(get("PUBLIC_URL"), "/")
	if cfg.PublicURL == "" && !cfg.Production() {
		host := cfg.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		cfg.PublicURL = "http://" + host
	}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("PUBLIC_URL must be the server's address as clients reach it, such as https://api.example.com, got %q", cfg.PublicURL))
		}
	}
	return errs
}

// mailWarnings are the email settings `check --deploy` reports.
func mailWarnings(cfg Config) []string {
	var out []string
	if cfg.SMTPURL == "" {
		out = append(out, "SMTP_URL is not set: emails (invoices, receipts, reminders, invitations, password resets) are written to the log instead of sent")
	} else if cfg.MailFrom == DefaultMailFrom {
		out = append(out, "MAIL_FROM is not set: emails are sent from "+DefaultMailFrom)
	}
	if cfg.PublicURL == "" {
		out = append(out, "PUBLIC_URL is not set: links in emails cannot point at the server")
	}
	return out
}
