package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// limitedConfig is a test configuration with SPEC §10's default rates.
func limitedConfig(t *testing.T) config.Config {
	cfg := testkit.Config(t)
	cfg.RateBurst, cfg.RateSustained, cfg.RateAnon = "100/min", "1000/hour", "20/hour"
	cfg.RatePayment, cfg.RateUpload, cfg.RateLoginFailures = "10/min", "30/hour", "10/15m"
	return cfg
}

// startApp serves cfg (its own instance: own process-local limiter) and returns its URL.
func startApp(t *testing.T, cfg config.Config, logs *logging.Logs) string {
	t.Helper()
	if logs == nil {
		logs = logging.Discard()
	}
	a, err := app.New(context.Background(), cfg, logs, "test", app.WithFastPasswords())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv.URL
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func send(t *testing.T, method, url, token string, body any) reply {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return reply{status: res.StatusCode, header: res.Header, body: m}
}

// register creates a firm through base and returns the owner's access token.
func register(t *testing.T, base string) string {
	t.Helper()
	name := "u" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	r := send(t, "POST", base+"/api/auth/register/", "", map[string]any{"firm_name": "Firm " + name,
		"username": name, "email": name + "@firm.example", "password": "correct horse battery staple"})
	if r.status != 201 {
		t.Fatalf("register: %d %v", r.status, r.body)
	}
	return r.body["access"].(string)
}

func throttledMessage(t *testing.T, r reply) string {
	t.Helper()
	e, _ := r.body["error"].(map[string]any)
	if e["type"] != "Throttled" || e["code"] != "TOO_MANY_REQUESTS" {
		t.Fatalf("429 envelope = %v", r.body)
	}
	return e["message"].(string)
}

func TestBurstLimit(t *testing.T) {
	t.Parallel()
	base := startApp(t, limitedConfig(t), nil)
	token := register(t, base)
	var last reply
	allowed := 0
	for i := 0; i < 101; i++ {
		last = send(t, "GET", base+"/api/auth/profile/", token, nil)
		if last.status == 200 {
			allowed++
			if got := last.header.Get("X-RateLimit-Limit"); got != "100" {
				t.Fatalf("X-RateLimit-Limit = %q, want the tightest scope's 100", got)
			}
			if got := last.header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(100-allowed) {
				t.Fatalf("request %d: X-RateLimit-Remaining = %q, want %d", i+1, got, 100-allowed)
			}
			reset, err := strconv.ParseInt(last.header.Get("X-RateLimit-Reset"), 10, 64)
			if err != nil || reset < time.Now().Unix() {
				t.Fatalf("X-RateLimit-Reset = %q", last.header.Get("X-RateLimit-Reset"))
			}
		}
	}
	if allowed != 100 || last.status != 429 {
		t.Fatalf("allowed %d, 101st answered %d; want 100 and 429", allowed, last.status)
	}
	secs, err := strconv.Atoi(last.header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 60 {
		t.Fatalf("Retry-After = %q", last.header.Get("Retry-After"))
	}
	if msg := throttledMessage(t, last); msg != fmt.Sprintf("Request was throttled. Expected available in %d seconds.", secs) {
		t.Fatalf("message = %q", msg)
	}
	// Another user (another key) is not affected.
	if r := send(t, "GET", base+"/api/auth/profile/", register(t, base), nil); r.status != 200 {
		t.Fatalf("another user: %d", r.status)
	}
}

func TestAnonLimitOnUnauthenticatedEndpoints(t *testing.T) {
	t.Parallel()
	base := startApp(t, limitedConfig(t), nil)
	statuses := map[int]int{}
	var last reply
	for i := 0; i < 21; i++ {
		last = send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": fmt.Sprintf("nobody%d", i), "password": "wrong password here"})
		statuses[last.status]++
	}
	if statuses[401] != 20 || statuses[429] != 1 || last.status != 429 {
		t.Fatalf("statuses = %v, want 20×401 then 429", statuses)
	}
	if last.header.Get("X-RateLimit-Limit") != "20" {
		t.Fatalf("tightest limit on login = %q, want 20 (anon)", last.header.Get("X-RateLimit-Limit"))
	}
	throttledMessage(t, last)
}

// TestOperationalEndpointsAreNotThrottled checks that the health probes, /metrics, the schema
// and the documentation pages are outside every rate-limit scope: with tiny anon and burst
// budgets, far more probes than either allows all succeed from one IP, carry no X-RateLimit
// headers, and leave login's anonymous budget untouched.
func TestOperationalEndpointsAreNotThrottled(t *testing.T) {
	t.Parallel()
	cfg := limitedConfig(t)
	cfg.RateAnon, cfg.RateBurst = "2/hour", "5/min"
	base := startApp(t, cfg, nil)
	name := "probe" + uuid.NewString()[:8]
	// The first of the two anonymous requests this IP may make in the hour.
	r := send(t, "POST", base+"/api/auth/register/", "", map[string]any{"firm_name": "Probed", "username": name,
		"email": name + "@firm.example", "password": "correct horse battery staple"})
	if r.status != 201 {
		t.Fatalf("register: %d %v", r.status, r.body)
	}
	paths := []string{"/healthz", "/healthz/", "/readyz", "/readyz/", "/metrics",
		"/api/schema/", "/api/schema/?format=yaml", "/api/docs/", "/api/redoc/",
		"/api/docs/assets/swagger-ui.css", "/api/docs/assets/redoc.standalone.js"}
	for _, path := range paths {
		for i := 1; i <= 8; i++ {
			res, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("GET %s, probe %d: %d, want 200 (never throttled)", path, i, res.StatusCode)
			}
			if got := res.Header.Get("X-RateLimit-Limit"); got != "" {
				t.Fatalf("GET %s: X-RateLimit-Limit = %q, want none (no scope applies)", path, got)
			}
		}
	}
	// The second anonymous request: login still has its budget and answers normally.
	r = send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": name, "password": "correct horse battery staple"})
	if r.status != 200 || r.body["access"] == nil {
		t.Fatalf("login after %d probes: %d %v, want 200 with tokens", 8*len(paths), r.status, r.body)
	}
	if got := r.header.Get("X-RateLimit-Remaining"); got != "0" {
		t.Fatalf("login's X-RateLimit-Remaining = %q, want 0 (register and login only spent the anon budget)", got)
	}
	// The budget is exactly register + login: a third anonymous request is refused.
	r = send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": name, "password": "correct horse battery staple"})
	if r.status != 429 {
		t.Fatalf("third anonymous request: %d, want 429", r.status)
	}
	throttledMessage(t, r)
}

func TestLoginFailuresPerUsername(t *testing.T) {
	t.Parallel()
	cfg := limitedConfig(t)
	cfg.RateAnon = "1000/hour" // isolate the per-username rule from the per-IP one
	base := startApp(t, cfg, nil)
	name := "victim" + uuid.NewString()[:8]
	r := send(t, "POST", base+"/api/auth/register/", "", map[string]any{"firm_name": "V", "username": name,
		"email": name + "@firm.example", "password": "correct horse battery staple"})
	if r.status != 201 {
		t.Fatal(r.body)
	}
	for i := 0; i < 10; i++ {
		if r := send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": strings.ToUpper(name), "password": "not the password"}); r.status != 401 {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	// The 11th attempt is refused before the password is checked, even with the right one.
	r = send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": name, "password": "correct horse battery staple"})
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures: %d %v", r.status, r.header)
	}
	throttledMessage(t, r)
	// Another username is not affected.
	if r := send(t, "POST", base+"/api/auth/login/", "", map[string]any{"username": "someone-else", "password": "x"}); r.status != 401 {
		t.Fatalf("other username: %d", r.status)
	}
}

// redisURL is the test Redis; CI must provide one.
func redisURL(t *testing.T) string {
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("TEST_REDIS_URL is not set; CI must provide Redis")
		}
		t.Skip("TEST_REDIS_URL not set")
	}
	return u
}

