package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
)

// Envelope is the body of every error response (SPEC §2).
type Envelope struct {
	Err Problem `json:"error"`
}

// Problem describes one error: a stable type and code, a human message, per-field details and
// the request id that joins it to the server's log line.
type Problem struct {
	Type      string              `json:"type" example:"ValidationError" doc:"Error class"`
	Message   string              `json:"message" example:"Validation failed"`
	Details   map[string][]string `json:"details" doc:"Messages per field name, or non_field_errors"`
	Code      string              `json:"code" example:"VALIDATION_ERROR"`
	RequestID string              `json:"request_id"`

	status int
}

// GetStatus implements huma.StatusError.
func (e *Envelope) GetStatus() int { return e.Err.status }

// Error implements error.
func (e *Envelope) Error() string { return e.Err.Message }

// jsonContentType is the Content-Type of every JSON response.
const jsonContentType = "application/json; charset=utf-8"

// class is one row of the kind → response table.
type class struct {
	status int
	typ    string
	code   string
}

// classes maps every fault kind to its status, type and code (SPEC §2's table).
var classes = map[fault.Kind]class{
	fault.Invalid:          {http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"},
	fault.BadRequest:       {http.StatusBadRequest, "ParseError", "BAD_REQUEST"},
	fault.Unauthenticated:  {http.StatusUnauthorized, "NotAuthenticated", "UNAUTHORIZED"},
	fault.AuthFailed:       {http.StatusUnauthorized, "AuthenticationFailed", "UNAUTHORIZED"},
	fault.Forbidden:        {http.StatusForbidden, "PermissionDenied", "FORBIDDEN"},
	fault.NotFound:         {http.StatusNotFound, "NotFound", "NOT_FOUND"},
	fault.MethodNotAllowed: {http.StatusMethodNotAllowed, "MethodNotAllowed", "METHOD_NOT_ALLOWED"},
	fault.Conflict:         {http.StatusConflict, "Conflict", "CONFLICT"},
	fault.TooLarge:         {http.StatusRequestEntityTooLarge, "PayloadTooLarge", "PAYLOAD_TOO_LARGE"},
	fault.UnsupportedMedia: {http.StatusUnsupportedMediaType, "UnsupportedMediaType", "UNSUPPORTED_MEDIA_TYPE"},
	fault.RateLimited:      {http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS"},
	fault.BadGateway:       {http.StatusBadGateway, "BadGateway", "BAD_GATEWAY"},
	fault.Unavailable:      {http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE"},
	fault.Internal:         {http.StatusInternalServerError, "ServerError", "INTERNAL_SERVER_ERROR"},
	fault.HeadersTooLarge:  {http.StatusRequestHeaderFieldsTooLarge, "RequestHeaderFieldsTooLarge", "REQUEST_HEADER_FIELDS_TOO_LARGE"},
}

// Messages used when the error carries none of its own, and for internal errors, whose own
// message is never shown.
const (
	MsgInternal         = "Internal server error"
	MsgNotFound         = "Not found."
	MsgMethodNotAllowed = "Method not allowed."
)

// NewEnvelope turns any error into the envelope. Internal errors always get the generic message:
// the cause goes to the log, never to the client.
func NewEnvelope(err error, requestID string) *Envelope {
	fe := fault.As(err)
	c, ok := classes[fe.Kind]
	if !ok {
		c = classes[fault.Internal]
	}
	msg := fe.Message
	if c.status == http.StatusInternalServerError || msg == "" {
		msg = http.StatusText(c.status)
		if c.status == http.StatusInternalServerError {
			msg = MsgInternal
		}
	}
	details := fe.Details
	if details == nil || c.status == http.StatusInternalServerError {
		details = map[string][]string{}
	}
	return &Envelope{Err: Problem{
		Type: c.typ, Message: msg, Details: details, Code: c.code, RequestID: requestID, status: c.status,
	}}
}

// StatusOf returns the HTTP status an error is answered with.
func StatusOf(err error) int {
	if c, ok := classes[fault.KindOf(err)]; ok {
		return c.status
	}
	return http.StatusInternalServerError
}

// WriteError answers the request with err in the envelope and records err on the request so the
// request log line carries its cause. It is the one writer of errors outside huma operations.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	info := Info(r.Context())
	info.setErr(err)
	env := NewEnvelope(err, info.ID)
	if secs := retryAfterSeconds(err); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Del("Content-Length")
	w.WriteHeader(env.Err.status)
	_ = json.NewEncoder(w).Encode(env)
}

// retryAfterSeconds is an error's Retry-After in whole seconds, rounded up, at least 1; 0 when
// it has none.
func retryAfterSeconds(err error) int {
	d := fault.As(err).RetryAfter
	if d <= 0 {
		return 0
	}
	return max(1, int((d+time.Second-1)/time.Second))
}
