package db

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 as a string: time-ordered, so new rows land at the end of primary-key
// indexes and ids sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Stamp normalises a time for storage: UTC, microsecond precision (what PostgreSQL keeps), so a
// value reads back exactly as it was written on both engines.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ValidID reports whether id is a UUID in its canonical 36-character form. A malformed id names
// no row: callers answer not found without asking the database (PostgreSQL would refuse it).
func ValidID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// BadID reports whether an optional id is set to text that cannot name a row (ValidID).
func BadID(id *string) bool { return id != nil && !ValidID(*id) }

// NotFound is the error of an unknown id, or of another firm's object (404, never 403).
func NotFound() error { return fault.New(fault.NotFound, MsgNotFound) }
