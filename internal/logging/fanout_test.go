package logging

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// testSink is a JSON handler at a given level writing to its own buffer.
type testSink struct {
	name string
	buf  *safeBuffer
}

func newTestSinks(t *testing.T, levels map[string]slog.Level) ([]testSink, []slog.Handler) {
	t.Helper()
	var sinks []testSink
	var handlers []slog.Handler
	for name, level := range levels {
		buf := &safeBuffer{}
		sinks = append(sinks, testSink{name, buf})
		handlers = append(handlers, jsonHandler(buf, level))
	}
	return sinks, handlers
}

func TestFanoutWithAttrsAndGroup(t *testing.T) {
	t.Parallel()
	sinks, handlers := newTestSinks(t, map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo})
	logger := slog.New(newFanout(handlers...))

	logger.With("a", 1).WithGroup("g").Info("grouped", "b", 2)

	for _, s := range sinks {
		t.Run(s.name, func(t *testing.T) {
			recs := decodeLines(t, s.buf.Bytes())
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1: %v", len(recs), recs)
			}
			checkGrouped(t, recs[0])
		})
	}
}

// checkGrouped asserts r came from logger.With("a", 1).WithGroup("g").X("grouped", "b", 2).
func checkGrouped(t *testing.T, r record) {
	t.Helper()
	if r["msg"] != "grouped" {
		t.Errorf("msg = %v, want grouped", r["msg"])
	}
	if r["a"] != float64(1) {
		t.Errorf("a = %v, want 1 at top level (record %v)", r["a"], r)
	}
	g, ok := r["g"].(map[string]any)
	if !ok {
		t.Fatalf("group g missing or not an object: %v", r)
	}
	if g["b"] != float64(2) {
		t.Errorf("g.b = %v, want 2 (record %v)", g["b"], r)
	}
	if _, ok := r["b"]; ok {
		t.Errorf("b escaped its group: %v", r)
	}
}

func TestLogsWithAttrsAndGroupReachEverySink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		security bool
		files    []string
	}{
		{"app", false, []string{appFile, errorsFile}},
		{"security", true, []string{securityFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, dir, console := newTestLogs(t, false)
			logger := l.App
			if tt.security {
				logger = l.Security
			}
			logger.With("a", 1).WithGroup("g").Error("grouped", "b", 2)

			outputs := map[string][]record{"console": decodeLines(t, console.Bytes())}
			for _, f := range tt.files {
				outputs[f] = readLog(t, dir, f)
			}
			for name, recs := range outputs {
				t.Run(name, func(t *testing.T) {
					if len(recs) != 1 {
						t.Fatalf("got %d records, want 1: %v", len(recs), recs)
					}
					checkGrouped(t, recs[0])
					if tt.security && recs[0]["log"] != "security" {
						t.Errorf("log = %v, want security at top level", recs[0]["log"])
					}
				})
			}
		})
	}
}

func TestFanoutPerSinkLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		level slog.Level
		want  map[string]bool
	}{
		{"debug", slog.LevelDebug, map[string]bool{"info": false, "warn": false, "error": false}},
		{"info", slog.LevelInfo, map[string]bool{"info": true, "warn": false, "error": false}},
		{"warn", slog.LevelWarn, map[string]bool{"info": true, "warn": true, "error": false}},
		{"error", slog.LevelError, map[string]bool{"info": true, "warn": true, "error": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sinks, handlers := newTestSinks(t, map[string]slog.Level{
				"info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
			})
			h := newFanout(handlers...)
			ctx := context.Background()
			if got, want := h.Enabled(ctx, tt.level), tt.level >= slog.LevelInfo; got != want {
				t.Errorf("Enabled(%s) = %v, want %v", tt.level, got, want)
			}
			slog.New(h).Log(ctx, tt.level, "leveled")
			for _, s := range sinks {
				recs := decodeLines(t, s.buf.Bytes())
				if got := findMsg(recs, "leveled") != nil; got != tt.want[s.name] {
					t.Errorf("sink %s: record present = %v, want %v", s.name, got, tt.want[s.name])
				}
			}
		})
	}
}

func TestFanoutNoSinks(t *testing.T) {
	t.Parallel()
	h := newFanout()
	if h.Enabled(context.Background(), slog.LevelError) {
		t.Error("fanout without sinks is enabled")
	}
	if err := h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelError, "x", 0)); err != nil {
		t.Errorf("Handle: %v", err)
	}
}

func TestFanoutEmptyAttrsAndGroupKeepHandler(t *testing.T) {
	t.Parallel()
	_, handlers := newTestSinks(t, map[string]slog.Level{"info": slog.LevelInfo})
	h := newFanout(handlers...)
	tests := []struct {
		name string
		got  slog.Handler
	}{
		{"no attrs", h.WithAttrs(nil)},
		{"empty group", h.WithGroup("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != slog.Handler(h) {
				t.Errorf("got a new handler, want the same one")
			}
		})
	}
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestFanoutHandleReportsErrorsAndContinues(t *testing.T) {
	t.Parallel()
	errWrite := errors.New("disk full")
	good := &safeBuffer{}
	h := newFanout(
		jsonHandler(failingWriter{errWrite}, slog.LevelInfo),
		jsonHandler(good, slog.LevelInfo),
	)
	err := h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "kept", 0))
	if !errors.Is(err, errWrite) {
		t.Errorf("Handle error = %v, want %v", err, errWrite)
	}
	if findMsg(decodeLines(t, good.Bytes()), "kept") == nil {
		t.Error("a failing sink stopped the record reaching the next sink")
	}
}
