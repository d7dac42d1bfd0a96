package logging

import (
	"io"
	"os"
	"sync"

	"gopkg.in/natefinch/lumberjack.v2"
)

// syncWriter serialises writes to a writer shared by several handlers (the console is shared
// by the application and the security logger), so lines never interleave.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p to the underlying writer under the lock.
func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Rotation settings of every log file.
const (
	maxSizeMB  = 10
	maxBackups = 10
)

// rotatingFile is a log file that rotates at maxSizeMB and keeps maxBackups old files. Once
// closed it refuses writes, so a late log call cannot reopen the file behind Close's back.
type rotatingFile struct {
	mu     sync.Mutex
	closed bool
	lj     *lumberjack.Logger
}

// openRotatingFile opens (creating if needed) the log file at path. It opens the file now
// rather than on the first record so that a bad path fails at start-up.
func openRotatingFile(path string) (*rotatingFile, error) {
	lj := &lumberjack.Logger{Filename: path, MaxSize: maxSizeMB, MaxBackups: maxBackups}
	if _, err := lj.Write(nil); err != nil {
		return nil, err
	}
	return &rotatingFile{lj: lj}, nil
}

// Write appends p to the file, or fails with os.ErrClosed after Close.
func (f *rotatingFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, os.ErrClosed
	}
	return f.lj.Write(p)
}

// Close closes the file; later writes fail. Closing twice is harmless.
func (f *rotatingFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	return f.lj.Close()
}
