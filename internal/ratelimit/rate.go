package ratelimit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MinPeriod is the shortest Period a Rate may have. The windows keep time in microseconds and split
// a period into sub-windows, so periods below a millisecond would make no sense.
const MinPeriod = time.Millisecond

// MaxLimit is the largest Limit a Rate may have (the per-sub-window counters are 32-bit).
const MaxLimit = math.MaxInt32

// Rate is N requests per Period: Limit hits in any span of Period.
type Rate struct {
	// Limit is the number of hits allowed in any span of Period.
	Limit int
	// Period is the length of the sliding window.
	Period time.Duration
}

// ParseRate parses "<limit>/<period>", where period is a unit with an optional count in front of it
// ("100/min", "1000/hour", "20/h", "10/m", "5/s", "10/15m", "3/2d") or any Go duration ("5/1m30s").
// Units: s, sec, second(s); m, min, minute(s); h, hr, hour(s); d, day(s). Case and surrounding
// spaces are ignored.
func ParseRate(s string) (Rate, error) {
	limitText, periodText, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: want <limit>/<period>, e.g. 100/min", s)
	}
	limit, err := strconv.Atoi(strings.TrimSpace(limitText))
	if err != nil {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: limit %q is not a whole number", s, limitText)
	}
	period, err := parsePeriod(strings.ToLower(strings.TrimSpace(periodText)))
	if err != nil {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: %w", s, err)
	}
	r := Rate{Limit: limit, Period: period}
	if err := r.Validate(); err != nil {
		return Rate{}, err
	}
	return r, nil
}

// parsePeriod reads "[count]unit" or, failing that, a Go duration.
func parsePeriod(p string) (time.Duration, error) {
	digits := len(p) - len(strings.TrimLeft(p, "0123456789"))
	count := 1
	if digits > 0 {
		n, err := strconv.Atoi(p[:digits])
		if err != nil {
			return 0, fmt.Errorf("period %q: count out of range", p)
		}
		count = n
	}
	if unit, ok := unitDuration(strings.TrimSpace(p[digits:])); ok {
		if count > int(math.MaxInt64/int64(unit)) {
			return 0, fmt.Errorf("period %q is too long", p)
		}
		return time.Duration(count) * unit, nil
	}
	d, err := time.ParseDuration(p)
	if err != nil {
		return 0, fmt.Errorf("period %q: want a unit (s, min, hour, day, optionally with a count "+
			"such as 15m) or a duration", p)
	}
	return d, nil
}

// unitDuration maps a unit name to its length.
func unitDuration(unit string) (time.Duration, bool) {
	switch unit {
	case "s", "sec", "secs", "second", "seconds":
		return time.Second, true
	case "m", "min", "mins", "minute", "minutes":
		return time.Minute, true
	case "h", "hr", "hrs", "hour", "hours":
		return time.Hour, true
	case "d", "day", "days":
		return 24 * time.Hour, true
	}
	return 0, false
}

// Validate reports whether r can be enforced: 1 ≤ Limit ≤ MaxLimit and Period ≥ MinPeriod.
func (r Rate) Validate() error {
	switch {
	case r.Limit < 1 || r.Limit > MaxLimit:
		return fmt.Errorf("ratelimit: rate %s: limit must be between 1 and %d", r, MaxLimit)
	case r.Period < MinPeriod:
		return fmt.Errorf("ratelimit: rate %s: period must be at least %s", r, MinPeriod)
	}
	return nil
}

// String renders r in the form ParseRate reads: "100/m", "1000/h", "10/15m", "5/s", or a Go
// duration for periods that are not whole seconds ("5/1.5s").
func (r Rate) String() string {
	p := r.Period
	var count time.Duration
	var unit string
	switch {
	case p <= 0:
		return strconv.Itoa(r.Limit) + "/" + p.String()
	case p%time.Hour == 0:
		count, unit = p/time.Hour, "h"
	case p%time.Minute == 0:
		count, unit = p/time.Minute, "m"
	case p%time.Second == 0:
		count, unit = p/time.Second, "s"
	default:
		return strconv.Itoa(r.Limit) + "/" + p.String()
	}
	if count == 1 {
		return strconv.Itoa(r.Limit) + "/" + unit
	}
	return strconv.Itoa(r.Limit) + "/" + strconv.FormatInt(int64(count), 10) + unit
}
