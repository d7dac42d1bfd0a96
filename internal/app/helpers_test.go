package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/docs"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/google/uuid"
)

// apiCSP is the Content-Security-Policy of every response that is not a documentation page.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// jsonContentType is the Content-Type of every JSON response, errors included.
const jsonContentType = "application/json; charset=utf-8"

// noRedirects is a client that reports redirects instead of following them, so that a test sees
// exactly what the server answered.
var noRedirects = &http.Client{
	Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// get sends GET path to srv with the given headers (name, value pairs) and returns the response
// with its body read; resp.Body can be read again (the OpenAPI validator reads it).
func get(t *testing.T, srv *testkit.Server, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, body
}

// checkSecurityHeaders checks the headers SPEC §10 puts on every response, with wantCSP as the
// Content-Security-Policy, and that the response carries a well-formed request id.
func checkSecurityHeaders(t *testing.T, resp *http.Response, wantCSP string) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"X-Frame-Options":            "DENY",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Cache-Control":              "no-store",
		"Content-Security-Policy":    wantCSP,
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if got := resp.Header.Values(name); len(got) != 1 || got[0] != want[name] {
			t.Errorf("%s %s: header %s = %q, want exactly %q", resp.Request.Method, resp.Request.URL.Path, name, got, want[name])
		}
	}
	if _, ok := resp.Header["Strict-Transport-Security"]; ok {
		t.Errorf("%s %s: Strict-Transport-Security sent in local mode", resp.Request.Method, resp.Request.URL.Path)
	}
	if id := resp.Header.Get("X-Request-ID"); id == "" {
		t.Errorf("%s %s: no X-Request-ID", resp.Request.Method, resp.Request.URL.Path)
	}
}

// checkAPIHeaders checks the security headers of a response that is not a documentation page.
func checkAPIHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	checkSecurityHeaders(t, resp, apiCSP)
}

// checkDocsHeaders checks the security headers of a documentation page or asset.
func checkDocsHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	checkSecurityHeaders(t, resp, docs.CSP)
}

// problem is the "error" member of the error envelope.
type problem struct {
	Type      string              `json:"type"`
	Message   string              `json:"message"`
	Details   map[string][]string `json:"details"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id"`
}

// decodeEnvelope checks that an error response is the envelope of SPEC §2 with the given status
// — JSON with its charset, exactly the five members, details never null, request_id equal to
// the X-Request-ID header — and returns its "error" member.
func decodeEnvelope(t *testing.T, resp *http.Response, body []byte, wantStatus int) problem {
	t.Helper()
	where := resp.Request.Method + " " + resp.Request.URL.RequestURI()
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s: status %d, want %d; body %s", where, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("%s: Content-Type %q, want %q", where, ct, jsonContentType)
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("%s: body is not an envelope: %v\n%s", where, err, body)
	}
	if len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("%s: envelope has members %v, want only \"error\"\n%s", where, slices.Sorted(maps.Keys(raw)), body)
	}
	members := slices.Sorted(maps.Keys(raw["error"]))
	if want := []string{"code", "details", "message", "request_id", "type"}; !slices.Equal(members, want) {
		t.Errorf("%s: error has members %v, want %v", where, members, want)
	}
	if d := strings.TrimSpace(string(raw["error"]["details"])); !strings.HasPrefix(d, "{") {
		t.Errorf("%s: details = %s, want an object", where, d)
	}
	var env struct {
		Error problem `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: decode envelope: %v\n%s", where, err, body)
	}
	if id := resp.Header.Get("X-Request-ID"); env.Error.RequestID != id {
		t.Errorf("%s: request_id %q, X-Request-ID header %q: want them equal", where, env.Error.RequestID, id)
	}
	return env.Error
}

// isGeneratedID reports whether id is a request id the server made up: a UUID.
func isGeneratedID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}
