package load

import (
	"math"
	"slices"
	"time"
)

func sortDurations(d []time.Duration) { slices.Sort(d) }

// percentile is the nearest-rank percentile p (0 < p ≤ 1) of sorted durations: the smallest
// value that at least p of the values do not exceed. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// median is the middle value (the mean of the two middle ones for an even count); 0 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// summary is a scenario's figures over its runs: each the median of the runs' values.
type summary struct {
	Requests float64
	RPS      float64
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
	Max      time.Duration
	Bytes    int64
	Errors   int // over all runs
	Runs     int
}

// OK reports whether the figures are a result: no run had an error.
func (s summary) OK() bool { return s.Errors == 0 && s.Runs > 0 }

// summarize takes the median of each figure over the runs.
func summarize(runs []result) summary {
	s := summary{Runs: len(runs)}
	pick := func(f func(result) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		return median(v)
	}
	dur := func(f func(result) time.Duration) time.Duration {
		return time.Duration(pick(func(r result) float64 { return float64(f(r)) }))
	}
	s.Requests = pick(func(r result) float64 { return float64(r.Requests) })
	s.RPS = pick(func(r result) float64 { return r.RPS })
	s.P50 = dur(func(r result) time.Duration { return r.P50 })
	s.P95 = dur(func(r result) time.Duration { return r.P95 })
	s.P99 = dur(func(r result) time.Duration { return r.P99 })
	s.Max = dur(func(r result) time.Duration { return r.Max })
	for _, r := range runs {
		s.Errors += r.Errors
		if r.Bytes > 0 {
			s.Bytes = r.Bytes
		}
	}
	return s
}
