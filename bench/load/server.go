package load

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// raisedRate is every rate-limit scope's rate in the in-process server: the limiter still runs
// on every request (its cost is part of the measurement) but never refuses one.
const raisedRate = "100000000/min"

// serverConfig is the in-process server's configuration, built through config.Load from
// settings as a deployment would give them, with the rate limits raised.
func serverConfig(o Options, logDir string, stderr io.Writer) (config.Config, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return config.Config{}, err
	}
	env := map[string]string{
		"ENV":                 config.ModeLocal,
		"DATABASE_URL":        o.DatabaseURL,
		"REDIS_URL":           o.RedisURL,
		"RESPONSE_CACHE_MB":   o.ResponseCacheMB,
		"LOG_DIR":             logDir,
		"SECRET_KEY":          hex.EncodeToString(secret),
		"ALLOWED_HOSTS":       "127.0.0.1,localhost",
		"ACCESS_TOKEN_TTL":    "12h", // outlives the longest measurement, so no token expires mid-run
		"RATE_BURST":          raisedRate,
		"RATE_SUSTAINED":      raisedRate,
		"RATE_ANON":           raisedRate,
		"RATE_PAYMENT":        raisedRate,
		"RATE_UPLOAD":         raisedRate,
		"RATE_LOGIN_FAILURES": raisedRate,
	}
	cfg, _, err := config.Load("load", nil, func(k string) string { return env[k] }, stderr)
	return cfg, err
}

// inProcess is the ConsultantPro server the harness started.
type inProcess struct {
	app    *app.App
	logs   *logging.Logs
	srv    *http.Server
	URL    string
	tmpDir string
}

// startServer starts ConsultantPro on a free loopback port against the options' database.
func startServer(ctx context.Context, o Options, stderr io.Writer) (*inProcess, error) {
	p := &inProcess{}
	var logs *logging.Logs
	logDir := o.LogDir
	switch {
	case o.NoLogs:
		logs = logging.Discard()
	default:
		if logDir == "" {
			dir, err := os.MkdirTemp("", "consultantpro-load-logs-")
			if err != nil {
				return nil, err
			}
			p.tmpDir, logDir = dir, dir
		}
		var err error
		if logs, err = logging.New(logging.Options{Dir: logDir}); err != nil {
			p.cleanup()
			return nil, err
		}
	}
	p.logs = logs
	cfg, err := serverConfig(o, logDir, stderr)
	if err != nil {
		p.cleanup()
		return nil, err
	}
	var opts []app.Option
	if o.fastPasswords {
		opts = append(opts, app.WithFastPasswords())
	}
	a, err := app.New(ctx, cfg, logs, "load", opts...)
	if err != nil {
		p.cleanup()
		return nil, fmt.Errorf("start the server: %w", err)
	}
	p.app = a
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		p.Close()
		return nil, err
	}
	p.srv = app.NewServer(a.Handler())
	p.URL = "http://" + ln.Addr().String()
	go serve(p.srv, ln, stderr)
	return p, nil
}

// Close stops the server and releases the database and logs.
func (p *inProcess) Close() {
	if p.srv != nil {
		_ = p.srv.Close()
	}
	if p.app != nil {
		_ = p.app.Close()
	}
	p.cleanup()
}

func (p *inProcess) cleanup() {
	if p.logs != nil {
		_ = p.logs.Close()
	}
	if p.tmpDir != "" {
		_ = os.RemoveAll(p.tmpDir)
	}
}

func serve(srv *http.Server, ln net.Listener, stderr io.Writer) {
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "load: server on %s stopped: %v\n", ln.Addr(), err)
	}
}

// bare is the reference endpoint: a plain net/http handler answering every request with the same
// precomputed bytes, with the server timeouts of the real one.
type bare struct {
	srv *http.Server
	URL string
}

// startBare serves body as application/json on a free loopback port.
func startBare(body []byte, stderr io.Writer) (*bare, error) {
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", length)
		_, _ = w.Write(body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bare{srv: app.NewServer(h), URL: "http://" + ln.Addr().String() + "/bare"}
	go serve(b.srv, ln, stderr)
	return b, nil
}

// Close stops the bare endpoint.
func (b *bare) Close() { _ = b.srv.Close() }

// startPprof serves the runtime profiles of this process (the harness and the in-process
// server) on a loopback address, on a mux of its own.
func startPprof(addr string, stderr io.Writer) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux}
	go serve(srv, ln, stderr)
	fmt.Fprintf(stderr, "load: pprof on http://%s/debug/pprof/\n", ln.Addr())
	return srv, nil
}

// cacheState says whether the server answers repeated lists from its response cache.
func (s *inProcess) cacheState() string {
	if s.app.API.CacheEnabled() {
		return "on"
	}
	return "off"
}
