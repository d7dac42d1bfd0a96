// Package fault is the one error type of ConsultantPro. Every layer returns a *fault.Error (or
// wraps a cause into one) so that the HTTP edge can map it to a status and the error envelope
// without guessing. Anything that is not a *fault.Error is treated as internal (500), never as a
// client mistake.
package fault

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Kind classifies an error; the HTTP edge maps each kind to one status code.
type Kind int

// The kinds, in the order of SPEC §2's table.
const (
	Internal         Kind = iota // unexpected failure (500)
	Invalid                      // field or business-rule validation (400 ValidationError)
	BadRequest                   // malformed JSON or bad query parameter (400 ParseError)
	Unauthenticated              // no credentials (401 NotAuthenticated)
	AuthFailed                   // bad credentials (401 AuthenticationFailed)
	Forbidden                    // role or object rule refuses (403)
	NotFound                     // unknown route or object, other firms' included (404)
	MethodNotAllowed             // method not allowed on a known route (405)
	Conflict                     // state conflict (409)
	TooLarge                     // body too large (413)
	UnsupportedMedia             // wrong content type (415)
	RateLimited                  // throttled (429)
	BadGateway                   // an upstream (Stripe) answered with an error (502)
	Unavailable                  // a dependency is down (503)
	HeadersTooLarge              // request headers over the limit (431)
)

// NonField is the details key for errors that belong to no single field.
const NonField = "non_field_errors"

// Error is an error with a kind, a message that is safe to show to a client, optional per-field
// details, and an optional internal cause that is logged but never sent.
type Error struct {
	Kind    Kind
	Message string
	Details map[string][]string
	Cause   error
	// RetryAfter tells a throttled (or briefly unavailable) client when to try again; the HTTP
	// edge sends it as Retry-After in whole seconds.
	RetryAfter time.Duration
}

// Error renders the kind, message and cause for logs.
func (e *Error) Error() string {
	s := e.Message
	if len(e.Details) > 0 {
		keys := slices.Sorted(maps.Keys(e.Details))
		s += fmt.Sprintf(" %v", keys)
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an error of the given kind with a client-safe message.
func New(kind Kind, message string) *Error {
	return &Error{Kind: kind, Message: message}
}

// Wrap returns an error of the given kind whose internal cause is err.
func Wrap(kind Kind, message string, err error) *Error {
	return &Error{Kind: kind, Message: message, Cause: err}
}

// KindOf reports the kind of err: that of the outermost *Error in its chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the outermost *Error in err's chain, or an Internal error wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(Internal, "Internal server error", err)
}
