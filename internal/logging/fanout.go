package logging

import (
	"context"
	"errors"
	"log/slog"
)

// fanout is a slog.Handler that passes each record to several handlers. Each handler keeps
// its own minimum level: a record reaches a handler only if that handler is enabled for the
// record's level.
type fanout struct {
	sinks []slog.Handler
}

// newFanout returns a handler that writes to every one of sinks.
func newFanout(sinks ...slog.Handler) *fanout {
	return &fanout{sinks: sinks}
}

// Enabled reports whether at least one sink takes records at level.
func (f *fanout) Enabled(ctx context.Context, level slog.Level) bool {
	for _, h := range f.sinks {
		if h.Enabled(ctx, level) {
			return true
		}
	}
	return false
}

// Handle passes r to every sink enabled at r's level and joins their errors.
func (f *fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f.sinks {
		if !h.Enabled(ctx, r.Level) {
			continue
		}
		if err := h.Handle(ctx, r.Clone()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WithAttrs returns a fanout whose sinks all carry attrs.
func (f *fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return f
	}
	sinks := make([]slog.Handler, len(f.sinks))
	for i, h := range f.sinks {
		sinks[i] = h.WithAttrs(attrs)
	}
	return &fanout{sinks: sinks}
}

// WithGroup returns a fanout whose sinks all open the group name.
func (f *fanout) WithGroup(name string) slog.Handler {
	if name == "" {
		return f
	}
	sinks := make([]slog.Handler, len(f.sinks))
	for i, h := range f.sinks {
		sinks[i] = h.WithGroup(name)
	}
	return &fanout{sinks: sinks}
}
