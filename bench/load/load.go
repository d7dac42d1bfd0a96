package load

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Main parses the command line and runs the harness.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := ParseOptions(args, stderr)
	if err != nil {
		return err
	}
	return Run(ctx, o, stdout, stderr)
}

// Run measures every selected scenario Runs times and writes the report to stdout; progress goes
// to stderr.
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	out, err := collect(ctx, o, stderr)
	if out != nil && len(out.runs) > 0 {
		if err != nil {
			out.env.Method += fmt.Sprintf("; **interrupted** (%v): only the runs finished before are shown", err)
		}
		report(stdout, out.env, out.scenarios, o, out.runs)
	}
	return err
}

// outcome is what a measurement produced.
type outcome struct {
	env       environment
	scenarios []scenario
	runs      map[string][]result
}

// collect prepares the target (data, server, fixture, writers, bare endpoint) and measures.
func collect(ctx context.Context, o Options, stderr io.Writer) (*outcome, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	base, target := o.URL, "running server at "+o.URL
	if base == "" {
		srv, err := startServer(ctx, o, stderr)
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		base, target = srv.URL, "in-process on "+redact(o.DatabaseURL)+", list response cache "+srv.cacheState()
	}
	if o.PprofAddr != "" {
		ps, err := startPprof(o.PprofAddr, stderr)
		if err != nil {
			return nil, err
		}
		defer ps.Close()
	}
	client := newClient(max(o.Concurrency, o.WriteConcurrency))
	defer client.CloseIdleConnections()
	a := &api{base: base, client: client}
	o, err := ensureData(ctx, a, o, stderr)
	if err != nil {
		return nil, err
	}
	f, err := discover(ctx, a, o)
	if err != nil {
		return nil, err
	}
	selected := func(name string) bool { return len(o.Scenarios) == 0 || slices.Contains(o.Scenarios, name) }
	if selected(ScenarioTimeEntryCreate) {
		if err := ensureWriters(ctx, a, f, o); err != nil {
			return nil, err
		}
	}
	// The bare endpoint serves the exact bytes of a project list answer.
	body, err := a.send(ctx, http.MethodGet, "/api/projects/projects/?page_size=50", f.ownerToken, nil)
	if err != nil {
		return nil, err
	}
	b, err := startBare(body, stderr)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	env := environment{
		Machine: fmt.Sprintf("%d CPUs (runtime.NumCPU), GOMAXPROCS %d, %s/%s, %s; the harness's client shares the machine",
			runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		Target: target,
		Data:   dataSize(ctx, a, f.ownerToken),
		Method: fmt.Sprintf("%d run(s) × %s per scenario after a %s warm-up, the runs of the reads round-robin, then those of time-entry create; %d connections (time-entry create %d); figures are medians of the runs; any non-2xx answer is an error",
			o.Runs, o.Duration, o.Warmup, o.Concurrency, o.WriteConcurrency),
		When: time.Now(),
	}
	scs := buildScenarios(base, b.URL, f, o)
	runs, err := measure(ctx, client, scs, o, stderr)
	env.Memory = memoryLine(o.URL == "")
	return &outcome{env: env, scenarios: scs, runs: runs}, err
}

// measurement is the state of one measure call.
type measurement struct {
	client *http.Client
	o      Options
	prof   *profiler
	seqs   map[string]*atomic.Uint64 // request numbers per scenario, across runs
	runs   map[string][]result
	stderr io.Writer
}

// measure drives the scenarios: run 1 of every read scenario, then run 2 of every one, and so
// on, so that a passing disturbance of the machine spoils one run of several scenarios rather
// than every run of one; then the runs of the write scenarios, so that every run of a read
// scenario sees the same data.
func measure(ctx context.Context, client *http.Client, scs []scenario, o Options, stderr io.Writer) (map[string][]result, error) {
	prof, err := newProfiler(o)
	if err != nil {
		return nil, err
	}
	defer prof.close()
	m := &measurement{client: client, o: o, prof: prof, seqs: map[string]*atomic.Uint64{},
		runs: map[string][]result{}, stderr: stderr}
	var reads, writes []scenario
	for _, sc := range scs {
		m.seqs[sc.name] = new(atomic.Uint64)
		if sc.write {
			writes = append(writes, sc)
		} else {
			reads = append(reads, sc)
		}
	}
	if o.ProfileScenario == "all" {
		if err := prof.start(); err != nil {
			return nil, err
		}
	}
	for _, group := range [][]scenario{reads, writes} {
		if err := m.group(ctx, group); err != nil {
			return m.runs, err // the runs finished so far, for a partial report
		}
	}
	return m.runs, nil
}

// group runs each scenario of scs o.Runs times, round-robin.
func (m *measurement) group(ctx context.Context, scs []scenario) error {
	o := m.o
	for run := 1; run <= o.Runs; run++ {
		for _, sc := range scs {
			n := conns(sc, o)
			if o.Warmup > 0 {
				drive(ctx, m.client, sc, n, o.Warmup, m.seqs[sc.name])
			}
			profiled := run == 1 && sc.name == o.ProfileScenario
			if profiled {
				if err := m.prof.start(); err != nil {
					return err
				}
			}
			r := drive(ctx, m.client, sc, n, o.Duration, m.seqs[sc.name])
			for r.disturbed(o) && r.Retried < o.Retries && ctx.Err() == nil {
				fmt.Fprintf(m.stderr, "load: run %d/%d %-18s disturbed (other processes used %s of the CPU): repeating it\n",
					run, o.Runs, sc.name, pct(r.CPU.Other, true))
				retried := r.Retried + 1
				r = drive(ctx, m.client, sc, n, o.Duration, m.seqs[sc.name])
				r.Retried = retried
			}
			if profiled {
				m.prof.stop()
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			m.runs[sc.name] = append(m.runs[sc.name], r)
			fmt.Fprintf(m.stderr, "load: run %d/%d %-18s %3d conns %8.0f req/s  p50 %7s  p99 %7s ms  errors %d  cpu self %s db %s other %s\n",
				run, o.Runs, sc.name, n, r.RPS, ms(r.P50), ms(r.P99), r.Errors,
				pct(r.CPU.Self, r.CPU.Known), pct(r.CPU.DB, r.CPU.Known), pct(r.CPU.Other, r.CPU.Known))
		}
	}
	return nil
}

// profiler writes one CPU profile to the options' file, when one is asked for.
type profiler struct {
	file    *os.File
	running bool
}

func newProfiler(o Options) (*profiler, error) {
	if o.CPUProfile == "" {
		return &profiler{}, nil
	}
	f, err := os.Create(o.CPUProfile)
	if err != nil {
		return nil, err
	}
	return &profiler{file: f}, nil
}

func (p *profiler) start() error {
	if p.file == nil || p.running {
		return nil
	}
	p.running = true
	return pprof.StartCPUProfile(p.file)
}

func (p *profiler) stop() {
	if p.running {
		pprof.StopCPUProfile()
		p.running = false
	}
}

// close stops a running profile and closes the file.
func (p *profiler) close() {
	p.stop()
	if p.file != nil {
		_ = p.file.Close()
	}
}

// dataSize describes the firm under test by the counts of its lists.
func dataSize(ctx context.Context, a *api, token string) string {
	var parts []string
	for _, l := range []struct{ name, path string }{
		{"clients", "/api/crm/clients/"}, {"proposals", "/api/crm/proposals/"},
		{"projects", "/api/projects/projects/"}, {"tasks", "/api/projects/tasks/"},
		{"time entries", "/api/projects/time-entries/"},
	} {
		var p listPage[struct{}]
		if err := a.call(ctx, http.MethodGet, l.path+"?page_size=1", token, nil, &p); err != nil {
			parts = append(parts, l.name+" unknown")
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", p.Count, l.name))
	}
	return strings.Join(parts, ", ") + " (at the start)"
}

// redact hides a database URL's password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
