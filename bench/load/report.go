package load

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// environment describes where and how the figures were taken.
type environment struct {
	Machine string // CPUs, GOMAXPROCS, OS and Go version
	Target  string // the server measured
	Data    string // the size of the firm under test
	Method  string // runs, durations, concurrency
	Memory  string // the peak RSS once the runs are over
	When    time.Time
}

// SPEC §13's targets.
const (
	targetThroughputRatio = 0.25                  // project list ≥ 25% of the bare endpoint's req/s
	targetP99Ratio        = 5.0                   // project list p99 ≤ 5× the bare endpoint's p99
	targetCreateP99       = 20 * time.Millisecond // time-entry create p99 at the write concurrency
)

// report writes the Markdown report: the medians, the targets, every run, and error samples.
func report(w io.Writer, env environment, scs []scenario, o Options, runs map[string][]result) {
	fmt.Fprintf(w, "## ConsultantPro load run, %s\n\n", env.When.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "- machine: %s\n- server: %s\n- data: %s\n- method: %s\n- peak RSS: %s\n\n", env.Machine, env.Target, env.Data, env.Method, env.Memory)
	fmt.Fprintln(w, "| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | max ms | body bytes | errors | |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	sums := map[string]summary{}
	for _, sc := range scs {
		if len(runs[sc.name]) == 0 {
			continue // not measured: an interrupted run
		}
		s := summarize(runs[sc.name])
		sums[sc.name] = s
		verdict := ""
		if !s.OK() {
			verdict = "**not a result** (errors)"
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %s | %s | %s | %s | %d | %d | %s |\n", sc.name, conns(sc, o), s.RPS,
			ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Bytes, s.Errors, verdict)
	}
	fmt.Fprintln(w)
	targets(w, sums, o)
	fmt.Fprint(w, "\n### Scenarios\n\n")
	for _, sc := range scs {
		fmt.Fprintf(w, "- %s: %s\n", sc.name, sc.what)
	}
	fmt.Fprint(w, "\n### Every run\n\nCPU columns are shares of the whole machine's capacity during the run: the harness's client (and the server when in-process), PostgreSQL's and Redis's processes, and every other process — work that disturbed the run. A run whose other share exceeds --max-disturbance is repeated up to --retries times.\n\n")
	fmt.Fprintln(w, "| scenario | run | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | CPU harness+server | CPU PostgreSQL+Redis | CPU other | |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	var samples []string
	for _, sc := range scs {
		for i, r := range runs[sc.name] {
			note := ""
			if r.Retried > 0 {
				note = fmt.Sprintf("%d disturbed attempt(s) discarded", r.Retried)
			}
			if r.disturbed(o) {
				note = "**disturbed** (other processes above " + pct(o.MaxDisturbance, true) + ")"
			}
			fmt.Fprintf(w, "| %s | %d | %d | %.0f | %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", sc.name, i+1, r.Requests, r.RPS,
				ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.Errors,
				pct(r.CPU.Self, r.CPU.Known), pct(r.CPU.DB, r.CPU.Known), pct(r.CPU.Other, r.CPU.Known), note)
			for _, e := range r.ErrSamples {
				samples = append(samples, fmt.Sprintf("- %s run %d: %s", sc.name, i+1, oneLine(e)))
			}
		}
	}
	if len(samples) > 0 {
		fmt.Fprintf(w, "\n### Errors (first %d per run)\n\n%s\n", maxErrSamples, strings.Join(samples, "\n"))
	}
}

// targets writes the ratios to the bare endpoint and SPEC §13's verdicts, for the scenarios run.
func targets(w io.Writer, sums map[string]summary, o Options) {
	pl, okPL := sums[ScenarioProjects]
	br, okBare := sums[ScenarioBare]
	tc, okCreate := sums[ScenarioTimeEntryCreate]
	if !(okPL && okBare) && !okCreate {
		return
	}
	fmt.Fprint(w, "### SPEC §13 targets\n\n")
	fmt.Fprintln(w, "| target | measured | goal | verdict |")
	fmt.Fprintln(w, "|---|--:|--:|---|")
	if okPL && okBare && br.RPS > 0 && br.P99 > 0 {
		ok := pl.OK() && br.OK()
		tr := pl.RPS / br.RPS
		fmt.Fprintf(w, "| project-list / bare throughput | %.3f (%.0f / %.0f req/s) | ≥ %.2f | %s |\n",
			tr, pl.RPS, br.RPS, targetThroughputRatio, verdict(ok, tr >= targetThroughputRatio))
		pr := float64(pl.P99) / float64(br.P99)
		fmt.Fprintf(w, "| project-list / bare p99 at %d connections | %.1f× (%s / %s ms) | ≤ %.0f× | %s |\n",
			o.Concurrency, pr, ms(pl.P99), ms(br.P99), targetP99Ratio, verdict(ok, pr <= targetP99Ratio))
	}
	if okCreate {
		fmt.Fprintf(w, "| time-entry create p99 at %d connections | %s ms | < %s ms | %s |\n",
			o.WriteConcurrency, ms(tc.P99), ms(targetCreateP99), verdict(tc.OK(), tc.P99 < targetCreateP99))
	}
}

func verdict(valid, met bool) string {
	switch {
	case !valid:
		return "not a result (errors)"
	case met:
		return "met"
	}
	return "**missed**"
}

func conns(sc scenario, o Options) int {
	if sc.write {
		return o.WriteConcurrency
	}
	return o.Concurrency
}

// ms renders a duration in milliseconds with a precision that suits its size.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// pct renders a share of the machine's CPU capacity.
func pct(v float64, known bool) string {
	if !known {
		return "?"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
