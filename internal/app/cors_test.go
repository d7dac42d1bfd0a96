package app_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestPreflightFromOtherOriginIsRefused: a browser's preflight from an origin outside
// CORS_ALLOWED_ORIGINS gets a 403 envelope that says why (and no CORS headers, so the browser
// stops), not the 405 of an OPTIONS request the router does not serve; one from a listed
// origin gets 204 with the CORS headers, and an OPTIONS request that is no preflight is still
// 405.
func TestPreflightFromOtherOriginIsRefused(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, func(c *config.Config) {
		c.CORSAllowedOrigins = []string{"https://app.firm.example"}
	}, nil)
	preflight := func(origin string) (*http.Response, []byte) {
		return request(t, srv, http.MethodOptions, "/api/v1/crm/clients/", "Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
	}

	resp, body := preflight("https://app.firm.example")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.firm.example" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight from the listed origin: %d %v %s", resp.StatusCode, resp.Header, body)
	}

	for _, origin := range []string{"https://evil.example", "http://app.firm.example", "null"} {
		resp, body := preflight(origin)
		e := decodeEnvelope(t, resp, body, http.StatusForbidden)
		if e.Type != "PermissionDenied" || e.Code != "FORBIDDEN" || e.Message != "Cross-origin requests from this origin are not allowed." {
			t.Errorf("preflight from %s: %+v", origin, e)
		}
		if got := e.Details["Origin"]; len(got) != 1 || got[0] != "Not in CORS_ALLOWED_ORIGINS." {
			t.Errorf("preflight from %s: details %v", origin, e.Details)
		}
		for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Allow"} {
			if v := resp.Header.Get(h); v != "" {
				t.Errorf("preflight from %s: %s = %q, want none", origin, h, v)
			}
		}
		checkAPIHeaders(t, resp)
	}

	resp, body = request(t, srv, http.MethodOptions, "/api/v1/crm/clients/")
	if e := decodeEnvelope(t, resp, body, http.StatusMethodNotAllowed); e.Type != "MethodNotAllowed" {
		t.Errorf("OPTIONS without a preflight: %+v", e)
	}
}

// request sends a bodiless request with the given headers (name, value pairs) to srv and returns
// the response with its body read, like get.
func request(t *testing.T, srv *testkit.Server, method, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, body
}
