package ratelimit

import "time"

// subWindows is how many sub-windows a period is split into; it sets the error bound (a hit may be
// remembered up to Period/subWindows longer than an exact log would) and the memory per key.
const subWindows = 20

// slotCount is the number of counters a window keeps: one more than subWindows so that the
// sub-window being filled never shares a slot with one still inside the period.
const slotCount = subWindows + 1

// span is a rate's period and sub-window width in microseconds, the unit every window computes in
// (µs since the epoch fit a float64 exactly, which the Redis Lua script relies on).
type span struct {
	period int64
	width  int64
}

// spanOf returns the span of a valid rate. width·subWindows ≥ period, so a slot is reused only
// after every hit in it has left the window.
func spanOf(r Rate) span {
	p := r.Period.Microseconds()
	return span{period: p, width: (p + subWindows - 1) / subWindows}
}

// slotOf returns the slot index for a hit at now (µs).
func (s span) slotOf(now int64) int {
	bucket := now / s.width
	if now < 0 && now%s.width != 0 {
		bucket-- // floor division, for clocks before 1970
	}
	i := int(bucket % slotCount)
	if i < 0 {
		i += slotCount
	}
	return i
}

// window is the state of one key under one rate: per slot, the number of hits in one sub-window
// and the time of the newest of them. All of a slot's hits are treated as if they happened at that
// newest time, so they stay counted at least as long as they should (never too short).
type window struct {
	count [slotCount]uint32
	last  [slotCount]int64 // µs since the epoch
}

// active reports whether slot i still holds hits inside the window at now.
func (w *window) active(i int, now int64, s span) bool {
	return w.count[i] != 0 && w.last[i]+s.period > now
}

// used returns how many hits are inside the window at now.
func (w *window) used(now int64, s span) int {
	n := 0
	for i := range w.count {
		if w.active(i, now, s) {
			n += int(w.count[i])
		}
	}
	return n
}

// idle reports whether nothing is counted at now, so the window can be dropped: a fresh window
// behaves exactly the same.
func (w *window) idle(now int64, s span) bool {
	for i := range w.count {
		if w.active(i, now, s) {
			return false
		}
	}
	return true
}

// add records one hit at now. A slot whose hits have all expired starts over; otherwise the hit
// joins it (normally the same sub-window; under clock skew between instances an older one, which
// only makes the count more conservative).
func (w *window) add(now int64, s span) {
	i := s.slotOf(now)
	if !w.active(i, now, s) {
		w.count[i], w.last[i] = 1, now
		return
	}
	w.count[i]++
	w.last[i] = max(w.last[i], now)
}

// remove takes back one hit recorded at at (µs), unless it has already left the window at now. It
// reports whether a hit was removed. While the hit is inside the window its slot cannot have been
// reused (a slot is reused only a whole period later), so the slot still holds it.
func (w *window) remove(at, now int64, s span) bool {
	i := s.slotOf(at)
	if at+s.period <= now || !w.active(i, now, s) || w.last[i] < at {
		return false
	}
	w.count[i]--
	return true
}

// decide runs one check at now: whether a hit is allowed and, if record is set and it is, records
// it. It returns the decision.
func (w *window) decide(now int64, r Rate, record bool) Decision {
	s := spanOf(r)
	used := w.used(now, s)
	allowed := used < r.Limit
	if allowed && record {
		w.add(now, s)
		used++
	}
	return w.decision(now, s, r.Limit, used, allowed)
}

// decision describes the window at now, which holds used hits, after a check that allowed or
// refused.
func (w *window) decision(now int64, s span, limit, used int, allowed bool) Decision {
	d := Decision{Allowed: allowed, Limit: limit, Reset: time.UnixMicro(now)}
	if allowed {
		d.Remaining = max(limit-used, 0)
	}
	oldest, newest, found := int64(0), int64(0), false
	for i := range w.count {
		if !w.active(i, now, s) {
			continue
		}
		if !found || w.last[i] < oldest {
			oldest = w.last[i]
		}
		if !found || w.last[i] > newest {
			newest = w.last[i]
		}
		found = true
	}
	if !found {
		return d
	}
	d.Reset = time.UnixMicro(newest + s.period)
	if !allowed {
		// A hit is only recorded while fewer than limit are counted, so a refusal means exactly
		// limit are: the first slot to expire frees one.
		d.RetryAfter = time.Duration(oldest+s.period-now) * time.Microsecond
	}
	return d
}
