package fault

import (
	"maps"
	"slices"
)

// ValidationMessage is the envelope message of every validation error.
const ValidationMessage = "Validation failed"

// Fields collects validation messages per field. The zero value is ready to use; Err returns nil
// when nothing was added, so rule functions can append freely and return f.Err().
type Fields map[string][]string

// Add appends a message to a field (use NonField for object-level rules); a message the field
// already has is not repeated.
func (f *Fields) Add(field, message string) {
	if *f == nil {
		*f = Fields{}
	}
	if slices.Contains((*f)[field], message) {
		return
	}
	(*f)[field] = append((*f)[field], message)
}

// Has reports whether the field already has a message, so later rules can skip it.
func (f Fields) Has(field string) bool { return len(f[field]) > 0 }

// Err returns an Invalid error carrying the collected messages, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: ValidationMessage, Details: maps.Clone(map[string][]string(f))}
}

// Field returns an Invalid error with one message on one field.
func Field(field, message string) *Error {
	return &Error{Kind: Invalid, Message: ValidationMessage, Details: map[string][]string{field: {message}}}
}

// WithKind returns a copy of e with another kind, e.g. a field error that is a parse error.
func (e *Error) WithKind(kind Kind) *Error {
	c := *e
	c.Kind = kind
	return &c
}

// Merge adds every message of src to f.
func (f *Fields) Merge(src Fields) {
	for field, msgs := range src {
		for _, m := range msgs {
			f.Add(field, m)
		}
	}
}

// AddIf adds message under field when failed: one line per rule in a list of checks.
func (f *Fields) AddIf(failed bool, field, message string) {
	if failed {
		f.Add(field, message)
	}
}
