package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Messages of refused credentials.
const (
	MsgNotAuthenticated = "Authentication credentials were not provided."
	MsgBadAuthHeader    = "Invalid Authorization header. Use: Bearer <access token>."
)

// Authenticator checks a bearer token and returns a context that carries the caller. It is
// supplied by the auth module; the platform only knows that a route needs it.
type Authenticator func(ctx context.Context, token string) (context.Context, error)

// bearer is the security requirement of every operation that is not public.
func bearer() []map[string][]string { return []map[string][]string{{"bearer": {}}} }

// Anonymous is the security requirement of an operation that needs no credentials
// (registration, login, token refresh): none. Register gives it the PolicyPublic policy.
func Anonymous() []map[string][]string { return []map[string][]string{} }

// BearerOrAnonymous is the security requirement of an operation that takes a bearer token when
// one is sent and otherwise runs unauthenticated, for a handler that accepts another credential
// (logout with the refresh token itself, like RFC 7009's revocation). A token that is sent must
// be valid; the handler decides what an anonymous call may do.
func BearerOrAnonymous() []map[string][]string { return []map[string][]string{{"bearer": {}}, {}} }

// needsAuth reports whether the operation declares a security requirement.
func needsAuth(op *huma.Operation) bool { return len(op.Security) > 0 }

// authOptional reports whether the operation also admits callers without a token (one of its
// security requirements is empty).
func authOptional(op *huma.Operation) bool {
	for _, req := range op.Security {
		if len(req) == 0 {
			return true
		}
	}
	return false
}

// authenticate is the huma middleware that admits only authenticated callers to protected
// operations. Tokens are read from the Authorization header only, never from the query string.
func (a *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	if !needsAuth(ctx.Operation()) {
		next(ctx)
		return
	}
	header := strings.TrimSpace(ctx.Header("Authorization"))
	if header == "" && authOptional(ctx.Operation()) {
		next(ctx)
		return
	}
	if header == "" {
		a.refuse(ctx, fault.New(fault.Unauthenticated, MsgNotAuthenticated))
		return
	}
	scheme, token, _ := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" || a.opts.Authenticate == nil {
		a.refuse(ctx, fault.New(fault.AuthFailed, MsgBadAuthHeader))
		return
	}
	a.checkEarly(ctx, token)
	authed, err := a.opts.Authenticate(ctx.Context(), token)
	if err != nil {
		a.refuse(ctx, err)
		return
	}
	next(huma.WithContext(ctx, authed))
}

// refuse answers 401 with the challenge header and records the refusal in the security log. The
// refused request spends the caller's per-IP budget first (refusedLimit), and is answered 429
// once that is used up.
func (a *API) refuse(ctx huma.Context, err error) {
	info := Info(ctx.Context())
	if fault.KindOf(err) == fault.AuthFailed {
		a.opts.Logs.Security.Warn("token refused", "event", "token_refused", "request_id", info.ID,
			"path", info.Path, "client_ip", info.ClientIP, "reason", err.Error())
	}
	status := StatusOf(err)
	if status != http.StatusUnauthorized && status < 500 {
		err = fault.Wrap(fault.AuthFailed, MsgBadAuthHeader, err)
	}
	if StatusOf(err) == http.StatusUnauthorized && !a.refusedLimit(ctx, err) {
		return
	}
	ctx.SetHeader("WWW-Authenticate", `Bearer realm="api"`)
	_ = huma.WriteErr(a.Huma, ctx, StatusOf(err), "", err)
}
