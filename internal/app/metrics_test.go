package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestMetricsToken: with METRICS_TOKEN set, /metrics answers only a request bearing that token
// (on the API address and on METRICS_ADDR alike); others get 401 in the envelope.
func TestMetricsToken(t *testing.T) {
	t.Parallel()
	const token = "k2Jq9vX4mR7tW1zB8nL5cH3fP6sD0gY2"
	srv := testkit.StartServer(t, func(c *config.Config) { c.MetricsToken = token }, nil)
	separate := httptest.NewServer(srv.App.MetricsHandler())
	t.Cleanup(separate.Close)

	for _, base := range []string{srv.URL, separate.URL} {
		for _, tt := range []struct {
			name, authorization, wantType string
		}{
			{"no token", "", "NotAuthenticated"},
			{"wrong token", "Bearer " + token + "x", "AuthenticationFailed"},
			{"token of another scheme", "Basic " + token, "AuthenticationFailed"},
		} {
			resp, body := metricsGet(t, base, tt.authorization)
			e := decodeEnvelope(t, resp, body, http.StatusUnauthorized)
			if e.Type != tt.wantType {
				t.Errorf("%s %s: type %s, want %s", base, tt.name, e.Type, tt.wantType)
			}
			if strings.Contains(string(body), "go_goroutines") {
				t.Errorf("%s %s: metrics served", base, tt.name)
			}
		}
		resp, body := metricsGet(t, base, "Bearer "+token)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "go_goroutines") {
			t.Errorf("%s with the token: %d\n%.200s", base, resp.StatusCode, body)
		}
	}
}

func metricsGet(t *testing.T, base, authorization string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}
