package testkit

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// renderTimeout bounds one Chromium run, start to exit.
const renderTimeout = 60 * time.Second

// RenderDOM loads url in headless Chromium and returns the DOM after scripts ran.
//
// The browser is $CHROMIUM_BIN, else chromium on PATH. Without one the test is
// skipped, unless $CI is non-empty: there a missing browser fails the test. A
// $CHROMIUM_BIN that names no executable always fails it.
//
// Nothing leaves the machine: Chromium runs with a fresh profile, its own
// background services are pointed at a local sink, and all its traffic to
// hosts other than loopback goes to a proxy inside the test that refuses it.
// A page that tries to reach another host fails the test (t.Errorf, naming the
// requests), and its DOM is still returned. The page's console messages are
// passed to t.Logf.
func RenderDOM(t testing.TB, url string) string {
	t.Helper()
	bin := findChromium(t)

	guard := newNetGuard()
	defer guard.Close()

	ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, bin, chromiumArgs(t.TempDir(), guard.URL, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// Chromium forks helpers; a process group of their own lets a timeout kill
	// exactly the processes started here and nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second

	err := cmd.Run()
	logConsole(t, stderr.String())
	switch {
	case ctx.Err() != nil:
		t.Fatalf("RenderDOM %s: chromium did not finish within %v\n%s", url, renderTimeout, tail(stderr.String()))
	case err != nil:
		t.Fatalf("RenderDOM %s: %v\n%s", url, err, tail(stderr.String()))
	case stdout.Len() == 0:
		t.Fatalf("RenderDOM %s: chromium printed no DOM\n%s", url, tail(stderr.String()))
	}
	if refused := guard.refused(); len(refused) > 0 {
		t.Errorf("RenderDOM %s: the page tried to reach other hosts (refused):\n  %s", url, strings.Join(refused, "\n  "))
	}
	return stdout.String()
}

// chromiumArgs returns Chromium's command line for dumping the DOM of url,
// with its profile in profileDir and guardURL as proxy and sink.
func chromiumArgs(profileDir, guardURL, url string) []string {
	return []string{
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-dev-shm-usage",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--disable-extensions",
		"--disable-default-apps",
		"--disable-breakpad",
		"--no-first-run",
		"--no-default-browser-check",
		"--disable-quic",
		// Background services that the switches above leave on: network
		// time, autofill, optimization hints, translation and casting; the
		// component updater and the Google account check.
		"--disable-features=NetworkTimeServiceQuerying,AutofillServerCommunication,OptimizationHints,Translate,MediaRouter",
		"--component-updater=url-source=" + guardURL + "/",
		"--gaia-url=" + guardURL + "/",
		"--proxy-server=" + guardURL,
		"--user-data-dir=" + profileDir,
		"--enable-logging=stderr",
		"--v=0",
		"--virtual-time-budget=10000",
		"--dump-dom",
		url,
	}
}

// findChromium returns the browser to run, or ends the test without one.
func findChromium(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("CHROMIUM_BIN"); bin != "" {
		path, err := exec.LookPath(bin)
		if err != nil {
			t.Fatalf("CHROMIUM_BIN=%q: %v", bin, err)
		}
		return path
	}
	path, err := exec.LookPath("chromium")
	if err == nil {
		return path
	}
	const msg = "no browser: chromium is not on PATH and CHROMIUM_BIN is unset (apt-get install chromium)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// netGuard is a loopback HTTP server that Chromium uses both as its proxy,
// which refuses and records every request, and as the sink for its own
// background services, which it answers with 404 and does not record.
type netGuard struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

// newNetGuard starts a netGuard.
func newNetGuard() *netGuard {
	g := &netGuard{}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serveHTTP))
	return g
}

// serveHTTP refuses proxy requests (CONNECT or an absolute URL) and answers
// the rest, which come straight to the sink, with 404.
func (g *netGuard) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect && !r.URL.IsAbs() {
		http.NotFound(w, r)
		return
	}
	g.mu.Lock()
	g.requests = append(g.requests, r.Method+" "+r.RequestURI)
	g.mu.Unlock()
	http.Error(w, "refused by testkit.RenderDOM: no network in tests", http.StatusForbidden)
}

// refused returns the proxy requests refused so far, in order.
func (g *netGuard) refused() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.requests...)
}

// logConsole passes the page's console messages in Chromium's log to t.Logf.
func logConsole(t testing.TB, log string) {
	t.Helper()
	for line := range strings.Lines(log) {
		if strings.Contains(line, ":CONSOLE") {
			t.Logf("chromium: %s", strings.TrimSpace(line))
		}
	}
}

// tail returns the end of Chromium's log, enough to see why it failed.
func tail(log string) string {
	const max = 4000
	if len(log) > max {
		log = "…" + log[len(log)-max:]
	}
	return log
}
