package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// serveReal serves the app on the server the binary runs (app.NewServer: its timeouts and
// header cap, which httptest's server does not have) and returns its base URL.
func serveReal(t *testing.T) string {
	t.Helper()
	a, err := app.New(context.Background(), testkit.Config(t), logging.Discard(), "test", app.WithFastPasswords())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	srv := app.NewServer(a.Handler())
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return "http://" + ln.Addr().String()
}

// TestLargeHeadersGetTheEnvelope: request headers over the API's 64 KiB limit are answered 431
// in the error envelope, with the security headers and a request id, by the API itself; the
// HTTP server's own cap, which it answers in plain text, is well above that.
func TestLargeHeadersGetTheEnvelope(t *testing.T) {
	t.Parallel()
	base := serveReal(t)
	client := &http.Client{Timeout: 30 * time.Second}
	send := func(size int) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+"/api/v1/crm/clients/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Filler", strings.Repeat("a", size))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	resp, body := send(60 << 10)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("60 KiB of headers: status %d, want the route's 401; %s", resp.StatusCode, body)
	}
	for _, size := range []int{64 << 10, 80 << 10, 200 << 10} {
		resp, body := send(size)
		e := decodeEnvelope(t, resp, body, http.StatusRequestHeaderFieldsTooLarge)
		if e.Type != "RequestHeaderFieldsTooLarge" || e.Code != "REQUEST_HEADER_FIELDS_TOO_LARGE" ||
			e.Message != "Request headers are larger than 64 KiB." || !isGeneratedID(e.RequestID) {
			t.Errorf("%d bytes of headers: %+v", size, e)
		}
		checkAPIHeaders(t, resp)
	}
}
