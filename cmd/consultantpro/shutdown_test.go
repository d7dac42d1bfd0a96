package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["SHUTDOWN_TIMEOUT"] = "7s"
	in := start(t, env, env["ADDR"])
	in.get("/healthz", "") // leaves an idle keep-alive connection, which must not hold shutdown up

	began := time.Now()
	if err := in.stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("run took %s to return after cancel", took)
	}
	text := in.stderr.String()
	l, ok := findLine(t, "stderr", text, func(l logLine) bool { return strings.HasPrefix(l.str("msg"), "shutting down") })
	if !ok {
		t.Fatalf("stderr has no \"shutting down\" line\nstderr:\n%s", text)
	}
	if got := l.str("timeout"); got != "7s" {
		t.Errorf("shutting down line has timeout %q, want SHUTDOWN_TIMEOUT 7s", got)
	}
	if _, ok := findLine(t, "stderr", text, msgIs("stopped")); !ok {
		t.Errorf("stderr has no \"stopped\" line\nstderr:\n%s", text)
	}
	if conn, err := net.DialTimeout("tcp", in.addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after run returned", in.addr)
	}
}

// stalledRequest opens a connection to the instance, makes sure the server has accepted it (one
// complete request), then sends a request whose head announces a 10-byte body but only half of
// it. /healthz ignores the body, but net/http reads a small unread body to its end before it
// writes the response, so this request stays in flight until the rest of the body arrives.
func stalledRequest(t *testing.T, in *instance) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", in.addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(15 * time.Second)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	const head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("first request on the connection: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, err := io.WriteString(conn, head+"Content-Length: 10\r\n\r\n12345"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the server read the request head
	return conn, r
}

func TestServeDrainsInFlightRequests(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	in := start(t, env, env["ADDR"])
	conn, r := stalledRequest(t, in)

	stopped := make(chan error, 1)
	go func() { stopped <- in.stop() }()
	select {
	case err := <-stopped:
		t.Fatalf("run returned (%v) while a request was in flight", err)
	case <-time.After(300 * time.Millisecond):
	}

	if _, err := io.WriteString(conn, "67890"); err != nil {
		t.Fatalf("finish the in-flight request: %v", err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response during shutdown: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Errorf("in-flight request = %d %s, want 200 {\"status\":\"ok\"}", resp.StatusCode, body)
	}
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("run returned %v after draining, want nil", err)
		}
	case <-time.After(stopTimeout):
		t.Fatalf("run did not return once the in-flight request was done")
	}
}

func TestServeShutdownTimeout(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["SHUTDOWN_TIMEOUT"] = "1s"
	in := start(t, env, env["ADDR"])
	stalledRequest(t, in) // never finished

	began := time.Now()
	err := in.takeStopErr()
	took := time.Since(began)
	if took < 900*time.Millisecond || took > 4*time.Second {
		t.Errorf("run returned %s after cancel with a request stuck in flight, want about SHUTDOWN_TIMEOUT (1s)", took)
	}
	// Whether giving up on a request is an error is the server's call; any error must say why.
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("run returned %v, want nil or the shutdown deadline", err)
	}
}
