package logging

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Names of the log files inside Options.Dir.
const (
	appFile      = "app.log"
	errorsFile   = "errors.log"
	securityFile = "security.log"
)

// Logs holds the application logger and the security logger.
type Logs struct {
	// App is the general logger.
	App *slog.Logger
	// Security records security events: login success and failure, token refusal, 403s,
	// throttling, webhook signature failures, role changes.
	Security *slog.Logger

	closers []io.Closer
}

// New builds the loggers described by opts. It creates opts.Dir (mode 0750) if needed and
// opens app.log, errors.log and security.log in it; with an empty Dir no file is written.
// The caller must Close the returned Logs.
func New(opts Options) (*Logs, error) {
	l := &Logs{}
	var appSinks, securitySinks []slog.Handler

	if opts.Console != nil {
		console := &syncWriter{w: opts.Console}
		appSinks = append(appSinks, jsonHandler(console, opts.consoleLevel()))
		securitySinks = append(securitySinks, jsonHandler(console, opts.consoleLevel()))
	}

	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
			return nil, fmt.Errorf("logging: create log directory: %w", err)
		}
		files := []struct {
			name  string
			level slog.Level
			sinks *[]slog.Handler
		}{
			{appFile, slog.LevelWarn, &appSinks},
			{errorsFile, slog.LevelError, &appSinks},
			{securityFile, slog.LevelInfo, &securitySinks},
		}
		for _, f := range files {
			file, err := openRotatingFile(filepath.Join(opts.Dir, f.name))
			if err != nil {
				return nil, errors.Join(fmt.Errorf("logging: open %s: %w", f.name, err), l.Close())
			}
			l.closers = append(l.closers, file)
			*f.sinks = append(*f.sinks, jsonHandler(file, f.level))
		}
	}

	l.App = slog.New(newFanout(appSinks...))
	l.Security = slog.New(newFanout(securitySinks...).WithAttrs([]slog.Attr{slog.String("log", "security")}))
	return l, nil
}

// jsonHandler returns a JSON-lines handler on w that takes records at level and above and
// redacts secrets.
func jsonHandler(w io.Writer, level slog.Level) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactSecrets})
}

// Close closes the log files. Records logged afterwards no longer reach the files. Close may
// be called on a nil *Logs and more than once.
func (l *Logs) Close() error {
	if l == nil {
		return nil
	}
	var errs []error
	for _, c := range l.closers {
		if err := c.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Discard returns Logs whose loggers drop every record, for tests. Its Close does nothing.
func Discard() *Logs {
	return &Logs{
		App:      slog.New(slog.DiscardHandler),
		Security: slog.New(slog.DiscardHandler),
	}
}
