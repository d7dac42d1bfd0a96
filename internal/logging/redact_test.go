package logging

import (
	"bytes"
	"log/slog"
	"testing"
)

func TestIsSecretKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  string
		want bool
	}{
		{"password", true},
		{"Password", true},
		{"new_password", true},
		{"PASSWD", true},
		{"client_secret", true},
		{"token", true},
		{"access_token", true},
		{"refresh_token", true},
		{"Authorization", true},
		{"Set-Cookie", true},
		{"api_key", true},
		{"X-ApiKey", true},
		{"card_number", true},
		{"cvc", true},
		{"CVV", true},
		{"request_id", false},
		{"refresh", false},
		{"username", false},
		{"author", false},
		{"auth", false},
		{"card_last4", false},
		{"passage", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			if got := isSecretKey(tt.key); got != tt.want {
				t.Errorf("isSecretKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestRedaction(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-s3cr3t"
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		// path of keys to the attribute in the decoded record and whether it is redacted.
		path     []string
		redacted bool
	}{
		{"top-level password", func(l *slog.Logger) {
			l.Warn("m", "password", secret)
		}, []string{"password"}, true},
		{"mixed-case key", func(l *slog.Logger) {
			l.Warn("m", "Authorization", "Bearer "+secret)
		}, []string{"Authorization"}, true},
		{"attribute added with With", func(l *slog.Logger) {
			l.With("api_key", secret).Warn("m")
		}, []string{"api_key"}, true},
		{"inside slog.Group", func(l *slog.Logger) {
			l.Warn("m", slog.Group("payment", slog.String("card_number", secret), slog.String("brand", "visa")))
		}, []string{"payment", "card_number"}, true},
		{"sibling in group kept", func(l *slog.Logger) {
			l.Warn("m", slog.Group("payment", slog.String("card_number", secret), slog.String("brand", "visa")))
		}, []string{"payment", "brand"}, false},
		{"inside WithGroup", func(l *slog.Logger) {
			l.WithGroup("auth").Warn("m", "refresh_token", secret)
		}, []string{"auth", "refresh_token"}, true},
		{"nested groups", func(l *slog.Logger) {
			l.WithGroup("req").Warn("m", slog.Group("headers", slog.String("Cookie", secret)))
		}, []string{"req", "headers", "Cookie"}, true},
		{"value of a secret-named group", func(l *slog.Logger) {
			l.Warn("m", slog.Group("client_secret", slog.String("value", secret)))
		}, []string{"client_secret", "value"}, true},
		{"request_id kept", func(l *slog.Logger) {
			l.Warn("m", "request_id", "req-123")
		}, []string{"request_id"}, false},
		{"refresh kept", func(l *slog.Logger) {
			l.Warn("m", "refresh", "yes")
		}, []string{"refresh"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, dir, console := newTestLogs(t, false)
			tt.log(l.App)
			tt.log(l.Security)

			outputs := map[string][]byte{"console": console.Bytes()}
			for _, name := range []string{appFile, securityFile} {
				outputs[name] = readRaw(t, dir, name)
			}
			for name, raw := range outputs {
				recs := decodeLines(t, raw)
				if len(recs) == 0 {
					t.Fatalf("%s: no records", name)
				}
				if tt.redacted && bytes.Contains(raw, []byte(secret)) {
					t.Errorf("%s leaks the secret: %s", name, raw)
				}
				for _, r := range recs {
					got, ok := lookup(r, tt.path)
					if !ok {
						t.Fatalf("%s: %v missing from %v", name, tt.path, r)
					}
					if isRedacted := got == redacted; isRedacted != tt.redacted {
						t.Errorf("%s: %v = %v, redacted = %v, want %v", name, tt.path, got, isRedacted, tt.redacted)
					}
				}
			}
		})
	}
}

// lookup follows path through nested JSON objects.
func lookup(r record, path []string) (any, bool) {
	var cur any = r
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}
