package db

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 as a string: time-ordered, so new rows land at the end of primary-key
// indexes and ids sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Stamp normalises a time for storage: UTC, microsecond precision (what PostgreSQL keeps), so a
// value reads back exactly as it was written on both engines.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