// sharedRedis gives cfg the test Redis under a key prefix of the test's own: its servers share
// their limits and versions with each other only, so a run's budgets do not carry into the next
// run within the hour.
func sharedRedis(t *testing.T, cfg *config.Config) {
	cfg.RedisURL = redisURL(t)
	cfg.RedisPrefix = "test-" + uuid.NewString()[:8] + ":"
}

// TestRedisSharesLimitsAcrossInstances runs alone (not in parallel) with a bounded number of
// requests in flight: the limiter falls back to memory when Redis answers slower than its
// 250 ms timeout, which a machine saturated by the rest of the suite under -race can cause.
func TestRedisSharesLimitsAcrossInstances(t *testing.T) {
	cfg := limitedConfig(t)
	sharedRedis(t, &cfg)
	first := startApp(t, cfg, nil)
	second := startApp(t, cfg, nil) // same database, same key, same Redis: a second instance
	token := register(t, first)
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	inFlight := make(chan struct{}, 8)
	for i := 0; i < 120; i++ {
		base := first
		if i%2 == 1 {
			base = second
		}
		wg.Add(1)
		inFlight <- struct{}{}
		go func() {
			defer func() { <-inFlight; wg.Done() }()
			if send(t, "GET", base+"/api/auth/profile/", token, nil).status == 200 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("%d of 120 requests allowed across two instances, want 100", allowed)
	}
}

func TestUnreachableRedisFallsBackToMemory(t *testing.T) {
	t.Parallel()
	cfg := limitedConfig(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.RedisURL = "redis://" + ln.Addr().String() + "/0"
	ln.Close() // nothing listens there now
	var buf testkit.SyncBuffer
	logs, err := logging.New(logging.Options{Console: &buf})
	if err != nil {
		t.Fatal(err)
	}
	base := startApp(t, cfg, logs)
	token := register(t, base)
	allowed := 0
	for i := 0; i < 101; i++ {
		if send(t, "GET", base+"/api/auth/profile/", token, nil).status == 200 {
			allowed++
		}
	}
	if allowed != 100 {
		t.Fatalf("with Redis down, %d of 101 allowed; the in-process limits must still apply", allowed)
	}
	if !strings.Contains(strings.ToLower(buf.String()), "redis") {
		t.Fatalf("the switch to in-process limits was not logged:\n%s", buf.String())
	}
}

// TestRedisClientLogsAreJSON checks that go-redis's own lines (here: the failed dials while
// Redis is down) reach the app's log as JSON at WARN, and that the log holds nothing else but
// JSON lines. go-redis's logger is process-wide and follows the app started last, so this test
// does not run in parallel with others.
func TestRedisClientLogsAreJSON(t *testing.T) {
	cfg := limitedConfig(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.RedisURL = "redis://" + ln.Addr().String() + "/0"
	ln.Close() // nothing listens there now
	var buf testkit.SyncBuffer
	logs, err := logging.New(logging.Options{Console: &buf})
	if err != nil {
		t.Fatal(err)
	}
	base := startApp(t, cfg, logs)
	token := register(t, base)
	for range 3 {
		if r := send(t, "GET", base+"/api/crm/clients/", token, nil); r.status != 200 {
			t.Fatalf("list with Redis down: %d %v", r.status, r.body)
		}
	}
	dials := 0
	for i, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %d is not JSON: %q", i+1, line)
		}
		if entry["msg"] != "redis client" {
			continue
		}
		detail, _ := entry["detail"].(string)
		if entry["level"] != "WARN" || !strings.HasPrefix(detail, "connection pool: failed to dial") {
			t.Fatalf("go-redis line = %v, want level WARN and the pool's dial failure in detail", entry)
		}
		dials++
	}
	if dials == 0 {
		t.Fatalf("go-redis's failed dials are not in the app's log:\n%s", buf.String())
	}
}

// TestRedisPrefixSeparatesDeployments runs two deployments with different REDIS_PREFIX values on
// one Redis database: each keeps its own rate-limit budget, while a second server of the same
// deployment shares it; the keys of each live under its prefix.
func TestRedisPrefixSeparatesDeployments(t *testing.T) {
	t.Parallel()
	run := uuid.NewString()[:8]
	blue, green := "test-"+run+"-blue:", "test-"+run+"-green:"
	cfg := limitedConfig(t)
	cfg.RedisURL, cfg.RateBurst = redisURL(t), "5/min"
	cfg.RedisPrefix = blue
	first := startApp(t, cfg, nil)
	second := startApp(t, cfg, nil) // another server of the blue deployment
	cfg.RedisPrefix = green
	other := startApp(t, cfg, nil) // the same database, users and Redis: only the prefix differs
	token := register(t, first)
	// A write on green: one of the user's five requests there, and a data version bump.
	if r := send(t, "POST", other+"/api/crm/clients/", token, map[string]any{"company_name": "Prefixed Ltd",
		"primary_contact_name": "Grace Hopper", "primary_contact_email": "grace@prefixed.example"}); r.status != 201 {
		t.Fatalf("create client on green: %d %v", r.status, r.body)
	}
	statuses := func(base string, n int) []int {
		var got []int
		for range n {
			got = append(got, send(t, "GET", base+"/api/crm/clients/", token, nil).status)
		}
		return got
	}
	if got := statuses(first, 6); !slices.Equal(got, []int{200, 200, 200, 200, 200, 429}) {
		t.Fatalf("blue: %v, want 5×200 then 429", got)
	}
	if got := statuses(second, 1); !slices.Equal(got, []int{429}) {
		t.Fatalf("a second blue server: %v, want 429 (blue's budget is shared through Redis)", got)
	}
	if got := statuses(other, 5); !slices.Equal(got, []int{200, 200, 200, 200, 429}) {
		t.Fatalf("green after blue spent its budget: %v, want its own budget: 4×200 (the write took one) then 429", got)
	}
	rdb := redisClient(t)
	for _, prefix := range []string{blue + "rl:", green + "rl:", green + "data-version:"} {
		keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Errorf("no Redis key starts with %q", prefix)
		}
	}
}

// redisClient is a client of the test Redis, closed at cleanup.
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(redisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func TestSlowClientIsCutOff(t *testing.T) {
	t.Parallel()
	a, err := app.New(context.Background(), testkit.Config(t), logging.Discard(), "test", app.WithFastPasswords())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := app.NewServer(a.Handler())
	srv.ReadHeaderTimeout = 300 * time.Millisecond // the production value is seconds; the behaviour is the same
	go srv.Serve(ln)
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")); err != nil { // headers never finish
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	// The server gives up on the request: it closes the connection (after at most a 408).
	if err == nil && !strings.Contains(string(buf[:n]), "408") {
		t.Fatalf("slow client got %q", buf[:n])
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a slow client's connection open")
	}
}
