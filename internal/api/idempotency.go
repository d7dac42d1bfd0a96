package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// The headers of SPEC §2's idempotent POSTs.
const (
	IdempotencyKeyHeader = "Idempotency-Key"
	ReplayedHeader       = "Idempotent-Replayed"
)

// Messages of refused idempotent requests.
const (
	MsgIdempotencyReused     = "Idempotency key reused with another body."
	MsgIdempotencyInProgress = "A request with this idempotency key is in progress."
	MsgBadIdempotencyKey     = "Invalid Idempotency-Key header."
	MsgIdempotencyKeyRule    = "Must be 1 to 255 printable ASCII characters."
)

// MaxIdempotencyKey is the longest key accepted, in characters.
const MaxIdempotencyKey = 255

// IdempotencyTTL is how long a response is replayed for its key.
const IdempotencyTTL = 24 * time.Hour

// storeTimeout bounds the writes that finish a keyed request. They run even when the client
// has gone: the effect may have happened, and a retry must find its response.
const storeTimeout = 10 * time.Second

// Idempotency makes authenticated POSTs safe to retry (SPEC §2). A request with an
// Idempotency-Key reserves the key (per firm and user) before its handler runs; its response is
// then stored and replayed, with Idempotent-Replayed: true, to every later request with the same
// key, method, path, query and body bytes until the key expires (24 h). Its rules (1 to 5 and 7
// are tested in internal/app/idempotency_test.go):
//
//  1. The same key with another body, method, path or query → 409 MsgIdempotencyReused.
//  2. The same key while its first request still runs → 409 MsgIdempotencyInProgress with
//     Retry-After: 1, at once rather than waiting: the handler runs once, and the client retries.
//  3. 5xx answers are not stored, nor 409 and 429 (states that change: a retry may succeed); the
//     key is released and a retry runs again. Every other answer, 4xx included, is the server's
//     word on that body and is replayed; a client that changes the body uses a new key.
//  4. An empty key, one over 255 characters, or one with other than printable ASCII → 400
//     ParseError naming the header in details.
//  5. The middleware runs after authentication, throttling and the operation's policy, so a
//     refused or unauthenticated request never touches the store and a replay is checked like
//     a first run.
//  6. A key whose request crashed the process stays "in progress" until it expires: whether its
//     effect happened is unknown, and running it again could make it happen twice.
//  7. Keys are written without the caller's firm in the context, so they never move the firm's
//     data version: a replay leaves the firm's cached lists valid (see db.IdempotencyStore).
type Idempotency struct {
	store *db.IdempotencyStore
	now   func() time.Time
}

// NewIdempotency keeps keys in store, timed by now.
func NewIdempotency(store *db.IdempotencyStore, now func() time.Time) *Idempotency {
	return &Idempotency{store: store, now: now}
}

// idempotentKey in an operation's metadata marks it as taking an Idempotency-Key.
const idempotentKey = "consultantpro.idempotent"

// The components the idempotent operations refer to, declared once in the document.
const (
	keyParamRef       = "#/components/parameters/IdempotencyKey"
	replayedHeaderRef = "#/components/headers/IdempotentReplayed"
)

// documentIdempotencyComponents declares the Idempotency-Key parameter and the
// Idempotent-Replayed header among the document's components.
func documentIdempotencyComponents(c *huma.Components) {
	minLen, maxLen := 1, MaxIdempotencyKey
	if c.Parameters == nil {
		c.Parameters = map[string]*huma.Param{}
	}
	c.Parameters["IdempotencyKey"] = &huma.Param{
		Name: IdempotencyKeyHeader,
		In:   "header",
		Description: "Makes the request safe to retry. Its first response (status, body, Content-Type " +
			"and Location) is stored for 24 hours per user and replayed, with Idempotent-Replayed: true, " +
			"for a later request with the same key, method, path and body bytes. 409 when the key was " +
			"used with another body or its first request is still running; 5xx, 409 and 429 answers " +
			"are not stored.",
		Schema: &huma.Schema{Type: "string", MinLength: &minLen, MaxLength: &maxLen, Pattern: "^[ -~]+$"},
	}
	if c.Headers == nil {
		c.Headers = map[string]*huma.Header{}
	}
	c.Headers["IdempotentReplayed"] = &huma.Header{
		Description: "\"true\" when the response is the stored one of an earlier request with the same Idempotency-Key.",
		Schema:      &huma.Schema{Type: "string", Enum: []any{"true"}},
	}
}

// documentIdempotency declares the key on op (an authenticated POST): the header parameter and
// the mark that makes New's hook document Idempotent-Replayed on its successes. Register adds
// the 409.
func documentIdempotency(op *huma.Operation) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[idempotentKey] = true
	op.Parameters = append(slices.Clone(op.Parameters), &huma.Param{Ref: keyParamRef})
}

// documentReplayed adds the Idempotent-Replayed header to the successful responses of an
// operation marked by documentIdempotency; huma has built them by the time it adds the operation.
func documentReplayed(op *huma.Operation) {
	if op.Metadata[idempotentKey] != true {
		return
	}
	for code, r := range op.Responses {
		if len(code) != 3 || code[0] != '2' || r == nil {
			continue
		}
		if r.Headers == nil {
			r.Headers = map[string]*huma.Header{}
		}
		r.Headers[ReplayedHeader] = &huma.Header{Ref: replayedHeaderRef}
	}
}

