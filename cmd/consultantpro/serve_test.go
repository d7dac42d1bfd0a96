package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestServeLocalModeWithZeroSettings(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	dataDir, logDir := env["DATA_DIR"], env["LOG_DIR"]
	in := start(t, env, env["ADDR"]) // no arguments at all: serve is the default command

	resp, body := in.get("/healthz", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz = %d, want 200\n%s", resp.StatusCode, body)
	}
	var health map[string]any
	decode(t, body, &health)
	if len(health) != 1 || health["status"] != "ok" {
		t.Fatalf("GET /healthz body = %s, want {\"status\":\"ok\"}", body)
	}
	ready := in.getReady()
	if ready.Status != "ready" || ready.Database != "sqlite" || ready.SchemaVersion < 1 {
		t.Fatalf("GET /readyz = %+v, want status ready, database sqlite, schema_version >= 1", ready)
	}

	if _, err := os.Stat(filepath.Join(dataDir, "consultantpro.db")); err != nil {
		t.Fatalf("the default database is not in DATA_DIR: %v", err)
	}
	keyPath := filepath.Join(dataDir, "secret_key")
	key := readSecretKey(t, keyPath)
	warning, ok := findLine(t, "stderr", in.stderr.String(), isSecretKeyWarning)
	if !ok {
		t.Fatalf("stderr has no warning about the generated secret key\nstderr:\n%s", in.stderr)
	}
	if got := warning.str("file"); got != keyPath {
		t.Errorf("warning names file %q, want %q", got, keyPath)
	}
	if strings.Contains(in.stderr.String(), key) {
		t.Errorf("the generated secret key appears on stderr")
	}
	if err := in.stop(); err != nil {
		t.Fatalf("run returned %v, want nil", err)
	}

	// The log files: app.log takes WARN and above, so it has the warning and no request lines.
	for _, name := range []string{"app.log", "errors.log", "security.log"} {
		if _, err := os.Stat(filepath.Join(logDir, name)); err != nil {
			t.Errorf("log file %s: %v", name, err)
		}
	}
	appLog := readFile(t, filepath.Join(logDir, "app.log"))
	if _, ok := findLine(t, "app.log", appLog, isSecretKeyWarning); !ok {
		t.Errorf("app.log has no secret-key warning:\n%s", appLog)
	}
	for _, l := range parseLog(t, "app.log", appLog) {
		if lv := l.str("level"); lv != "WARN" && lv != "ERROR" {
			t.Errorf("app.log has a %s line; it takes WARN and above: %v", lv, l)
		}
	}
	if errorsLog := readFile(t, filepath.Join(logDir, "errors.log")); strings.TrimSpace(errorsLog) != "" {
		t.Errorf("errors.log is not empty after a clean run:\n%s", errorsLog)
	}

	// A second start with the same data directory reuses the kept key, silently.
	env2 := map[string]string{"DATA_DIR": dataDir, "LOG_DIR": t.TempDir(), "ADDR": freeAddr(t)}
	again := start(t, env2, env2["ADDR"], "serve")
	if again.getReady().SchemaVersion != ready.SchemaVersion {
		t.Errorf("second start reports another schema version")
	}
	if _, ok := findLine(t, "stderr", again.stderr.String(), isSecretKeyWarning); ok {
		t.Errorf("second start warned about a generated key again\nstderr:\n%s", again.stderr)
	}
	if got := readSecretKey(t, keyPath); got != key {
		t.Errorf("second start changed the kept secret key")
	}
}

