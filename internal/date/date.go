// Package date is the calendar date of the API ("YYYY-MM-DD"): valid_until, start and end
// dates, time-entry dates. A Date is its canonical text, so dates compare with < and > and read
// and write the same on SQLite (TEXT) and PostgreSQL (DATE).
package date

import (
	"database/sql/driver"
	"fmt"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"time"
)

// Date is a calendar date in its canonical form "2006-01-02"; the zero value "" means no date.
type Date string

// MsgInvalid is the message of a malformed date.
const MsgInvalid = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."

// Parse validates s as a calendar date.
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", fmt.Errorf("%s", MsgInvalid)
	}
	return Date(t.Format(time.DateOnly)), nil
}

// Today is the date at now in loc (the firm's time zone).
func Today(now time.Time, loc *time.Location) Date {
	return Date(now.In(loc).Format(time.DateOnly))
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == "" }

// Before reports whether d is strictly before e (both set).
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is strictly after e (both set).
func (d Date) After(e Date) bool { return d > e }

// Time is midnight UTC of the date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// OrNull renders an optional date for a response: nil (JSON null) when unset.
func (d Date) OrNull() *string {
	if d.IsZero() {
		return nil
	}
	s := string(d)
	return &s
}

// Year is the date's year.
func (d Date) Year() int { return d.Time().Year() }

// Value stores the date as its text (NULL when unset); PostgreSQL casts it to DATE.
func (d Date) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

// Scan reads a DATE (time.Time from PostgreSQL) or TEXT (SQLite) column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = Date(v.Format(time.DateOnly))
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 { // a driver may hand back "2026-02-10T00:00:00Z"
		s = s[:10]
	}
	p, err := Parse(s)
	if err != nil {
		return fmt.Errorf("date: bad stored value %q", s)
	}
	*d = p
	return nil
}

// Check reports a malformed date text v under field; an empty one is refused only when required,
// and nil (not sent) is fine.
func Check(f *fault.Fields, field string, v *string, required bool) {
	switch {
	case v == nil:
	case *v == "":
		if required {
			f.Add(field, validate.MsgRequired)
		}
	default:
		if _, err := Parse(*v); err != nil {
			f.Add(field, MsgInvalid)
		}
	}
}

// Set stores a checked date text in dst: nil leaves it, "" clears it.
func Set(dst *Date, v *string) {
	if v == nil {
		return
	}
	if *v == "" {
		*dst = ""
		return
	}
	if d, err := Parse(*v); err == nil {
		*dst = d
	}
}
