// Command export measures one CSV or XLSX export of a list against a server process of its own:
// how soon the answer starts (headers, first body byte), how long the whole file takes, and how
// much the server's resident memory grows while it streams.
//
//	go build -o /tmp/consultantpro ./cmd/consultantpro
//	go run ./bench/cmd/gen --database-url sqlite:/tmp/large.db --scale large
//	go run ./bench/cmd/export --bin /tmp/consultantpro --database-url sqlite:/tmp/large.db --format csv
//
// The server is started with the given database on a loopback address, warmed up with one JSON
// page of the same list, and stopped at the end. Memory is the server's VmRSS from
// /proc/<pid>/status, sampled every 10 ms; growth is the peak during the export less the value
// just before it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/consultantpro/consultantpro/bench/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "", "the consultantpro binary to start (required)")
	dbURL := fs.String("database-url", "", "the generated firm's database (required)")
	addr := fs.String("addr", "127.0.0.1:18471", "loopback address the server listens on")
	path := fs.String("path", "/api/v1/projects/time-entries/", "the list to export")
	query := fs.String("query", "", "extra list parameters, e.g. is_billable=true")
	format := fs.String("format", "csv", "csv or xlsx")
	user := fs.String("username", gen.DefaultUserPrefix+"-owner", "who exports")
	password := fs.String("password", gen.DefaultPassword, "their password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *dbURL == "" {
		return fmt.Errorf("--bin and --database-url are required")
	}
	if !strings.HasPrefix(*addr, "127.") && !strings.HasPrefix(*addr, "localhost:") {
		return fmt.Errorf("--addr must be a loopback address")
	}
	dir, err := os.MkdirTemp("", "export-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, *bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+*dbURL, "ADDR="+*addr, "DATA_DIR="+dir, "LOG_DIR="+dir,
		"RATE_ANON=1000/hour", "RATE_UPLOAD=1000/hour")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	base := "http://" + *addr
	if err := waitHealthy(ctx, base); err != nil {
		return err
	}
	token, err := login(ctx, base, *user, *password)
	if err != nil {
		return err
	}
	list := base + *path + "?" + *query
	if _, err := get(ctx, list, token); err != nil { // warm-up: one JSON page
		return err
	}
	pid := cmd.Process.Pid
	before, err := rss(pid)
	if err != nil {
		return err
	}
	var peak atomic.Int64
	peak.Store(before)
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if v, err := rss(pid); err == nil && v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	res, err := exportOnce(ctx, list+"&format="+*format, token)
	close(done)
	<-sampled
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "format %s, %d bytes, %d lines\n", *format, res.bytes, res.lines)
	fmt.Fprintf(stdout, "headers after %v, first body byte after %v, whole file after %v\n",
		res.headers.Round(time.Millisecond), res.firstByte.Round(time.Millisecond), res.total.Round(time.Millisecond))
	fmt.Fprintf(stdout, "server RSS before %.1f MiB, peak %.1f MiB, growth %.1f MiB\n",
		mib(before), mib(peak.Load()), mib(peak.Load()-before))
	return nil
}

type result struct {
	headers, firstByte, total time.Duration
	bytes, lines              int64
}

// exportOnce downloads the export, timing its headers, first body byte and end.
func exportOnce(ctx context.Context, url, token string) (result, error) {
	var r result
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return r, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return r, err
	}
	defer res.Body.Close()
	r.headers = time.Since(start)
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return r, fmt.Errorf("status %d: %s", res.StatusCode, b)
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		if n > 0 && r.bytes == 0 {
			r.firstByte = time.Since(start)
		}
		r.bytes += int64(n)
		r.lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, err
		}
	}
	r.total = time.Since(start)
	return r, nil
}

func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server did not become healthy")
}

func login(ctx context.Context, base, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/auth/login/", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct {
		Access string `json:"access"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Access == "" {
		return "", fmt.Errorf("login as %s failed (status %d)", user, res.StatusCode)
	}
	return out.Access, nil
}

func get(ctx context.Context, url, token string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d: %s", url, res.StatusCode, b)
	}
	return b, err
}

// rss is the process's resident set size in bytes (VmRSS in /proc/<pid>/status).
func rss(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
