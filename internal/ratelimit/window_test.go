package ratelimit

import (
	"testing"
	"time"
)

func TestSpanSlotOf(t *testing.T) {
	t.Parallel()
	s := spanOf(perMinute(1)) // sub-windows of 3s = 3e6 µs
	cases := []struct {
		name string
		now  int64
		want int
	}{
		{"epoch", 0, 0},
		{"end of the first sub-window", 2_999_999, 0},
		{"second sub-window", 3_000_000, 1},
		{"wraps after slotCount sub-windows", slotCount * 3_000_000, 0},
		{"before the epoch, floor division", -1, slotCount - 1},
		{"before the epoch, on a boundary", -3_000_000, slotCount - 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := s.slotOf(tc.now); got != tc.want {
				t.Fatalf("slotOf(%d) = %d, want %d", tc.now, got, tc.want)
			}
		})
	}
	if s.width*subWindows < s.period {
		t.Fatalf("width %d × %d sub-windows < period %d", s.width, subWindows, s.period)
	}
}

func TestWindowSpanCoversOddPeriods(t *testing.T) {
	t.Parallel()
	// A period that does not divide by subWindows must still be covered, or slots would be
	// reused while their hits count.
	for _, p := range []time.Duration{time.Millisecond, 7 * time.Millisecond, 61 * time.Second, 15 * time.Minute} {
		s := spanOf(Rate{Limit: 1, Period: p})
		if s.width*subWindows < s.period {
			t.Errorf("%v: width %d × %d < period %d", p, s.width, subWindows, s.period)
		}
	}
}

func TestWindowSkewIsConservative(t *testing.T) {
	t.Parallel()
	rate := perMinute(3)
	s := spanOf(rate)
	now := t0.UnixMicro()
	var w window
	w.add(now, s)
	// Another instance whose clock is 10s behind records a hit: it must not erase the first, and
	// both must count until the later of their times plus the period.
	w.add(now-10_000_000, s)
	if got := w.used(now, s); got != 2 {
		t.Fatalf("used = %d, want 2", got)
	}
	d := w.decide(now, rate, true)
	if !d.Allowed || d.Remaining != 0 || !d.Reset.Equal(t0.Add(time.Minute)) {
		t.Fatalf("decide = %+v, want allowed, Remaining 0, Reset +1m", d)
	}
	d = w.decide(now+49_000_000, rate, true)
	if d.Allowed || d.RetryAfter != time.Second {
		t.Fatalf("decide at +49s = %+v, want refused for 1s", d)
	}

	// A clock a whole slot cycle ahead (63s) lands in the same slot as now: the two hits merge
	// rather than the later write resetting the slot.
	var ahead window
	ahead.add(now+int64(slotCount)*s.width, s)
	ahead.add(now, s)
	if got := ahead.used(now, s); got != 2 {
		t.Fatalf("used after a same-slot write from a clock ahead = %d, want 2", got)
	}
}
