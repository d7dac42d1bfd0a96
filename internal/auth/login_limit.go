package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// loginKey names the failure counter of one username (or email), whatever its case.
func loginKey(login string) string { return "login:" + strings.ToLower(strings.TrimSpace(login)) }

// checkLoginFailures refuses a login attempt, before any password is checked, once the username
// has used up its failures (SPEC §10: 10 per 15 min). It answers 429 whether or not the
// account exists, so it reveals nothing.
func (s *Service) checkLoginFailures(ctx context.Context, login string, meta ClientMeta) error {
	if s.logins == nil {
		return nil
	}
	d, err := s.logins.Check(ctx, loginKey(login), s.loginMax)
	if err != nil || d.Allowed {
		return nil // a failing limiter must not lock everyone out
	}
	secs := d.RetryAfterSeconds()
	s.security.Warn("login throttled", "event", "throttled", "scope", "login_failures", "login", login, "ip", meta.IP)
	return &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(api.MsgThrottled, secs),
		RetryAfter: d.RetryAfter}
}

// recordLoginFailure counts one failed login of the username.
func (s *Service) recordLoginFailure(ctx context.Context, login string) {
	if s.logins != nil {
		_, _ = s.logins.Allow(ctx, loginKey(login), s.loginMax)
	}
}
