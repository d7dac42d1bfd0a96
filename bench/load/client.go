package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// checkLoopback refuses any target that is not on this machine's loopback interface.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("target %q: %w", raw, err)
	}
	if u.Scheme != "http" {
		return fmt.Errorf("target %q: only http:// on a loopback address is allowed", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("target %q: only loopback addresses (127.0.0.0/8, ::1, localhost) may be targeted", raw)
	}
	return nil
}

// newClient returns a client tuned so that it is not the bottleneck: keep-alive connections,
// one idle connection kept per worker, no compression, no proxy, no redirects.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		WriteBufferSize:     16 << 10,
		ReadBufferSize:      64 << 10,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// api talks to the server under test outside the measured loops (login, discovery, setup).
type api struct {
	base   string
	client *http.Client
}

// statusError is a non-2xx answer.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.method, e.path, e.status, e.body)
}

// send sends a JSON request (body may be nil) and returns the exact bytes of a 2xx answer.
func (a *api) send(ctx context.Context, method, path, token string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, &statusError{method: method, path: path, status: resp.StatusCode, body: truncate(string(raw), 400)}
	}
	return raw, nil
}

// call sends a JSON request and decodes a 2xx answer into out (when not nil).
func (a *api) call(ctx context.Context, method, path, token string, body, out any) error {
	raw, err := a.send(ctx, method, path, token, body)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	return nil
}

// login signs a user in and returns the access token.
func (a *api) login(ctx context.Context, username, password string) (string, error) {
	var out struct {
		Access string `json:"access"`
	}
	err := a.call(ctx, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": username, "password": password}, &out)
	if err != nil {
		return "", fmt.Errorf("log in as %s: %w", username, err)
	}
	if out.Access == "" {
		return "", fmt.Errorf("log in as %s: no access token in the answer", username)
	}
	return out.Access, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
