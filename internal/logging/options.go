package logging

import (
	"io"
	"log/slog"
)

// Options configures the loggers built by New.
type Options struct {
	// Dir is the directory for the log files; "" means no files (tests).
	Dir string
	// Console is where console lines go (os.Stderr in the server); nil means no console output.
	Console io.Writer
	// Debug puts the console at DEBUG instead of INFO.
	Debug bool
}

// consoleLevel is the minimum level of the console sinks.
func (o Options) consoleLevel() slog.Level {
	if o.Debug {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}
