package load

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// result is one run of one scenario.
type result struct {
	Requests   int           // completed requests, errors included
	Errors     int           // non-2xx answers and transport errors
	Elapsed    time.Duration // from the start until the last request finished
	RPS        float64
	P50        time.Duration
	P95        time.Duration
	P99        time.Duration
	Max        time.Duration
	Bytes      int64     // body size of the last 2xx answer
	ErrSamples []string  // the first few errors, for the report
	CPU        cpuShares // how the machine's CPU was used during the run
	Retried    int       // disturbed attempts discarded before this one
}

// maxErrSamples is how many errors a run keeps to show.
const maxErrSamples = 3

// worker is what one connection's loop records; each worker owns its own, so the hot loop takes
// no lock.
type worker struct {
	durations []time.Duration
	errors    int
	samples   []string
	bytes     int64
}

// drive runs sc with conns concurrent workers for d, each sending its next request as soon as its
// previous answer has been read in full. Workers stop by themselves at the deadline (a request in
// flight then is let finish, within the client's timeout) or when ctx ends. seq numbers the
// requests across runs.
func drive(ctx context.Context, client *http.Client, sc scenario, conns int, d time.Duration, seq *atomic.Uint64) result {
	workers := make([]worker, conns)
	cpu0 := readCPU()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.durations = make([]time.Duration, 0, 4096)
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				w.one(ctx, client, sc, seq.Add(1))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := result{Elapsed: elapsed}
	res.CPU = cpuUse(cpu0, readCPU())
	var all []time.Duration
	for i := range workers {
		w := &workers[i]
		all = append(all, w.durations...)
		res.Errors += w.errors
		if w.bytes > 0 {
			res.Bytes = w.bytes
		}
		for _, s := range w.samples {
			if len(res.ErrSamples) < maxErrSamples {
				res.ErrSamples = append(res.ErrSamples, s)
			}
		}
	}
	res.Requests = len(all)
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	sortDurations(all)
	res.P50, res.P95, res.P99 = percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99)
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	return res
}

// one sends request n and records its duration, from sending the request to having read the
// whole answer.
func (w *worker) one(ctx context.Context, client *http.Client, sc scenario, n uint64) {
	req, err := sc.request(ctx, n)
	if err != nil {
		w.fail(0, "build request: "+err.Error())
		return
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		w.durations = append(w.durations, time.Since(t0))
		if ctx.Err() == nil {
			w.fail(0, err.Error())
		}
		return
	}
	var snippet []byte
	if resp.StatusCode/100 != 2 {
		snippet, _ = io.ReadAll(io.LimitReader(resp.Body, 300))
	}
	nbytes, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	w.durations = append(w.durations, time.Since(t0))
	switch {
	case resp.StatusCode/100 != 2:
		w.fail(resp.StatusCode, string(snippet))
	case err != nil:
		w.fail(resp.StatusCode, "read body: "+err.Error())
	default:
		w.bytes = nbytes
	}
}

func (w *worker) fail(status int, msg string) {
	w.errors++
	if len(w.samples) < maxErrSamples {
		w.samples = append(w.samples, fmt.Sprintf("%d %s", status, truncate(msg, 300)))
	}
}

// disturbed reports whether other work on the machine took more of its CPU during the run than
// the options allow. Against a server of its own (--url) the harness cannot tell that server's
// work from a disturbance, and never calls a run disturbed.
func (r result) disturbed(o Options) bool {
	return o.URL == "" && r.CPU.Known && r.CPU.Other > o.MaxDisturbance
}
