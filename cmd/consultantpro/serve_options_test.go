package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeFlagsWinOverEnv(t *testing.T) {
	t.Parallel()
	envDataDir, flagDataDir := t.TempDir(), t.TempDir()
	env := map[string]string{
		// Were ADDR used, listening would fail and run would return an error.
		"ADDR":     "not-an-address:no-port",
		"DATA_DIR": envDataDir,
		"LOG_DIR":  t.TempDir(),
	}
	addr := freeAddr(t)
	in := start(t, env, addr, "serve", "--addr", addr, "--data-dir", flagDataDir)

	if ready := in.getReady(); ready.Database != "sqlite" {
		t.Fatalf("GET /readyz = %+v", ready)
	}
	if _, err := os.Stat(filepath.Join(flagDataDir, "consultantpro.db")); err != nil {
		t.Errorf("the database is not in the --data-dir directory: %v", err)
	}
	for _, name := range []string{"consultantpro.db", "secret_key"} {
		if _, err := os.Stat(filepath.Join(envDataDir, name)); err == nil {
			t.Errorf("%s was created in DATA_DIR although --data-dir overrides it", name)
		}
	}
}

func TestServeRefusesUnknownHost(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	in := start(t, env, env["ADDR"])

	tests := []struct {
		name, path, host string
		want             int
	}{
		{"unknown host on the API", "/api/schema/", "evil.example", http.StatusBadRequest},
		{"unknown host with a port", "/no/such/route", "evil.example:8000", http.StatusBadRequest},
		{"liveness probe is exempt", "/healthz", "evil.example", http.StatusOK},
		{"readiness probe is exempt", "/readyz", "evil.example", http.StatusOK},
		{"localhost is allowed in local mode", "/api/schema/", "localhost", http.StatusOK},
		{"the loopback address is allowed", "/api/schema/", in.addr, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, in.base+tt.path, tt.host)
			if resp.StatusCode != tt.want {
				t.Fatalf("GET %s with Host %q = %d, want %d\n%s", tt.path, tt.host, resp.StatusCode, tt.want, body)
			}
			if tt.want != http.StatusBadRequest {
				return
			}
			var e envelope
			decode(t, body, &e)
			if e.Error.Code != "BAD_REQUEST" || e.Error.Message != "Invalid Host header." ||
				e.Error.RequestID != resp.Header.Get("X-Request-ID") {
				t.Errorf("envelope = %+v, want code BAD_REQUEST, message \"Invalid Host header.\" and the request id", e.Error)
			}
		})
	}
}

func TestServeSchema(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	in := start(t, env, env["ADDR"])

	resp, body := in.get("/api/schema/", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/schema/ = %d, want 200\n%s", resp.StatusCode, body)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Version string `json:"version"`
		} `json:"info"`
		Paths map[string]any `json:"paths"`
	}
	decode(t, body, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || doc.Info.Version != version {
		t.Errorf("schema has openapi %q and info.version %q, want 3.1.x and %q", doc.OpenAPI, doc.Info.Version, version)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("schema does not document %s", p)
		}
	}
}

func TestServeMetrics(t *testing.T) {
	t.Parallel()
	t.Run("on the main address by default", func(t *testing.T) {
		t.Parallel()
		env := localEnv(t)
		in := start(t, env, env["ADDR"])
		resp, body := in.get("/metrics", "")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "consultantpro_http_requests_total") {
			t.Fatalf("GET /metrics = %d, want 200 with consultantpro_http_requests_total\n%.500s", resp.StatusCode, body)
		}
	})
	t.Run("on METRICS_ADDR when set", func(t *testing.T) {
		t.Parallel()
		env := localEnv(t)
		metricsAddr := freeAddr(t)
		env["METRICS_ADDR"] = metricsAddr
		in := start(t, env, env["ADDR"])

		resp, body := in.get("/metrics", "")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("GET /metrics on the main address = %d, want 404\n%.500s", resp.StatusCode, body)
		}
		var e envelope
		decode(t, body, &e)
		if e.Error.Type != "NotFound" {
			t.Errorf("main address /metrics envelope = %+v, want type NotFound", e.Error)
		}

		resp, body = get(t, "http://"+metricsAddr+"/metrics", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /metrics on METRICS_ADDR = %d, want 200\n%.500s", resp.StatusCode, body)
		}
		// The health polls before this were counted, by route template and status.
		var counted bool
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "consultantpro_http_requests_total{") &&
				strings.Contains(line, `route="/healthz"`) && strings.Contains(line, `status="200"`) {
				counted = true
			}
		}
		if !counted {
			t.Errorf("METRICS_ADDR /metrics has no consultantpro_http_requests_total for /healthz 200:\n%s", body)
		}
		if !strings.Contains(string(body), `go_sql_open_connections{db_name="writer"}`) {
			t.Errorf("METRICS_ADDR /metrics has no database pool metrics:\n%.2000s", body)
		}
		if l := in.waitLine("msg \"metrics listening\"", msgIs("metrics listening")); l.str("addr") != metricsAddr {
			t.Errorf("metrics listening line has addr %q, want %q", l.str("addr"), metricsAddr)
		}
	})
}
