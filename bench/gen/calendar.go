package gen

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
)

// secondsPerDay is the length of a calendar day in UTC, the generated firm's time zone.
const secondsPerDay = 86400

// window is how far back time entries reach: two years of days before today.
const window = 730

// calendar turns day numbers (days since 1970-01-01, UTC) into dates and timestamps around a
// fixed now, so the whole firm is laid out relative to one "today".
type calendar struct {
	now   time.Time
	today int
}

// newCalendar anchors a calendar at now.
func newCalendar(now time.Time) calendar {
	now = db.Stamp(now)
	return calendar{now: now, today: int(now.Unix() / secondsPerDay)}
}

// date is the calendar date of day d.
func (c calendar) date(d int) date.Date {
	return date.Date(time.Unix(int64(d)*secondsPerDay, 0).UTC().Format(time.DateOnly))
}

// weekend reports whether day d is a Saturday or Sunday (day 0 was a Thursday).
func (c calendar) weekend(d int) bool {
	wd := (d + 4) % 7 // 0 = Sunday
	return wd == 0 || wd == 6
}

// stamp is a moment during office hours (08:00–18:00 UTC) of day d, never after now.
func (c calendar) stamp(d int, r rng) time.Time {
	t := time.Unix(int64(d)*secondsPerDay+int64(8*3600+r.IntN(10*3600)), int64(r.IntN(1e9))).UTC()
	if t.After(c.now) {
		t = c.now
	}
	return db.Stamp(t)
}

// dayOf is the day number of a timestamp.
func (c calendar) dayOf(t time.Time) int { return int(t.Unix() / secondsPerDay) }

// past clamps day d to yesterday at the latest.
func (c calendar) past(d int) int { return min(d, c.today-1) }
