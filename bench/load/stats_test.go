package load

import (
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		values []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 0.99, 0},
		{"one value", []time.Duration{7}, 0.5, 7},
		{"p50 of 1..100", hundred, 0.50, 50 * time.Millisecond},
		{"p95 of 1..100", hundred, 0.95, 95 * time.Millisecond},
		{"p99 of 1..100", hundred, 0.99, 99 * time.Millisecond},
		{"p100 is the maximum", hundred, 1, 100 * time.Millisecond},
		{"p99 of 10 is the maximum", hundred[:10], 0.99, 10 * time.Millisecond},
		{"p50 of 4 is the second", []time.Duration{1, 2, 3, 4}, 0.5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.values, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %s, want %s", tt.p, got, tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		values []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.values)
		if got := median(in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.values, got, tt.want)
		}
		if !slices.Equal(in, tt.values) {
			t.Errorf("median reordered its argument: %v", in)
		}
	}
}

func TestSummarizeTakesMediansAndCountsEveryError(t *testing.T) {
	ms := time.Millisecond
	s := summarize([]result{
		{Requests: 100, RPS: 10, P50: 1 * ms, P95: 5 * ms, P99: 9 * ms, Max: 20 * ms, Bytes: 500},
		{Requests: 300, RPS: 30, P50: 3 * ms, P95: 7 * ms, P99: 30 * ms, Max: 90 * ms, Errors: 2, Bytes: 500},
		{Requests: 200, RPS: 20, P50: 2 * ms, P95: 6 * ms, P99: 10 * ms, Max: 40 * ms, Bytes: 500},
	})
	want := summary{Requests: 200, RPS: 20, P50: 2 * ms, P95: 6 * ms, P99: 10 * ms, Max: 40 * ms, Bytes: 500, Errors: 2, Runs: 3}
	if s != want {
		t.Errorf("summarize = %+v, want %+v", s, want)
	}
	if s.OK() {
		t.Error("a summary with errors in one run must not be a result")
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8000", "http://127.1.2.3:80/x", "http://localhost:8000", "http://[::1]:8000"} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("checkLoopback(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8000", "http://192.168.1.2", "http://example.com", "https://127.0.0.1:8000", "127.0.0.1:8000", "http://0.0.0.0:8000"} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("checkLoopback(%q) = nil, want an error", bad)
		}
	}
}

func TestParseOptions(t *testing.T) {
	o, err := ParseOptions([]string{"--database-url", "sqlite:/tmp/x.db", "--duration", "3s", "--runs", "1",
		"--scenarios", "project-list, bare"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Concurrency != 64 || o.WriteConcurrency != 16 || o.Duration != 3*time.Second || o.Runs != 1 ||
		o.Username != DefaultUsername || !slices.Equal(o.Scenarios, []string{"project-list", "bare"}) {
		t.Errorf("options = %+v", o)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no target", nil, "exactly one of"},
		{"two targets", []string{"--database-url", "sqlite:x.db", "--url", "http://127.0.0.1:1"}, "exactly one of"},
		{"remote target", []string{"--url", "http://192.168.0.10:8000"}, "only loopback"},
		{"generate needs a database", []string{"--url", "http://127.0.0.1:8000", "--generate", "small"}, "--generate needs"},
		{"unknown scenario", []string{"--database-url", "sqlite:x.db", "--scenarios", "nope"}, `unknown scenario "nope"`},
		{"zero concurrency", []string{"--database-url", "sqlite:x.db", "--concurrency", "0"}, "at least 1"},
		{"remote pprof", []string{"--database-url", "sqlite:x.db", "--pprof", "0.0.0.0:6060"}, "--pprof"},
		{"unknown search terms", []string{"--database-url", "sqlite:x.db", "--search-terms", "emails"}, "--search-terms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOptions(tt.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseOptions(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	got := searchTerms([]string{"Northwind Traders", "Client 12 Holdings", "Acme & Co", "northwind Group", "Ö Mürren AG"})
	want := []string{"northwind", "acme", "m%C3%BCrren"}
	if !slices.Equal(got, want) {
		t.Errorf("searchTerms = %q, want %q", got, want)
	}
}

func TestNameTerms(t *testing.T) {
	got := nameTerms([]string{"Acme Labs Inc 21", "Ö Mürren AG"})
	want := []string{"acme+labs+inc+21", "%C3%B6+m%C3%BCrren+ag"}
	if !slices.Equal(got, want) {
		t.Errorf("nameTerms = %q, want %q", got, want)
	}
}

func TestProcessTicks(t *testing.T) {
	stat := "4242 (postgres: load (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 0 0 20 0 1 0 100 0 0"
	name, ticks, ok := processTicks(stat)
	if !ok || name != "postgres: load (x)" || ticks != 175 {
		t.Errorf("processTicks = %q, %d, %v; want the name with its parentheses and 150+25 ticks", name, ticks, ok)
	}
	if _, _, ok := processTicks("garbage"); ok {
		t.Error("processTicks accepted a line without a command name")
	}
}

func TestCPUUseSplitsTheMachine(t *testing.T) {
	before := cpuSample{busy: 100, total: 1000, self: 10, db: map[string]uint64{"/proc/1/stat": 5, "/proc/2/stat": 7}, ok: true}
	after := cpuSample{busy: 300, total: 1200, self: 90, db: map[string]uint64{"/proc/1/stat": 45, "/proc/3/stat": 20}, ok: true}
	got := cpuUse(before, after)
	// 200 busy ticks of 200: 80 this process, 40+20 PostgreSQL (pid 2 ended, pid 3 began), 60 other.
	want := cpuShares{Self: 0.4, DB: 0.3, Other: 0.3, Known: true}
	if got != want {
		t.Errorf("cpuUse = %+v, want %+v", got, want)
	}
	if got := cpuUse(cpuSample{}, after); got.Known {
		t.Errorf("cpuUse without a first reading = %+v, want unknown", got)
	}
}

// On Linux the report can give the peak RSS of the process: a positive figure in MiB.
func TestPeakRSS(t *testing.T) {
	mib, ok := peakRSS()
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	if !ok || mib <= 1 || mib > 1<<20 {
		t.Fatalf("peakRSS = %v MiB, %v; want a plausible figure", mib, ok)
	}
}
