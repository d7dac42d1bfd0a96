package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the Prometheus registry of one server (no global registry, so tests and several
// servers in one process never collide) and the request metrics the platform records.
type Metrics struct {
	Registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	throttled *prometheus.CounterVec
	cache     *prometheus.CounterVec
}

// NewMetrics creates a registry with the Go runtime and process collectors and the HTTP request
// metrics, labelled by route template (never by raw path, which would explode cardinality).
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consultantpro_http_requests_total",
			Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "consultantpro_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route template.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consultantpro_ratelimit_rejections_total",
			Help: "Requests refused with 429, by rate-limit scope.",
		}, []string{"scope"}),
	}
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "consultantpro_response_cache_total",
		Help: "Cacheable list requests by result: hit, miss or bypass (data version unknown).",
	}, []string{"result"})
	reg.MustRegister(m.requests, m.latency, m.throttled, m.cache,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) observe(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// countCache counts one cacheable request by result; a nil Metrics counts nothing.
func (m *Metrics) countCache(result string) {
	if m != nil {
		m.cache.WithLabelValues(result).Inc()
	}
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// MsgBadMetricsToken refuses a request for /metrics with the wrong token.
const MsgBadMetricsToken = "Invalid token for /metrics."

// RequireToken serves h only to requests that carry "Authorization: Bearer <token>"; others
// get 401 in the envelope. The tokens are compared as SHA-256 digests in constant time, so the
// comparison reveals neither the token nor its length.
func RequireToken(token string, h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := strings.TrimSpace(r.Header.Get("Authorization"))
		scheme, got, _ := strings.Cut(header, " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if header == "" || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			err := fault.New(fault.AuthFailed, MsgBadMetricsToken)
			if header == "" {
				err = fault.New(fault.Unauthenticated, MsgNotAuthenticated)
			}
			WriteError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}
