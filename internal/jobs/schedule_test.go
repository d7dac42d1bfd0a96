package jobs

import (
	"testing"
	"time"
)

func TestQuarterHoursFiresAfterEveryZonesMidnight(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct{ now, want string }{
		{"2026-03-01T00:00:00Z", "2026-03-01T00:01:00Z"},
		{"2026-03-01T00:01:00Z", "2026-03-01T00:16:00Z"},
		{"2026-03-01T23:50:00Z", "2026-03-02T00:01:00Z"},
		// Kathmandu (+05:45) turns its day at 18:15 UTC.
		{"2026-03-01T18:15:00+00:00", "2026-03-01T18:16:00Z"},
		{"2026-03-01T12:00:00+05:45", "2026-03-01T06:16:00Z"},
	}
	for _, c := range cases {
		if got := (QuarterHours{}).Next(at(c.now)); !got.Equal(at(c.want)) {
			t.Errorf("Next(%s) = %s, want %s", c.now, got, c.want)
		}
	}
	// Every zone's midnight, in quarter hours from -12:00 to +14:00, is followed by a run
	// within 16 minutes.
	for off := -12 * 4; off <= 14*4; off++ {
		loc := time.FixedZone("z", off*15*60)
		midnight := time.Date(2026, 3, 1, 0, 0, 0, 0, loc)
		if next := (QuarterHours{}).Next(midnight); next.Sub(midnight) > 16*time.Minute {
			t.Errorf("offset %d min: midnight %s, next run %s", off*15, midnight, next)
		}
	}
}
