package logging

import (
	"bytes"
	"testing"
)

func TestLogInjectionStaysOnOneLine(t *testing.T) {
	t.Parallel()
	const forged = "alice\n{\"level\":\"ERROR\",\"msg\":\"forged\"}\r\n"
	tests := []struct {
		name     string
		security bool
		msg      string
		username string
	}{
		{"newline in attribute, app", false, "login", forged},
		{"newline in attribute, security", true, "login failed", forged},
		{"newline in message, app", false, "hello\n" + forged, "bob"},
		{"newline in message, security", true, "hello\n" + forged, "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, dir, console := newTestLogs(t, false)
			if tt.security {
				l.Security.Warn(tt.msg, "username", tt.username)
			} else {
				l.App.Warn(tt.msg, "username", tt.username)
			}
			file := appFile
			if tt.security {
				file = securityFile
			}
			for name, raw := range map[string][]byte{"console": console.Bytes(), file: readRaw(t, dir, file)} {
				if n := bytes.Count(raw, []byte("\n")); n != 1 {
					t.Fatalf("%s: %d lines, want 1: %q", name, n, raw)
				}
				if bytes.ContainsRune(raw[:len(raw)-1], '\r') {
					t.Errorf("%s: raw carriage return in %q", name, raw)
				}
				recs := decodeLines(t, raw)
				if len(recs) != 1 {
					t.Fatalf("%s: %d records, want 1", name, len(recs))
				}
				r := recs[0]
				if r["level"] != "WARN" || r["msg"] != tt.msg || r["username"] != tt.username {
					t.Errorf("%s: record = %v, want level WARN and the original msg and username", name, r)
				}
			}
		})
	}
}
