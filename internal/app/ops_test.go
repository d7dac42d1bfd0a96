package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// health is the body of /healthz and /readyz.
type health struct {
	Status        string `json:"status"`
	Database      string `json:"database"`
	SchemaVersion int64  `json:"schema_version"`
}

// decodeHealth checks a 200 JSON health response and decodes it.
func decodeHealth(t *testing.T, resp *http.Response, body []byte) health {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d, want 200\n%s", resp.Request.URL.Path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("%s: Content-Type %q, want %q", resp.Request.URL.Path, ct, jsonContentType)
	}
	var h health
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("%s: decode %s: %v", resp.Request.URL.Path, body, err)
	}
	return h
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	for _, path := range []string{"/healthz", "/healthz/"} {
		resp, body := get(t, srv, path)
		checkAPIHeaders(t, resp)
		if h := decodeHealth(t, resp, body); h != (health{Status: "ok"}) {
			t.Errorf("GET %s = %+v, want only status ok", path, h)
		}
	}
}

// TestReadyzSchemaBehind checks that /readyz answers 200 with the schema version while the
// database is current, and 503 in the envelope once the newest migration is missing — while
// /healthz, which says only that the process serves, stays 200.
func TestReadyzSchemaBehind(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	s := loadSpec(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, latest, err := srv.App.DB.MigrationVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if latest < 1 {
		t.Fatalf("the binary carries no migration (latest %d)", latest)
	}

	resp, body := get(t, srv, "/readyz")
	checkAPIHeaders(t, resp)
	want := health{Status: "ready", Database: testkit.Engine(), SchemaVersion: latest}
	if h := decodeHealth(t, resp, body); h != want {
		t.Errorf("GET /readyz = %+v, want %+v", h, want)
	}
	s.checkResponse(t, resp)

	res, err := srv.App.DB.W.ExecContext(ctx,
		"DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)")
	if err != nil {
		t.Fatalf("roll the recorded schema version back: %v", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("deleted %d goose_db_version rows (%v), want 1", n, err)
	}

	for _, path := range []string{"/readyz", "/readyz/"} {
		resp, body = get(t, srv, path)
		checkAPIHeaders(t, resp)
		p := decodeEnvelope(t, resp, body, http.StatusServiceUnavailable)
		if p.Type != "ServiceUnavailable" || p.Code != "SERVICE_UNAVAILABLE" {
			t.Errorf("GET %s: type %q code %q, want ServiceUnavailable SERVICE_UNAVAILABLE", path, p.Type, p.Code)
		}
		if p.Message != "Database migrations are not current." || len(p.Details) != 0 {
			t.Errorf("GET %s: message %q details %v, want \"Database migrations are not current.\" and none", path, p.Message, p.Details)
		}
		// The cause (versions, SQL) goes to the log only.
		if strings.Contains(string(body), "version") || strings.Contains(string(body), "goose") {
			t.Errorf("GET %s: the envelope leaks the cause: %s", path, body)
		}
	}
	s.checkResponse(t, resp)

	resp, body = get(t, srv, "/healthz")
	checkAPIHeaders(t, resp)
	if h := decodeHealth(t, resp, body); h.Status != "ok" {
		t.Errorf("GET /healthz with the schema behind = %+v, want status ok", h)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	resp, body := get(t, srv, "/healthz")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: status %d\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, srv, "/no-such-route/123")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /no-such-route/123: status %d\n%s", resp.StatusCode, body)
	}

	resp, body = get(t, srv, "/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d\n%s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /metrics: Content-Type %q, want the Prometheus text format", ct)
	}
	checkAPIHeaders(t, resp)
	metrics := string(body)

	for _, line := range []string{
		`consultantpro_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`consultantpro_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
		// Unknown paths share one label value: raw paths would explode the series count.
		`consultantpro_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
	} {
		if !containsLine(metrics, line) {
			t.Errorf("/metrics lacks the line %s", line)
		}
	}
	if strings.Contains(metrics, "no-such-route") {
		t.Error("/metrics labels a series with a raw request path")
	}

	// The database pools: a writer and a reader on both engines.
	pools := map[string]bool{"writer": true, "reader": true}
	for pool, want := range pools {
		for _, name := range []string{"go_sql_max_open_connections", "go_sql_open_connections", "go_sql_wait_count_total"} {
			prefix := name + `{db_name="` + pool + `"} `
			if got := hasLinePrefix(metrics, prefix); got != want {
				t.Errorf("/metrics has %s…: %v, want %v", prefix, got, want)
			}
		}
	}
	if testkit.Engine() == "sqlite" && !containsLine(metrics, `go_sql_max_open_connections{db_name="writer"} 1`) {
		t.Error(`/metrics: the SQLite writer pool is not limited to one connection`)
	}
}

// hasLinePrefix reports whether a line of text starts with prefix.
func hasLinePrefix(text, prefix string) bool {
	for l := range strings.Lines(text) {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestRequestID checks that every response carries X-Request-ID: a valid incoming id is echoed,
// anything else is replaced by a generated one, and error envelopes carry the same id.
func TestRequestID(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	cases := []struct {
		name, sent string
		echoed     bool
	}{
		{"none sent", "", false},
		{"valid", "abc-123", true},
		{"valid with every allowed character", "Req_1.2:3-x", true},
		{"space", "bad id", false},
		{"tab", "bad\tid", false},
		{"non-ASCII", "réq-1", false},
		{"200 characters", strings.Repeat("a", 200), false},
	}
	paths := []struct {
		path   string
		status int
		docs   bool
	}{
		{"/healthz", http.StatusOK, false},
		{"/no-such-route", http.StatusNotFound, false},
		{"/api/schema/?format=xml", http.StatusBadRequest, false},
		{"/api/docs/", http.StatusOK, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, p := range paths {
				var header []string
				if c.sent != "" {
					header = []string{"X-Request-ID", c.sent}
				}
				resp, body := get(t, srv, p.path, header...)
				if resp.StatusCode != p.status {
					t.Errorf("GET %s: status %d, want %d", p.path, resp.StatusCode, p.status)
				}
				if p.docs {
					checkDocsHeaders(t, resp)
				} else {
					checkAPIHeaders(t, resp)
				}
				if p.status >= 400 {
					decodeEnvelope(t, resp, body, p.status) // request_id equals the header
				}
				checkRequestID(t, "GET "+p.path, resp.Header.Values("X-Request-ID"), c.sent, c.echoed)
			}
		})
	}

	// Values no HTTP client will send (a line feed) can still reach the handler from a proxy or
	// a broken client library; the middleware must not echo them into the response headers.
	t.Run("line feed, in process", func(t *testing.T) {
		t.Parallel()
		for _, sent := range []string{"bad id\n", "abc\r\nSet-Cookie: x=1", "abc\x00"} {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/healthz", nil)
			req.Header["X-Request-Id"] = []string{sent}
			rec := httptest.NewRecorder()
			srv.App.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("%q: status %d, want 200", sent, rec.Code)
			}
			checkRequestID(t, "GET /healthz", rec.Result().Header.Values("X-Request-ID"), sent, false)
			if _, ok := rec.Result().Header["Set-Cookie"]; ok {
				t.Errorf("%q: header injected into the response", sent)
			}
		}
	})

	t.Run("generated ids differ", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for range 5 {
			resp, _ := get(t, srv, "/healthz")
			id := resp.Header.Get("X-Request-ID")
			if seen[id] {
				t.Errorf("request id %q generated twice", id)
			}
			seen[id] = true
		}
	})
}

// checkRequestID checks the X-Request-ID values of one response: exactly one, equal to sent
// when it should be echoed, otherwise a generated id.
func checkRequestID(t *testing.T, where string, got []string, sent string, echoed bool) {
	t.Helper()
	if len(got) != 1 {
		t.Errorf("%s: X-Request-ID = %q, want exactly one", where, got)
		return
	}
	switch id := got[0]; {
	case echoed && id != sent:
		t.Errorf("%s: X-Request-ID %q, want the valid incoming id %q echoed", where, id, sent)
	case !echoed && (id == sent || !isGeneratedID(id)):
		t.Errorf("%s: X-Request-ID %q for incoming %q, want a generated id", where, id, sent)
	}
}
