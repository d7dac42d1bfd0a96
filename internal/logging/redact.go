package logging

import (
	"log/slog"
	"strings"
)

// redacted replaces the value of every attribute that may hold a secret.
const redacted = "[REDACTED]"

// redactSecrets is the slog ReplaceAttr function of every handler of this package. It replaces
// the value of an attribute with "[REDACTED]" when its key, or the name of any group that
// encloses it, looks like a secret. slog calls it for every non-group attribute, including
// those inside groups, so nested secrets are covered too.
func redactSecrets(groups []string, a slog.Attr) slog.Attr {
	if isSecretKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	for _, g := range groups {
		if isSecretKey(g) {
			return slog.String(a.Key, redacted)
		}
	}
	return a
}

// isSecretKey reports whether key contains, ignoring case, a word that marks a secret.
func isSecretKey(key string) bool {
	k := strings.ToLower(key)
	for _, word := range [...]string{
		"password", "passwd", "secret", "token", "authorization", "cookie",
		"api_key", "apikey", "card_number", "cvc", "cvv",
	} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}
