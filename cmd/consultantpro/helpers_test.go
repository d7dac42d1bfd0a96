package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeouts of the end-to-end tests: how long a server may take to answer /healthz after run
// starts, and how long run may take to return once its context is cancelled. They are
// deadlines, not waits: a first start migrates a new database, which under the race detector
// on a busy two-core machine took close to 10 s.
const (
	startTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

// syncBuffer is a bytes.Buffer that run's goroutine can write while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envFunc turns a map into the getenv that run takes; unset variables read as "".
func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// freeAddr returns a loopback address with a port that was free a moment ago: run is given a
// concrete ADDR so that the test knows where to reach it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("release the free port: %v", err)
	}
	return addr
}

// localEnv is the smallest environment of a local-mode server: its own data and log
// directories and a free address. Everything else takes the local defaults.
func localEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{
		"DATA_DIR": t.TempDir(),
		"LOG_DIR":  t.TempDir(),
		"ADDR":     freeAddr(t),
	}
}

// instance is one run of the program, serving in the background.
type instance struct {
	t      *testing.T
	addr   string // host:port it serves on
	base   string // "http://" + addr
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
	// errTaken means the test judged run's error itself (see takeStopErr): cleanup does not
	// require it to be nil.
	errTaken bool
}

// start runs the program with args and env in a goroutine, waits until addr answers /healthz
// with 200, and stops it at cleanup, failing the test unless run then returns nil.
func start(t *testing.T, env map[string]string, addr string, args ...string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{
		t: t, addr: addr, base: "http://" + addr,
		stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1),
	}
	go func() {
		in.done <- run(ctx, args, envFunc(env), strings.NewReader(""), io.Discard, in.stderr)
	}()
	t.Cleanup(func() {
		if err := in.stop(); err != nil && !in.errTaken {
			t.Errorf("run returned %v after its context was cancelled, want nil\nstderr:\n%s", err, in.stderr)
		}
	})
	in.waitHealthy()
	l := in.waitLine(`msg "ConsultantPro listening"`, msgIs("ConsultantPro listening"))
	if got := l.str("url"); got != in.base {
		t.Fatalf("listening line has url %q, want %q", got, in.base)
	}
	return in
}

// waitHealthy polls /healthz until it answers 200, run gives up, or the deadline passes.
func (in *instance) waitHealthy() {
	in.t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-in.done:
			in.done <- err // let stop see it too
			in.t.Fatalf("run returned before serving: %v\nstderr:\n%s", err, in.stderr)
		default:
		}
		resp, err := client.Get(in.base + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			in.t.Fatalf("%s/healthz did not answer 200 within %s (last error %v)\nstderr:\n%s",
				in.base, startTimeout, err, in.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop cancels run's context and waits for run to return; it returns run's error. It is safe to
// call more than once.
func (in *instance) stop() error {
	in.once.Do(func() {
		in.cancel()
		select {
		case in.err = <-in.done:
		case <-time.After(stopTimeout):
			in.t.Errorf("run did not return within %s of its context being cancelled", stopTimeout)
		}
	})
	return in.err
}

// takeStopErr stops the instance like stop, and leaves judging run's error to the caller.
func (in *instance) takeStopErr() error {
	err := in.stop()
	in.errTaken = true
	return err
}

// get sends a GET with the given Host header ("" keeps the default) and returns the response
// with its body read.
func (in *instance) get(path, host string) (*http.Response, []byte) {
	in.t.Helper()
	return get(in.t, in.base+path, host)
}

func get(t *testing.T, url, host string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp, body
}

// decode unmarshals a JSON body into v, failing the test with the body when it is not JSON.
func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, body)
	}
}

// envelope is the error body of every error response.
type envelope struct {
	Error struct {
		Type      string              `json:"type"`
		Message   string              `json:"message"`
		Details   map[string][]string `json:"details"`
		Code      string              `json:"code"`
		RequestID string              `json:"request_id"`
	} `json:"error"`
}

// logLine is one decoded JSON log record.
type logLine map[string]any

func (l logLine) str(key string) string {
	s, _ := l[key].(string)
	return s
}

// parseLog decodes JSON-lines log output; a line that is not a JSON object fails the test,
// since every log line the server writes must be one.
func parseLog(t *testing.T, what, text string) []logLine {
	t.Helper()
	var out []logLine
	for _, raw := range strings.Split(text, "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		var l logLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("%s has a line that is not a JSON object: %v\n%s", what, err, raw)
		}
		out = append(out, l)
	}
	return out
}

// findLine returns the first record of the log text that match accepts.
func findLine(t *testing.T, what, text string, match func(logLine) bool) (logLine, bool) {
	t.Helper()
	for _, l := range parseLog(t, what, text) {
		if match(l) {
			return l, true
		}
	}
	return nil, false
}

// waitLine polls the instance's stderr until a record matches, failing after a deadline: a
// request's log line is written as its handler finishes, which may be just after the client
// has the response.
func (in *instance) waitLine(desc string, match func(logLine) bool) logLine {
	in.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if l, ok := findLine(in.t, "stderr", in.stderr.String(), match); ok {
			return l
		}
		if time.Now().After(deadline) {
			in.t.Fatalf("no log line on stderr with %s\nstderr:\n%s", desc, in.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// msgIs matches log records by their message.
func msgIs(msg string) func(logLine) bool {
	return func(l logLine) bool { return l.str("msg") == msg }
}

// isSecretKeyWarning matches the warning written when local mode generates a secret key.
func isSecretKeyWarning(l logLine) bool {
	return l.str("level") == "WARN" && strings.HasPrefix(l.str("msg"), "no SECRET_KEY given")
}

// readyz is the body of /readyz.
type readyz struct {
	Status        string `json:"status"`
	Database      string `json:"database"`
	SchemaVersion int64  `json:"schema_version"`
}

// getReady fetches /readyz and fails unless it answers 200.
func (in *instance) getReady() readyz {
	in.t.Helper()
	resp, body := in.get("/readyz", "")
	if resp.StatusCode != http.StatusOK {
		in.t.Fatalf("GET /readyz = %d, want 200\n%s", resp.StatusCode, body)
	}
	var r readyz
	decode(in.t, body, &r)
	return r
}
