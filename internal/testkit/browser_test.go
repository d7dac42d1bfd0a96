package testkit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// recordingTB stands in for the test given to RenderDOM, recording errors,
// failures and skips instead of acting on them. Other methods go to the real
// test.
type recordingTB struct {
	testing.TB
	mu      sync.Mutex
	errors  []string
	fatal   string
	skipped string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recordingTB) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) FailNow() { r.Fatalf("FailNow") }

func (r *recordingTB) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recordingTB) Skip(args ...any) { r.Skipf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) SkipNow() { r.Skipf("SkipNow") }

// renderRecorded runs RenderDOM(rec, url) to its end, which may be a
// runtime.Goexit from Fatal or Skip, and returns the DOM it returned.
func renderRecorded(rec *recordingTB, url string) string {
	var dom string
	done := make(chan struct{})
	go func() {
		defer close(done)
		dom = RenderDOM(rec, url)
	}()
	<-done
	return dom
}

// serve starts a server with the given pages, path to HTML.
func serve(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for path, html := range pages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			ct := "text/html; charset=utf-8"
			if strings.HasSuffix(path, ".js") {
				ct = "text/javascript"
			}
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(html))
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRenderDOMRunsScripts(t *testing.T) {
	srv := serve(t, map[string]string{
		"/{$}": `<!doctype html><title>t</title><p id="out">static</p><script src="/app.js"></script>`,
		"/app.js": `setTimeout(function () {
			fetch("/data").then(function (r) { return r.text(); }).then(function (s) {
				document.getElementById("out").textContent = "rendered " + s;
			});
		}, 500);`,
		"/data": `from the server`,
	})
	dom := RenderDOM(t, srv.URL+"/")
	if !strings.Contains(dom, `<p id="out">rendered from the server</p>`) {
		t.Errorf("DOM after scripts:\n%s", dom)
	}
}

func TestRenderDOMRefusesOtherHosts(t *testing.T) {
	srv := serve(t, map[string]string{
		"/{$}": `<!doctype html><title>t</title><p>page</p>` +
			`<img src="http://example.com/pixel.png">` +
			`<script src="https://cdn.example.org/lib.js"></script>`,
	})
	rec := &recordingTB{TB: t}
	dom := renderRecorded(rec, srv.URL+"/")
	if rec.skipped != "" {
		t.Skip(rec.skipped)
	}
	if rec.fatal != "" {
		t.Fatal(rec.fatal)
	}
	if !strings.Contains(dom, "<p>page</p>") {
		t.Errorf("DOM not returned:\n%s", dom)
	}
	if len(rec.errors) != 1 {
		t.Fatalf("errors = %q, want one naming the refused requests", rec.errors)
	}
	for _, want := range []string{"GET http://example.com/pixel.png", "CONNECT cdn.example.org:443"} {
		if !strings.Contains(rec.errors[0], want) {
			t.Errorf("error %q does not name %q", rec.errors[0], want)
		}
	}
}

func TestRenderDOMWithoutBrowser(t *testing.T) {
	cases := []struct {
		name, chromiumBin, ci string
		wantFatal             bool
	}{
		{"skips outside CI", "", "", false},
		{"fails in CI", "", "true", true},
		{"fails on a bad CHROMIUM_BIN", "/nonexistent/chromium", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			t.Setenv("CHROMIUM_BIN", c.chromiumBin)
			t.Setenv("CI", c.ci)
			rec := &recordingTB{TB: t}
			renderRecorded(rec, "http://127.0.0.1:1/")
			switch {
			case c.wantFatal && rec.fatal == "":
				t.Errorf("not failed (skipped: %q)", rec.skipped)
			case !c.wantFatal && rec.skipped == "":
				t.Errorf("not skipped (failed: %q)", rec.fatal)
			}
		})
	}
}
