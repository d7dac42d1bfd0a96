package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
)

// attemptKey names the failure counter a password check counts against (SPEC §10: 10 failures
// per 15 min). A login that resolves to an account counts against the account, whatever name it
// was typed as (username or email, any case), and so does a change of password with a wrong
// old one: guesses cannot be spread over spellings or endpoints. A login that matches no account
// counts against its normalised text, so unknown names are limited alike and the answers reveal
// nothing about which accounts exist.
func attemptKey(u *User, login string) string {
	if u != nil {
		return "login:user:" + u.ID
	}
	return "login:name:" + strings.ToLower(strings.TrimSpace(login))
}

// reserveAttempt counts one password check against key before the password is hashed, and
// refuses it with 429 once the failures are used up. The check and the count are one atomic
// step, so concurrent attempts cannot all slip through while earlier ones are still hashing.
// The caller releases the reservation when the password was right; a wrong one stays counted.
// logAttrs describe the attempt in the security log.
func (s *Service) reserveAttempt(ctx context.Context, key string, logAttrs ...any) (*ratelimit.Reservation, error) {
	if s.logins == nil {
		return nil, nil
	}
	d, r, err := s.logins.Reserve(ctx, key, s.loginMax)
	if err != nil || d.Allowed {
		return r, nil // a failing limiter must not lock everyone out
	}
	secs := d.RetryAfterSeconds()
	s.security.Warn("login throttled", append([]any{"event", "throttled", "scope", "login_failures"}, logAttrs...)...)
	return nil, &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(api.MsgThrottled, secs),
		RetryAfter: d.RetryAfter}
}

// releaseAttempt takes back the reservation of a password check that succeeded: only failures
// count. It outlives a cancelled request, so a client that hangs up does not leave a failure.
func (s *Service) releaseAttempt(ctx context.Context, r *ratelimit.Reservation) {
	_ = r.Release(context.WithoutCancel(ctx))
}
