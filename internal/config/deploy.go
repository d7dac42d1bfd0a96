package config

import (
	"slices"
	"strings"
)

// MinSecretKeyLength is the shortest SECRET_KEY production accepts.
const MinSecretKeyLength = 50

// placeholderMarkers are fragments of the sample keys people paste from documentation.
var placeholderMarkers = []string{
	"change-me", "changeme", "change_me", "replace-me", "replaceme", "your-secret", "your_secret",
	"secret-key", "secret_key", "django-insecure", "insecure", "placeholder", "example", "xxxxx",
}

// DeployFindings lists everything that makes cfg unfit for production, one sentence each. An
// empty list means the deployment checks pass. It judges cfg as a production deployment whatever
// its mode, so `check --deploy` can be run before switching ENV.
func DeployFindings(cfg Config) []string {
	var out []string
	if !cfg.Production() {
		out = append(out, "ENV is not production: set ENV=production for a deployment")
	}
	out = append(out, secretKeyFindings(cfg.SecretKey)...)
	if len(cfg.AllowedHosts) == 0 || !cfg.Production() && slices.Equal(cfg.AllowedHosts, localHosts) {
		out = append(out, "ALLOWED_HOSTS is not set: list the host names this server answers to")
	}
	for _, h := range cfg.AllowedHosts {
		if h == "*" || strings.HasPrefix(h, "*") {
			out = append(out, "ALLOWED_HOSTS contains a wildcard: list the host names this server answers to")
			break
		}
	}
	if cfg.StripeSecretKey != "" && cfg.StripeWebhookSecret == "" {
		out = append(out, "STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: webhooks could not be verified")
	}
	return out
}

// DeployWarnings lists what `check --deploy` reports besides DeployFindings but production
// start-up does not refuse, since an operator may have covered it outside the server: today,
// /metrics served to anyone who reaches the API address (a proxy may keep it private, but
// nothing in the server does).
func DeployWarnings(cfg Config) []string {
	var out []string
	if cfg.MetricsAddr == "" && cfg.MetricsToken == "" {
		out = append(out, "METRICS_ADDR is not set: /metrics is public on the API address; "+
			"serve it on a private address with METRICS_ADDR or require a token with METRICS_TOKEN")
	}
	return append(out, mailWarnings(cfg)...)
}

// secretKeyFindings judges SECRET_KEY for production.
func secretKeyFindings(key string) []string {
	switch {
	case key == "":
		return []string{"SECRET_KEY is not set: production needs a random key of at least 50 characters from the environment"}
	case len(key) < MinSecretKeyLength:
		return []string{"SECRET_KEY is shorter than 50 characters"}
	case isPlaceholder(key):
		return []string{"SECRET_KEY looks like a placeholder: generate a random key"}
	case distinctBytes(key) < 5:
		return []string{"SECRET_KEY has fewer than 5 distinct characters: generate a random key"}
	}
	return nil
}

func isPlaceholder(key string) bool {
	k := strings.ToLower(key)
	for _, m := range placeholderMarkers {
		if strings.Contains(k, m) {
			return true
		}
	}
	return false
}

func distinctBytes(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}
