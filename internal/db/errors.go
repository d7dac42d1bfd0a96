package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Messages of translated driver errors. Modules usually check their own rules first and give a
// field-specific message; these cover the race that slips past such a check.
const (
	MsgDuplicate  = "A record with this value already exists."
	MsgReference  = "A referenced object does not exist."
	MsgNotFound   = "Not found."
	MsgConcurrent = "The record was changed concurrently; retry the request."
	MsgBusy       = "The database is busy; retry the request."
)

// Constraint reports which class of integrity rule a driver error broke.
type Constraint int

// Constraint classes recognised by code on both engines.
const (
	NoConstraint Constraint = iota
	Unique
	ForeignKey
	NotNull
	Check
)

// Translate maps a driver error to a fault error by its code — never by its message text:
// unique violations → Conflict, foreign-key violations → Invalid, no rows → NotFound,
// serialization failures and deadlocks → Conflict, a busy or unreachable database → Unavailable.
// The driver error stays the cause, for the log. Fault errors and nil pass through unchanged;
// anything else becomes Internal.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fault.Wrap(fault.Unavailable, MsgBusy, err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fault.Wrap(fault.NotFound, MsgNotFound, err)
	}
	switch ConstraintOf(err) {
	case Unique:
		return fault.Wrap(fault.Conflict, MsgDuplicate, err)
	case ForeignKey:
		return &fault.Error{Kind: fault.Invalid, Message: fault.ValidationMessage,
			Details: map[string][]string{fault.NonField: {MsgReference}}, Cause: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return fault.Wrap(fault.Conflict, MsgConcurrent, err)
		case "57P01", "57P02", "57P03", "53300": // shutdown, crash, cannot connect now, too many connections
			return fault.Wrap(fault.Unavailable, MsgBusy, err)
		}
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff { // primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fault.Wrap(fault.Unavailable, MsgBusy, err)
		}
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return fault.Wrap(fault.Unavailable, MsgBusy, err)
	}
	return fault.Wrap(fault.Internal, "Internal server error", err)
}

// ConstraintOf tells which integrity rule a driver error broke, from its code.
func ConstraintOf(err error) Constraint {
	if errors.Is(err, errStillReferenced) {
		return ForeignKey
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return Unique
		case "23503":
			return ForeignKey
		case "23502":
			return NotNull
		case "23514":
			return Check
		}
		return NoConstraint
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return Unique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return ForeignKey
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return NotNull
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return Check
		}
	}
	return NoConstraint
}

// ConstraintName returns the name of the violated constraint where the engine reports it
// (PostgreSQL does; SQLite does not, so the result is "" there).
func ConstraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}

// IsNotFound reports whether err is a NotFound fault (e.g. a translated sql.ErrNoRows).
func IsNotFound(err error) bool { return fault.KindOf(err) == fault.NotFound }

// OnUnique turns a unique index's verdict on a (translated) write error into field's message:
// the check before the write found the value free, a concurrent write took it since.
func OnUnique(err error, field, message string) error {
	if ConstraintOf(err) == Unique {
		return fault.Field(field, message)
	}
	return err
}