// readSecretKey checks the kept key file (mode 0600, at least 50 characters) and returns the key.
func readSecretKey(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("secret key file: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret key file mode = %o, want 600", perm)
	}
	key := strings.TrimSpace(readFile(t, path))
	if len(key) < 50 {
		t.Errorf("kept secret key has %d characters, want at least 50", len(key))
	}
	return key
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServeRequestLog(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	in := start(t, env, env["ADDR"])

	resp, body := in.get("/no/such/route", "")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /no/such/route = %d, want 404\n%s", resp.StatusCode, body)
	}
	var env404 envelope
	decode(t, body, &env404)
	id := resp.Header.Get("X-Request-ID")
	if id == "" || env404.Error.Type != "NotFound" || env404.Error.RequestID != id {
		t.Fatalf("404 envelope %+v with X-Request-ID %q: want type NotFound and the header's id", env404.Error, id)
	}

	l := in.waitLine("request_id "+id, func(l logLine) bool {
		return l.str("msg") == "request" && l.str("request_id") == id
	})
	if l.str("level") != "INFO" || l.str("method") != "GET" || l.str("path") != "/no/such/route" ||
		l.str("client_ip") != "127.0.0.1" {
		t.Errorf("request line = %v, want level INFO, method GET, path /no/such/route, client_ip 127.0.0.1", l)
	}
	if status, ok := l["status"].(float64); !ok || status != 404 {
		t.Errorf("request line status = %v, want 404", l["status"])
	}
	if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
		t.Errorf("request line duration_ms = %v, want a non-negative number", l["duration_ms"])
	}
	for _, key := range []string{"user", "firm", "route"} {
		if _, ok := l[key]; !ok {
			t.Errorf("request line has no %q attribute: %v", key, l)
		}
	}
}

func TestServeDatabaseURL(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	want := "sqlite"
	var dbFile string
	if os.Getenv("TEST_DATABASE_URL") != "" {
		env["DATABASE_URL"] = testkit.DatabaseURL(t)
		want = "postgres"
	} else {
		dbFile = filepath.Join(t.TempDir(), "elsewhere", "app.db")
		env["DATABASE_URL"] = "sqlite://" + filepath.ToSlash(dbFile) // sqlite:///abs/path.db
	}
	in := start(t, env, env["ADDR"])
	ready := in.getReady()
	if ready.Status != "ready" || ready.Database != want || ready.SchemaVersion < 1 {
		t.Fatalf("GET /readyz = %+v, want status ready, database %s, schema_version >= 1", ready, want)
	}
	if l := in.waitLine("the listening line", msgIs("ConsultantPro listening")); l.str("database") != want {
		t.Errorf("listening line reports database %q, want %q", l.str("database"), want)
	}
	if dbFile != "" {
		if _, err := os.Stat(dbFile); err != nil {
			t.Errorf("DATABASE_URL's file was not created: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(env["DATA_DIR"], "consultantpro.db")); err == nil {
		t.Errorf("the default database was created although DATABASE_URL names another")
	}
}

func TestServeProductionRefusesWithoutSecretKey(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["ENV"] = "production"
	env["ALLOWED_HOSTS"] = "api.example.com"
	began := time.Now()
	_, stderr, err := runCommand(t, env) // serve is the default command
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("production serve without SECRET_KEY took %s to give up", took)
	}
	if err == nil || !strings.Contains(err.Error(), "SECRET_KEY") {
		t.Fatalf("run = %v, want an error naming SECRET_KEY", err)
	}
	if _, ok := findLine(t, "stderr", stderr, msgIs("ConsultantPro listening")); ok {
		t.Errorf("production serve without SECRET_KEY listened\nstderr:\n%s", stderr)
	}
	refusal, ok := findLine(t, "stderr", stderr, msgIs("refusing to start in production mode"))
	if !ok || refusal.str("log") != "security" || !strings.Contains(refusal.str("finding"), "SECRET_KEY") {
		t.Errorf("want a security log line refusing to start for SECRET_KEY, got %v\nstderr:\n%s", refusal, stderr)
	}
	for _, name := range []string{"secret_key", "consultantpro.db"} {
		if _, err := os.Stat(filepath.Join(env["DATA_DIR"], name)); err == nil {
			t.Errorf("the refused start created %s in DATA_DIR", name)
		}
	}
}
