package logging

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestAppLevelRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		level                    slog.Level
		debug                    bool
		console, appLog, errsLog bool
	}{
		{"debug is dropped without debug mode", slog.LevelDebug, false, false, false, false},
		{"debug reaches console in debug mode", slog.LevelDebug, true, true, false, false},
		{"info reaches console only", slog.LevelInfo, false, true, false, false},
		{"warn reaches console and app.log", slog.LevelWarn, false, true, true, false},
		{"error reaches console, app.log and errors.log", slog.LevelError, false, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, dir, console := newTestLogs(t, tt.debug)
			l.App.Log(context.Background(), tt.level, "routed", "n", 7)

			sinks := []struct {
				name string
				recs []record
				want bool
			}{
				{"console", decodeLines(t, console.Bytes()), tt.console},
				{appFile, readLog(t, dir, appFile), tt.appLog},
				{errorsFile, readLog(t, dir, errorsFile), tt.errsLog},
				{securityFile, readLog(t, dir, securityFile), false},
			}
			for _, s := range sinks {
				r := findMsg(s.recs, "routed")
				if got := r != nil; got != s.want {
					t.Errorf("%s: record present = %v, want %v (records: %v)", s.name, got, s.want, s.recs)
					continue
				}
				if r == nil {
					continue
				}
				if r["level"] != tt.level.String() || r["n"] != float64(7) {
					t.Errorf("%s: record = %v, want level %s and n 7", s.name, r, tt.level)
				}
				if _, ok := r["log"]; ok {
					t.Errorf("%s: application record carries a log attribute: %v", s.name, r)
				}
			}
		})
	}
}

func TestSecurityLogger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		level   slog.Level
		debug   bool
		console bool
	}{
		{"debug is dropped", slog.LevelDebug, false, false},
		{"info", slog.LevelInfo, false, true},
		{"warn", slog.LevelWarn, false, true},
		{"error stays out of errors.log", slog.LevelError, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, dir, console := newTestLogs(t, tt.debug)
			l.Security.Log(context.Background(), tt.level, "login failed", "user", "alice")

			wantInFile := tt.level >= slog.LevelInfo
			sec := findMsg(readLog(t, dir, securityFile), "login failed")
			if got := sec != nil; got != wantInFile {
				t.Fatalf("security.log: record present = %v, want %v", got, wantInFile)
			}
			if sec != nil && (sec["log"] != "security" || sec["user"] != "alice" || sec["level"] != tt.level.String()) {
				t.Errorf("security.log record = %v, want log=security user=alice level=%s", sec, tt.level)
			}
			con := findMsg(decodeLines(t, console.Bytes()), "login failed")
			if got := con != nil; got != tt.console {
				t.Fatalf("console: record present = %v, want %v", got, tt.console)
			}
			if con != nil && con["log"] != "security" {
				t.Errorf("console record = %v, want log=security", con)
			}
			for _, name := range []string{appFile, errorsFile} {
				if recs := readLog(t, dir, name); len(recs) != 0 {
					t.Errorf("%s holds security records: %v", name, recs)
				}
			}
		})
	}
}

func TestNewDirectory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(t *testing.T) string
		created bool // New creates the directory, so it must set its mode
	}{
		{"creates missing nested directory", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "var", "log", "consultantpro")
		}, true},
		{"uses existing directory", func(t *testing.T) string {
			return t.TempDir()
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tt.setup(t)
			l, err := New(Options{Dir: dir})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer l.Close()

			info, err := os.Stat(dir)
			if err != nil {
				t.Fatalf("stat dir: %v", err)
			}
			if !info.IsDir() {
				t.Fatalf("%s is not a directory", dir)
			}
			if perm := info.Mode().Perm(); tt.created && perm&^0o750 != 0 {
				t.Errorf("dir mode = %o, want no bits outside 0750", perm)
			}
			for _, name := range []string{appFile, errorsFile, securityFile} {
				fi, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("%s not created: %v", name, err)
				}
				if perm := fi.Mode().Perm(); perm != 0o600 && perm != 0o640 {
					t.Errorf("%s mode = %o, want 0600 or 0640", name, perm)
				}
			}
		})
	}
}

func TestNewFailsOnBadDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{Dir: file})
	if err == nil {
		l.Close()
		t.Fatal("New with a regular file as Dir succeeded, want error")
	}
}

func TestNewWithoutDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		console     bool
		wantEnabled bool
	}{
		{"console only", true, true},
		{"no output at all", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{}
			console := &safeBuffer{}
			if tt.console {
				opts.Console = console
			}
			l, err := New(opts)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer l.Close()
			if len(l.closers) != 0 {
				t.Errorf("New without Dir opened %d files", len(l.closers))
			}
			ctx := context.Background()
			for _, lg := range []*slog.Logger{l.App, l.Security} {
				if got := lg.Enabled(ctx, slog.LevelError); got != tt.wantEnabled {
					t.Errorf("Enabled(ERROR) = %v, want %v", got, tt.wantEnabled)
				}
			}
			l.App.Error("app line")
			l.Security.Info("security line")
			recs := decodeLines(t, console.Bytes())
			if want := map[bool]int{true: 2, false: 0}[tt.console]; len(recs) != want {
				t.Errorf("console has %d records, want %d: %v", len(recs), want, recs)
			}
		})
	}
}

func TestClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	l.App.Error("before close")
	l.Security.Info("before close")
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, c := range l.closers {
		f := c.(*rotatingFile)
		if _, err := f.Write([]byte("x\n")); !errors.Is(err, os.ErrClosed) {
			t.Errorf("write after Close: err = %v, want os.ErrClosed", err)
		}
	}
	l.App.Error("after close")
	l.Security.Info("after close")
	for _, name := range []string{appFile, errorsFile, securityFile} {
		recs := readLog(t, dir, name)
		if len(recs) != 1 || recs[0]["msg"] != "before close" {
			t.Errorf("%s = %v, want only the record logged before Close", name, recs)
		}
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	var nilLogs *Logs
	if err := nilLogs.Close(); err != nil {
		t.Errorf("Close on nil Logs: %v", err)
	}
}

// probe is a slog.LogValuer that records whether a handler resolved it.
type probe struct{ resolved *bool }

func (p probe) LogValue() slog.Value {
	*p.resolved = true
	return slog.StringValue("probe")
}

func TestDiscard(t *testing.T) {
	t.Parallel()
	l := Discard()
	ctx := context.Background()
	tests := []struct {
		name   string
		logger *slog.Logger
	}{
		{"app", l.App},
		{"security", l.Security},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
				if tt.logger.Enabled(ctx, level) {
					t.Errorf("Enabled(%s) = true, want false", level)
				}
				resolved := false
				tt.logger.With("a", 1).WithGroup("g").Log(ctx, level, "dropped", "p", probe{&resolved})
				if resolved {
					t.Errorf("a %s record reached a handler", level)
				}
			}
		})
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
