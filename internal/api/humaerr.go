package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"
)

// huma reports its errors through package-level constructors; pointing them at the envelope is
// the documented way to give every huma-produced error (validation, parsing, body limits,
// handler errors) the one shape. It is set once, at start-up, and never changed afterwards.
//
// JSON keys match exactly (SPEC §2: a field the resource does not have → "Unknown field."):
// huma's validator folds case by default, like encoding/json, so {"TITLE": …} would update
// title and {"ID": …} pass as the read-only id. With strict casing the validator reports any
// key that is not exactly a property, and the body is decoded into its struct only after that
// check passed, so encoding/json's folding never applies. Like the error constructors, huma
// offers this only as a package variable.
func init() {
	huma.ValidateStrictCasing = true
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return NewEnvelope(classify(status, msg, errs), "")
	}
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		err := classify(status, msg, errs)
		info := Info(ctx.Context())
		info.setErr(err)
		if secs := retryAfterSeconds(err); secs > 0 {
			ctx.SetHeader("Retry-After", strconv.Itoa(secs))
		}
		return NewEnvelope(err, info.ID)
	}
}

// Messages for errors huma detects.
const (
	MsgRequired     = "This field is required."
	MsgUnknownField = "Unknown field."
	MsgMalformed    = "Malformed JSON request body."
	MsgBadParameter = "Invalid query or path parameter."
)

// classify turns what huma reports into a fault error.
func classify(status int, msg string, errs []error) error {
	for _, e := range errs {
		var fe *fault.Error
		if errors.As(e, &fe) {
			return fe
		}
		var tooLarge *http.MaxBytesError
		if errors.As(e, &tooLarge) {
			return fault.Wrap(fault.TooLarge, msgTooLarge, e)
		}
	}
	switch status {
	case http.StatusRequestEntityTooLarge:
		return fault.New(fault.TooLarge, msgTooLarge)
	case http.StatusUnsupportedMediaType:
		return fault.New(fault.UnsupportedMedia, "Unsupported media type in request; send application/json.")
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return fromDetails(status, msg, errs)
	case http.StatusNotFound:
		return fault.New(fault.NotFound, MsgNotFound)
	case http.StatusMethodNotAllowed:
		return fault.New(fault.MethodNotAllowed, MsgMethodNotAllowed)
	case http.StatusNotAcceptable:
		return fault.New(fault.BadRequest, "Not acceptable: this API answers application/json.")
	}
	if status >= 500 || status == 0 {
		return fault.Wrap(fault.Internal, MsgInternal, fmt.Errorf("%s: %w", msg, errors.Join(errs...)))
	}
	return fault.New(fault.BadRequest, msg)
}

// fromDetails maps huma's located error details to field messages. Errors in the body are
// validation errors (400 ValidationError); errors in the query, path or headers, and a body that
// is not JSON at all, are parse errors (400 ParseError).
func fromDetails(status int, msg string, errs []error) error {
	parse := fault.Fields{}
	valid := fault.Fields{}
	for _, e := range errs {
		var d *huma.ErrorDetail
		if !errors.As(e, &d) {
			continue
		}
		loc, rest, _ := strings.Cut(d.Location, ".")
		switch {
		case loc == "path":
			// A malformed id names no object: answer like any unknown object, so ids cannot be
			// probed by their shape.
			return fault.New(fault.NotFound, MsgNotFound)
		case loc == "body" && status == http.StatusBadRequest:
			return fault.New(fault.BadRequest, MsgMalformed)
		case loc == "body":
			field, message := bodyMessage(rest, d.Message, d.Value)
			valid.Add(field, message)
		default:
			name := rest
			if name == "" {
				name = loc
			}
			parse.Add(name, sentence(d.Message))
		}
	}
	if len(parse) > 0 {
		err := fault.As(parse.Err())
		err.Kind, err.Message = fault.BadRequest, MsgBadParameter
		return err
	}
	if len(valid) > 0 {
		return valid.Err()
	}
	return fault.New(fault.BadRequest, sentence(msg)) // e.g. "Request body is required"
}

// bodyMessage names the field of a body error and rewrites huma's two most common messages into
// the API's own wording.
func bodyMessage(path, msg string, value any) (field, message string) {
	var missing string
	if n, _ := fmt.Sscanf(msg, validation.MsgExpectedRequiredProperty, &missing); n == 1 {
		return joinPath(path, missing), MsgRequired
	}
	if msg == validation.MsgUnexpectedProperty {
		return orNonField(path), MsgUnknownField
	}
	if msg == fmt.Sprintf(validation.MsgExpectedMinLength, 1) {
		return orNonField(path), MsgRequired // an empty string where a value is required
	}
	if msg == validation.MsgExpectedMatchExactlyOneSchema {
		// Only Decimal fields are documented as "string or number" (oneOf).
		return orNonField(path), string(money.ErrInvalidNumber)
	}
	if strings.HasPrefix(msg, strings.SplitN(validation.MsgExpectedOneOf, "%", 2)[0]) {
		return orNonField(path), validate.ChoiceMessage(value)
	}
	return orNonField(path), sentence(msg)
}

func joinPath(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

func orNonField(path string) string {
	if path == "" {
		return fault.NonField
	}
	return path
}

// sentence capitalises a message (huma's messages start in lower case). It changes nothing
// else, so a module's exact messages pass through unchanged.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
