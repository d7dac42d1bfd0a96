package jobs

import "time"

// QuarterHours is a periodic schedule that fires one minute after every quarter hour of UTC
// (:01, :16, :31, :46). Every time zone's offset is a whole number of quarter hours, so each
// firm's midnight is followed by a run within a quarter of an hour: a daily job that does a
// firm's work on the firm's own "today" runs soon after each firm's day turns.
type QuarterHours struct{}

// Next returns the first firing time after t.
func (QuarterHours) Next(t time.Time) time.Time {
	next := t.UTC().Truncate(15 * time.Minute).Add(time.Minute)
	for !next.After(t) {
		next = next.Add(15 * time.Minute)
	}
	return next
}
