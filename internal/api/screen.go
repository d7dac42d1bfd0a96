package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Messages of text the API refuses wherever it appears.
const (
	MsgControlChars = "Control characters are not allowed."
	MsgInvalidUTF8  = "Must be valid UTF-8 text."
)

// textProblem is the message for a string no field or parameter accepts, "" for a good one:
// text may hold tab, line feed and carriage return, but no other C0 control character (NUL
// among them: PostgreSQL cannot store it in text and the SQL layer refuses it) and no invalid
// UTF-8 (which PostgreSQL refuses as well).
func textProblem(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return MsgControlChars
		}
	}
	if !utf8.ValidString(s) {
		return MsgInvalidUTF8
	}
	return ""
}

// screen is the huma middleware every operation's input passes: it refuses a query parameter
// (name or value) or a JSON body string (key or value, at any depth) that textProblem refuses,
// with 400 on that parameter (ParseError) or field (ValidationError), before any of it reaches a
// module or the database. It runs after authentication and throttling, like huma's own input
// validation. Path parameters are screened before routing (normalizePaths): a path holding
// such text names nothing and is answered 404.
func (a *API) screen(ctx huma.Context, next func(huma.Context)) {
	if bad := screenQuery(ctx.URL().RawQuery); len(bad) > 0 {
		e := fault.As(bad.Err()).WithKind(fault.BadRequest)
		e.Message = MsgBadParameter
		a.writeErr(ctx, e)
		return
	}
	if ctx.Operation().RequestBody == nil || !isJSONOrUnset(ctx.Header("Content-Type")) {
		next(ctx)
		return
	}
	body, err := io.ReadAll(ctx.BodyReader())
	if err != nil {
		// Over the size limit → 413, as huma's own read would answer.
		a.writeErr(ctx, classify(http.StatusBadRequest, "Could not read the request body.", []error{err}))
		return
	}
	if bad := screenJSON(body); len(bad) > 0 {
		a.writeErr(ctx, bad.Err())
		return
	}
	next(&rereading{humaContext: ctx, body: body})
}

// isJSONOrUnset reports whether a body is decoded as JSON: huma assumes JSON when no
// Content-Type is sent (bodyLimits refuses other types on API routes).
func isJSONOrUnset(contentType string) bool { return contentType == "" || isJSON(contentType) }

// screenQuery checks every query parameter name and value.
func screenQuery(raw string) fault.Fields {
	if raw == "" {
		return nil
	}
	q, _ := url.ParseQuery(raw) // unparseable pairs are dropped here and by every reader alike
	var bad fault.Fields
	for name, values := range q {
		if msg := textProblem(name); msg != "" {
			bad.Add(name, msg)
			continue
		}
		for _, v := range values {
			if msg := textProblem(v); msg != "" {
				bad.Add(name, msg)
				break
			}
		}
	}
	return bad
}

// screenJSON checks every key and string of a JSON body; a body that is not JSON is left to
// huma, which reports it as malformed.
func screenJSON(body []byte) fault.Fields {
	// JSON cannot carry a raw control character inside a string, only an escape: \u00XX, \b or
	// \f. Without one (the usual case) there is nothing to decode.
	if !bytes.Contains(body, []byte(`\u00`)) && !bytes.Contains(body, []byte(`\b`)) && !bytes.Contains(body, []byte(`\f`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var bad fault.Fields
	screenValue(v, "", &bad)
	return bad
}

// screenValue walks a decoded JSON value; fields are named as huma names them
// ("lines[0].description"), a bad string at the top level as non_field_errors.
func screenValue(v any, path string, bad *fault.Fields) {
	switch v := v.(type) {
	case string:
		if msg := textProblem(v); msg != "" {
			bad.Add(orNonField(path), msg)
		}
	case map[string]any:
		for k, child := range v {
			field := joinPath(path, k)
			if msg := textProblem(k); msg != "" {
				bad.Add(field, msg)
				continue
			}
			screenValue(child, field, bad)
		}
	case []any:
		for i, child := range v {
			screenValue(child, path+"["+strconv.Itoa(i)+"]", bad)
		}
	}
}
