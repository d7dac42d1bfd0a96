package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
)

// TestErrorEnvelope covers every error the platform itself produces: each answers with the one
// envelope, its status, type and code, and the request id of the response header.
func TestErrorEnvelope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	big := `{"name": "` + strings.Repeat("x", api.MaxBodyBytes) + `"}`
	tests := []struct {
		name     string
		method   string
		path     string
		body     any
		header   []string
		status   int
		typ      string
		code     string
		message  string
		details  map[string][]string
		noDetail []string // fields that must not be reported
	}{
		{
			name:   "validation: required, enum, minimum and the resource's own rule together",
			method: "POST", path: "/api/v1/widgets/", body: map[string]any{"status": "shiny", "size": -1, "email": "invalid"},
			status: 400, typ: "ValidationError", code: "VALIDATION_ERROR", message: "Validation failed",
			details: map[string][]string{
				"name":   {"This field is required."},
				"email":  {"Invalid email format"},
				"status": nil, "size": nil, // present, with huma's wording
			},
		},
		{
			name: "unknown body field", method: "POST", path: "/api/v1/widgets/", body: map[string]any{"name": "a", "colour": "red"},
			status: 400, typ: "ValidationError", code: "VALIDATION_ERROR",
			details: map[string][]string{"colour": {"Unknown field."}}, noDetail: []string{"name"},
		},
		{
			name: "wrong JSON type", method: "POST", path: "/api/v1/widgets/", body: map[string]any{"name": 12},
			status: 400, typ: "ValidationError", code: "VALIDATION_ERROR", details: map[string][]string{"name": nil},
		},
		{
			name: "malformed JSON", method: "POST", path: "/api/v1/widgets/", body: `{"name": `,
			status: 400, typ: "ParseError", code: "BAD_REQUEST", message: api.MsgMalformed,
		},
		{
			name: "body is not an object", method: "POST", path: "/api/v1/widgets/", body: `[1, 2]`,
			status: 400, typ: "ValidationError", code: "VALIDATION_ERROR", details: map[string][]string{"non_field_errors": nil},
		},
		{
			name: "empty body where one is required", method: "POST", path: "/api/v1/widgets/", body: ``,
			status: 400, typ: "ParseError", code: "BAD_REQUEST",
		},
		{
			name: "bad query parameter", method: "GET", path: "/api/v1/widgets/?page_size=abc",
			status: 400, typ: "ParseError", code: "BAD_REQUEST", details: map[string][]string{"page_size": {api.MsgPageSize}},
		},
		{
			name: "unknown route", method: "GET", path: "/api/v1/nothing-here/",
			status: 404, typ: "NotFound", code: "NOT_FOUND", message: "Not found.",
		},
		{
			name: "unknown route outside the API", method: "GET", path: "/favicon.ico",
			status: 404, typ: "NotFound", code: "NOT_FOUND",
		},
		{
			name: "unknown object", method: "GET", path: "/api/v1/widgets/0193e7a4-0000-7000-8000-000000000000/",
			status: 404, typ: "NotFound", code: "NOT_FOUND", message: "Not found.",
		},
		{
			name: "wrong method", method: "DELETE", path: "/api/v1/widgets/",
			status: 405, typ: "MethodNotAllowed", code: "METHOD_NOT_ALLOWED", message: "Method not allowed.",
		},
		{
			name: "conflict from a handler", method: "POST", path: "/api/v1/conflict/",
			status: 409, typ: "Conflict", code: "CONFLICT", message: "Idempotency key reused with another body.",
		},
		{
			name: "body over 1 MiB", method: "POST", path: "/api/v1/widgets/", body: big,
			status: 413, typ: "PayloadTooLarge", code: "PAYLOAD_TOO_LARGE",
		},
		{
			name: "wrong content type", method: "POST", path: "/api/v1/widgets/", body: `name=a`,
			header: []string{"Content-Type", "application/x-www-form-urlencoded"},
			status: 415, typ: "UnsupportedMediaType", code: "UNSUPPORTED_MEDIA_TYPE",
		},
		{
			name: "panic", method: "GET", path: "/api/v1/explode/",
			status: 500, typ: "ServerError", code: "INTERNAL_SERVER_ERROR", message: "Internal server error",
		},
		{
			name: "unexpected error", method: "GET", path: "/api/v1/leak/",
			status: 500, typ: "ServerError", code: "INTERNAL_SERVER_ERROR", message: "Internal server error",
		},
		{
			name: "host not allowed", method: "GET", path: "/api/v1/widgets/", header: []string{"Host", "evil.example"},
			status: 400, typ: "ParseError", code: "BAD_REQUEST", message: "Invalid Host header.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(tt.method, tt.path, tt.body, tt.header...)
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d; body %s", res.status, tt.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			p := res.envelope(t)
			if p.Type != tt.typ || p.Code != tt.code {
				t.Errorf("type/code = %s/%s, want %s/%s", p.Type, p.Code, tt.typ, tt.code)
			}
			if tt.message != "" && p.Message != tt.message {
				t.Errorf("message = %q, want %q", p.Message, tt.message)
			}
			if p.RequestID == "" || p.RequestID != res.header.Get("X-Request-ID") {
				t.Errorf("request_id %q does not match X-Request-ID %q", p.RequestID, res.header.Get("X-Request-ID"))
			}
			if p.Details == nil {
				t.Error("details must be an object, never absent")
			}
			for field, want := range tt.details {
				got, ok := p.Details[field]
				if !ok || len(got) == 0 {
					t.Errorf("details has no %q: %v", field, p.Details)
					continue
				}
				if want != nil && !slices.Equal(got, want) {
					t.Errorf("details[%q] = %q, want %q", field, got, want)
				}
			}
			for _, field := range tt.noDetail {
				if _, ok := p.Details[field]; ok {
					t.Errorf("details unexpectedly has %q: %v", field, p.Details)
				}
			}
			if tt.status == 500 {
				for _, secret := range []string{"boom", "SELECT", "vault", "password", "pq:", "goroutine"} {
					if strings.Contains(string(res.body), secret) {
						t.Errorf("500 body leaks %q: %s", secret, res.body)
					}
				}
				if len(p.Details) != 0 {
					t.Errorf("500 carries details: %v", p.Details)
				}
			}
			if tt.status == 405 {
				allow := res.header.Get("Allow")
				if !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
					t.Errorf("Allow = %q, want GET and POST", allow)
				}
			}
		})
	}
}

func TestTooLargeChunkedBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	// A body without Content-Length is cut off while it is read.
	body := strings.NewReader(`{"name": "` + strings.Repeat("x", api.MaxBodyBytes+10) + `"}`)
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/widgets/", body)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", res.StatusCode)
	}
}

func TestBodyOfExactlyTheLimitIsAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	prefix, suffix := `{"name": "`, `"}`
	body := prefix + strings.Repeat("x", api.MaxBodyBytes-len(prefix)-len(suffix)) + suffix
	res := e.do("POST", "/api/v1/widgets/", body)
	// The body is read and validated (name is too long for the schema), not refused as too large.
	if res.status != 400 || res.envelope(t).Code != "VALIDATION_ERROR" {
		t.Fatalf("status = %d body %.200s", res.status, res.body)
	}
}

func TestInternalErrorsAreLoggedWithTheirCause(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	res := e.do("GET", "/api/v1/leak/", nil)
	id := res.envelope(t).RequestID
	logs := e.logBuf.String()
	var line string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, id) {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no log line carries request id %s:\n%s", id, logs)
	}
	for _, want := range []string{`"level":"ERROR"`, `"status":500`, `password authentication failed`, `"route":"/api/v1/leak"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %s: %s", want, line)
		}
	}
	// The server survives a panic and keeps serving.
	e.do("GET", "/api/v1/explode/", nil)
	if res := e.do("GET", "/api/v1/widgets/", nil); res.status != 200 {
		t.Fatalf("after a panic: status %d", res.status)
	}
	if !strings.Contains(e.logBuf.String(), "goroutine") {
		t.Error("the panic's stack is not in the log")
	}
}
