package logging

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// record is one decoded JSON log line.
type record = map[string]any

// safeBuffer is a bytes.Buffer safe for concurrent use, to stand in for the console.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// decodeLines splits data into lines and decodes each as one JSON object, failing the test
// on anything that is not a complete JSON line.
func decodeLines(t *testing.T, data []byte) []record {
	t.Helper()
	if len(data) == 0 {
		return nil
	}
	if data[len(data)-1] != '\n' {
		t.Fatalf("log output does not end with a newline: %q", data)
	}
	var recs []record
	for line := range bytes.Lines(data) {
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", line, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// readLog decodes the log file name in dir; a missing file fails the test.
func readLog(t *testing.T, dir, name string) []record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return decodeLines(t, data)
}

// findMsg returns the record whose "msg" is msg, or nil.
func findMsg(recs []record, msg string) record {
	for _, r := range recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// newTestLogs builds Logs writing to a fresh temporary directory and a console buffer, and
// closes them when the test ends.
func newTestLogs(t *testing.T, debug bool) (*Logs, string, *safeBuffer) {
	t.Helper()
	dir := t.TempDir()
	console := &safeBuffer{}
	l, err := New(Options{Dir: dir, Console: console, Debug: debug})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l, dir, console
}

// readRaw returns the bytes of the log file name in dir.
func readRaw(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return data
}
