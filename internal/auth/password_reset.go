package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// PasswordResetTTL is how long a password reset link works.
const PasswordResetTTL = time.Hour

// defaultResetRate bounds the reset emails one address can be sent.
var defaultResetRate = ratelimit.Rate{Limit: 5, Period: time.Hour}

func resetRate(r ratelimit.Rate) ratelimit.Rate {
	if r.Limit <= 0 || r.Period <= 0 {
		return defaultResetRate
	}
	return r
}

// RequestPasswordReset queues the reset email job for email. It does the same work whatever
// the email is (the job looks the account up), so neither the answer nor its timing tells
// whether an account uses it. Requests are limited per address: one account cannot be flooded
// with emails from many IPs.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, meta ClientMeta) error {
	email = validate.NormalizeEmail(email)
	if !validate.Email(email) {
		return fault.Field("email", validate.MsgEmail)
	}
	if s.logins != nil {
		d, err := s.logins.Allow(ctx, "password_reset:email:"+email, s.resetMax)
		if err == nil && !d.Allowed {
			s.security.Warn("password reset throttled", "event", "throttled", "scope", "password_reset", "ip", meta.IP)
			return &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(api.MsgThrottled, d.RetryAfterSeconds()),
				RetryAfter: d.RetryAfter}
		}
	}
	s.security.Info("password reset requested", "event", "password_reset_requested", "ip", meta.IP)
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if s.mailer == nil {
			return nil
		}
		return s.mailer.PasswordResetRequested(ctx, tx, email)
	})
}

// ActiveUserByEmail returns the active user whose email is email (the reset email's job);
// NotFound when there is none.
func (s *Service) ActiveUserByEmail(ctx context.Context, email string) (*User, error) {
	return s.store.activeUserByEmail(ctx, s.db.R, validate.NormalizeEmail(email))
}

// IssuePasswordReset stores a new reset token for u, valid for PasswordResetTTL, and returns
// the token for the email that carries it.
func (s *Service) IssuePasswordReset(ctx context.Context, u *User) (string, error) {
	token, hash := newEmailToken()
	now := s.stamp()
	r := &passwordReset{ID: db.NewID(), FirmID: u.FirmID, UserID: u.ID, TokenHash: hash,
		ExpiresAt: now.Add(PasswordResetTTL), CreatedAt: now}
	if err := s.store.insertPasswordReset(ctx, s.db.W, r); err != nil {
		return "", err
	}
	return token, nil
}

// ConfirmPasswordReset sets a new password with a reset token (the rules of a password
// change), spends the token and every other pending one of the user, and ends all the user's
// sessions.
func (s *Service) ConfirmPasswordReset(ctx context.Context, token, newPassword string, meta ClientMeta) error {
	badToken := fault.Field("token", MsgResetToken)
	r, err := s.store.passwordResetByToken(ctx, s.db.R, HashRefresh(token))
	now := s.stamp()
	if fault.KindOf(err) == fault.NotFound || err == nil && (r.UsedAt != nil || !now.Before(r.ExpiresAt)) {
		s.security.Warn("password reset refused", "event", "password_reset_refused", "ip", meta.IP)
		return badToken
	}
	if err != nil {
		return err
	}
	firm := db.ForFirm(r.FirmID)
	u, err := s.store.user(ctx, s.db.R, firm, r.UserID)
	if err != nil {
		return err
	}
	if !u.IsActive {
		return badToken
	}
	var f fault.Fields
	for _, p := range PasswordProblems(newPassword, u.Username, u.Email) {
		f.Add("new_password", p)
	}
	if strings.TrimSpace(newPassword) == "" && !f.Has("new_password") {
		f.Add("new_password", validate.MsgRequired)
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(newPassword)
	if err != nil {
		return err
	}
	ctx = recording(ctx, audit.User(u.ID, u.FullName()), r.FirmID, auditPasswordReset, (*User)(nil), u.ID)
	err = s.db.Tx(db.WithFirm(ctx, r.FirmID), func(ctx context.Context, tx bun.Tx) error {
		spent, err := s.store.spendPasswordResets(ctx, tx, r.ID, u.ID, now)
		if err != nil {
			return err
		}
		if !spent {
			return badToken // a concurrent confirm used it first
		}
		u.PasswordHash, u.UpdatedAt = hash, now
		if err := s.store.updateUser(ctx, tx, firm, u, "password_hash"); err != nil {
			return err
		}
		return s.store.revokeUserSessions(ctx, tx, firm, u.ID, "", "password reset", now)
	})
	if err != nil {
		return err
	}
	s.security.Info("password reset: every session revoked", "event", "password_reset", "user", u.ID, "firm", u.FirmID,
		"ip", meta.IP)
	return nil
}