// idempotent is the operation middleware of authenticated POSTs (see Idempotency).
func (a *API) idempotent(ctx huma.Context, next func(huma.Context)) {
	idem := a.opts.Idempotency
	key, sent := idempotencyKey(ctx)
	if idem == nil || !sent || ctx.Method() != http.MethodPost {
		next(ctx)
		return
	}
	if !validIdempotencyKey(key) {
		a.writeErr(ctx, &fault.Error{Kind: fault.BadRequest, Message: MsgBadIdempotencyKey,
			Details: map[string][]string{IdempotencyKeyHeader: {MsgIdempotencyKeyRule}}})
		return
	}
	user, firm := Info(ctx.Context()).Actor()
	if user == "" && authOptional(ctx.Operation()) {
		// An anonymous call of an operation that also admits one (logout with a refresh token)
		// has no caller to scope a key to; it runs as if no key had been sent.
		next(ctx)
		return
	}
	if user == "" || firm == "" {
		// Authentication always names the caller; without one the key could not be scoped.
		a.writeErr(ctx, fault.Wrap(fault.Internal, MsgInternal, errors.New("idempotency key without an authenticated caller")))
		return
	}
	body, err := io.ReadAll(ctx.BodyReader())
	if err != nil {
		// Over the size limit → 413, like huma's own read; anything else is the client's.
		a.writeErr(ctx, classify(http.StatusBadRequest, "Could not read the request body.", []error{err}))
		return
	}
	now := idem.now()
	k := db.IdempotencyKey{FirmID: firm, UserID: user, Key: key}
	fp := fingerprint(ctx, body)
	claim, held, err := idem.store.Reserve(ctx.Context(), k, fp, now, now.Add(IdempotencyTTL))
	switch {
	case err != nil:
		a.writeErr(ctx, err)
	case held != nil && held.Fingerprint != fp:
		a.writeErr(ctx, fault.New(fault.Conflict, MsgIdempotencyReused))
	case held != nil && held.Pending:
		a.writeErr(ctx, &fault.Error{Kind: fault.Conflict, Message: MsgIdempotencyInProgress, RetryAfter: time.Second})
	case held != nil:
		replay(ctx, held.Response)
	default:
		a.runClaimed(ctx, next, claim, body)
	}
}

// runClaimed runs the request that holds the key and stores its response, or releases the key
// when the response is not to be replayed; a panic releases it too.
func (a *API) runClaimed(ctx huma.Context, next func(huma.Context), claim *db.IdempotencyClaim, body []byte) {
	store := a.opts.Idempotency.store
	finish, cancel := context.WithTimeout(context.WithoutCancel(ctx.Context()), storeTimeout)
	defer cancel()
	done := false
	defer func() {
		if !done {
			if err := store.Release(finish, claim); err != nil {
				a.opts.Logs.App.Error("release idempotency key", "request_id", Info(ctx.Context()).ID, "error", err.Error())
			}
		}
	}()
	rec := &copying{humaContext: &rereading{humaContext: ctx, body: body}}
	next(rec)
	if !storable(rec.status) {
		return
	}
	r := db.IdempotentResponse{Status: rec.status, Body: bytes.Clone(rec.body.Bytes())}
	for _, h := range rec.header {
		switch http.CanonicalHeaderKey(h.name) {
		case "Content-Type":
			r.ContentType = h.value
		case "Location":
			r.Location = h.value
		}
	}
	done = true
	if err := store.Complete(finish, claim, r); err != nil {
		// The key stays reserved: retries are told it is in progress until it expires, which is
		// safe; running the request again is not.
		a.opts.Logs.App.Error("store idempotent response", "request_id", Info(ctx.Context()).ID, "error", err.Error())
	}
}

// storable reports whether a response is kept for replay (see Idempotency, rule 3).
func storable(status int) bool {
	return status >= 200 && status < 500 && status != http.StatusConflict && status != http.StatusTooManyRequests
}

// replay answers with a stored response.
func replay(ctx huma.Context, r db.IdempotentResponse) {
	if r.ContentType != "" {
		ctx.SetHeader("Content-Type", r.ContentType)
	}
	if r.Location != "" {
		ctx.SetHeader("Location", r.Location)
	}
	ctx.SetHeader(ReplayedHeader, "true")
	ctx.SetStatus(r.Status)
	_, _ = ctx.BodyWriter().Write(r.Body)
}

// idempotencyKey returns the request's key and whether the header was sent at all: an empty
// header is a client mistake to report, not the absence of a key.
func idempotencyKey(ctx huma.Context) (string, bool) {
	if key := ctx.Header(IdempotencyKeyHeader); key != "" {
		return key, true
	}
	sent := false
	ctx.EachHeader(func(name, _ string) {
		sent = sent || strings.EqualFold(name, IdempotencyKeyHeader)
	})
	return "", sent
}

// validIdempotencyKey accepts 1 to 255 printable ASCII characters: keys are stored as text on
// both engines, and PostgreSQL refuses bytes that are not UTF-8.
func validIdempotencyKey(key string) bool {
	if key == "" || len(key) > MaxIdempotencyKey {
		return false
	}
	for i := range len(key) {
		if key[i] < ' ' || key[i] > '~' {
			return false
		}
	}
	return true
}

// fingerprint identifies a keyed request: SHA-256 over its method, canonical path, query and
// raw body bytes, so the same key on another endpoint or object is refused like another body.
func fingerprint(ctx huma.Context, body []byte) string {
	u := ctx.URL()
	h := sha256.New()
	for _, part := range []string{ctx.Method(), CanonicalPath(u.Path), u.Query().Encode()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// writeErr answers with err in the envelope.
func (a *API) writeErr(ctx huma.Context, err error) {
	_ = huma.WriteErr(a.Huma, ctx, StatusOf(err), "", err)
}

// rereading hands the handler the request body the middleware has already read.
type rereading struct {
	humaContext
	body []byte
}

func (r *rereading) BodyReader() io.Reader { return bytes.NewReader(r.body) }
