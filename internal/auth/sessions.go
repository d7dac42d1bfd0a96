package auth

import (
	"context"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/locale"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// Registration is a new firm with its first user, the owner.
type Registration struct {
	FirmName string
	Username string
	Email    string
	Password string
	// Password2 is the optional confirmation of Password (nil: not sent); when sent it must equal
	// Password.
	Password2 *string
	FirstName string
	LastName  string
}

// MsgBlank is the message of a field that holds only whitespace.
const MsgBlank = "This field may not be blank."

// registrationProblems checks a registration's fields, required ones included.
func registrationProblems(r Registration) fault.Fields {
	f := AccountProblems(r.Username, r.Email, r.Password)
	if r.FirmName != "" && strings.TrimSpace(r.FirmName) == "" {
		f.Add("firm_name", MsgBlank)
	}
	if r.Password2 != nil && *r.Password2 != r.Password {
		f.Add("password2", MsgPasswordMismatch)
	}
	return f
}

// Register creates a new firm and its owner and logs the owner in, in one transaction. It
// never adds anyone to an existing firm.
func (s *Service) Register(ctx context.Context, r Registration, meta ClientMeta) (*Firm, *User, TokenPair, error) {
	bad := registrationProblems(r)
	requireFields(&bad, map[string]string{"firm_name": r.FirmName, "username": r.Username, "email": r.Email, "password": r.Password})
	if err := bad.Err(); err != nil {
		return nil, nil, TokenPair{}, err
	}
	now := s.stamp()
	firm := &Firm{ID: db.NewID(), Name: strings.TrimSpace(r.FirmName), Timezone: "UTC", DefaultCurrency: "USD",
		DefaultPaymentTerms: PaymentNet30, InvoicePrefix: "INV", ProposalPrefix: "PROP", ContractPrefix: "CTR", Locale: locale.Default,
		CreatedAt: now, UpdatedAt: now}
	user := &User{ID: db.NewID(), FirmID: firm.ID, Username: strings.TrimSpace(r.Username),
		Email: validate.NormalizeEmail(r.Email), FirstName: strings.TrimSpace(r.FirstName),
		LastName: strings.TrimSpace(r.LastName), Role: Owner, IsActive: true, CreatedAt: now, UpdatedAt: now}
	hash, err := s.hasher.Hash(r.Password)
	if err != nil {
		return nil, nil, TokenPair{}, err
	}
	user.PasswordHash = hash
	var pair TokenPair
	ctx = recording(ctx, audit.User(user.ID, user.FullName()), firm.ID, "create", (*Firm)(nil), "")
	// The writes are the new firm's: no other firm's cached answers are refreshed.
	err = s.db.Tx(db.WithFirm(ctx, firm.ID), func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkUnique(ctx, tx, user.Username, user.Email, ""); err != nil {
			return err
		}
		if err := s.store.insertFirm(ctx, tx, firm); err != nil {
			return err
		}
		if s.created != nil {
			if err := s.created(ctx, tx, firm.ID, now); err != nil {
				return err
			}
		}
		if err := s.store.insertUser(ctx, tx, user); err != nil {
			return uniqueRace(err)
		}
		pair, err = s.startSession(ctx, tx, user, meta)
		return err
	})
	if err != nil {
		return nil, nil, TokenPair{}, err
	}
	s.security.Info("firm registered", "event", "register", "user", user.ID, "firm", firm.ID, "ip", meta.IP)
	return firm, user, pair, nil
}

// Login checks a username-or-email and password and opens a session. Every failure gives the same
// message and costs about the same time, so it reveals nothing about which accounts exist.
func (s *Service) Login(ctx context.Context, login, password string, meta ClientMeta) (*User, TokenPair, error) {
	fail := fault.New(fault.AuthFailed, MsgBadLogin)
	u, err := s.store.userByLogin(ctx, s.db.R, login)
	switch {
	case fault.KindOf(err) == fault.NotFound:
		u = nil
	case err != nil:
		return nil, TokenPair{}, err
	}
	attempt, err := s.reserveAttempt(ctx, attemptKey(u, login), "login", login, "ip", meta.IP)
	if err != nil {
		return nil, TokenPair{}, err
	}
	if u == nil {
		s.hasher.DummyCheck(password)
		s.security.Warn("login failed", "event", "login_failure", "login", login, "reason", "unknown user", "ip", meta.IP)
		return nil, TokenPair{}, fail
	}
	ok, err := s.hasher.Check(u.PasswordHash, password)
	if err != nil || !ok || !u.IsActive {
		reason := "wrong password"
		if ok {
			reason = "user deactivated"
		}
		s.security.Warn("login failed", "event", "login_failure", "login", login, "user", u.ID, "firm", u.FirmID,
			"reason", reason, "ip", meta.IP)
		return nil, TokenPair{}, fail
	}
	s.releaseAttempt(ctx, attempt)
	var pair TokenPair
	ctx = recording(ctx, audit.User(u.ID, u.FullName()), u.FirmID, auditLogin, (*User)(nil), u.ID)
	err = s.db.Tx(db.WithFirm(ctx, u.FirmID), func(ctx context.Context, tx bun.Tx) error {
		now := s.stamp()
		u.LastLogin = &now
		if err := s.store.updateUser(ctx, tx, db.ForFirm(u.FirmID), u, "last_login"); err != nil {
			return err
		}
		if s.hasher.NeedsRehash(u.PasswordHash) {
			if h, err := s.hasher.Hash(password); err == nil {
				u.PasswordHash = h
				if err := s.store.updateUser(ctx, tx, db.ForFirm(u.FirmID), u, "password_hash"); err != nil {
					return err
				}
			}
		}
		pair, err = s.startSession(ctx, tx, u, meta)
		return err
	})
	if err != nil {
		return nil, TokenPair{}, err
	}
	s.security.Info("login succeeded", "event", "login_success", "user", u.ID, "firm", u.FirmID, "ip", meta.IP)
	return u, pair, nil
}

// Refresh rotates a refresh token: the presented one is spent and a new pair issued. A token
// that was already spent is evidence of theft and revokes its whole session, except within the
// reuse interval after its rotation: then it gets the same new pair again, so that parallel
// requests of one client that all refresh with the same token do not log the user out.
func (s *Service) Refresh(ctx context.Context, refresh string, meta ClientMeta) (TokenPair, error) {
	fail := fault.New(fault.AuthFailed, MsgBadRefresh)
	hash := HashRefresh(refresh)
	var pair TokenPair
	var reused, replayed bool
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rt, sess, err := s.store.refreshWithSession(ctx, tx, hash)
		if fault.KindOf(err) == fault.NotFound {
			return fail
		}
		if err != nil {
			return err
		}
		now := s.stamp()
		if sess.RevokedAt != nil || !sess.ExpiresAt.After(now) {
			return fail
		}
		if rt.UsedAt == nil {
			spent, err := s.store.markRefreshUsed(ctx, tx, hash, now)
			if err != nil {
				return err
			}
			if spent {
				pair, err = s.rotate(ctx, tx, sess, refresh, now, false)
				return err
			}
			// A concurrent refresh spent it after it was read: when is what counts.
			if rt, err = s.store.refreshToken(ctx, tx, hash); err != nil {
				return err
			}
		}
		if s.reuse > 0 && now.Before(rt.UsedAt.Add(s.reuse)) {
			pair, err = s.rotate(ctx, tx, sess, refresh, *rt.UsedAt, true)
			if fault.KindOf(err) != fault.NotFound {
				replayed = err == nil
				return err
			}
			// No successor of this token: it was not rotated the way it is now (a token spent
			// before derived successors, or under another secret key). Treat it as reused.
		}
		reused = true
		return s.store.revokeSession(ctx, tx, sess.FirmID, sess.ID, "refresh token reused", now)
	})
	if err != nil {
		return TokenPair{}, err
	}
	if reused {
		s.security.Warn("refresh token reused: session revoked", "event", "refresh_reuse", "ip", meta.IP)
		return TokenPair{}, fail
	}
	if replayed {
		s.security.Info("refresh token presented again within the reuse interval: same pair issued",
			"event", "refresh_replay", "ip", meta.IP)
	}
	return pair, nil
}

// rotate issues the pair that spending refresh at rotatedAt gives: its derived successor and an
// access token issued at rotatedAt. The first time (again false) it stores the successor; again,
// it requires the stored successor (NotFound without one) and issues the very same pair.
func (s *Service) rotate(ctx context.Context, tx bun.IDB, sess *Session, refresh string, rotatedAt time.Time, again bool) (TokenPair, error) {
	u, err := s.store.user(ctx, tx, db.ForFirm(sess.FirmID), sess.UserID)
	if err != nil {
		return TokenPair{}, err
	}
	if !u.IsActive {
		return TokenPair{}, fault.New(fault.AuthFailed, MsgBadRefresh)
	}
	next, hash := s.tokens.Successor(refresh)
	if again {
		rt, err := s.store.refreshToken(ctx, tx, hash)
		if err != nil {
			return TokenPair{}, err
		}
		if rt.SessionID != sess.ID {
			return TokenPair{}, fault.New(fault.NotFound, "no successor")
		}
	} else {
		if err := s.store.touchSession(ctx, tx, sess.ID, rotatedAt); err != nil {
			return TokenPair{}, err
		}
		if err := s.store.insertRefresh(ctx, tx, hash, sess.ID, rotatedAt); err != nil {
			return TokenPair{}, err
		}
	}
	access, err := s.tokens.AccessAt(u.ID, u.FirmID, sess.ID, rotatedAt)
	if err != nil {
		return TokenPair{}, err
	}
	return TokenPair{Access: access, Refresh: next}, nil
}

// Logout ends the caller's session: its access and refresh tokens stop working at once. A refresh
// token sent along ends its own session too when it is one of the caller's.
func (s *Service) Logout(ctx context.Context, a Actor, refresh string) error {
	now := s.stamp()
	ctx = recording(ctx, by(a), a.FirmID, auditLogout, (*User)(nil), a.UserID)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.store.revokeSession(ctx, tx, a.FirmID, a.SessionID, "logout", now); err != nil {
			return err
		}
		if refresh == "" {
			return nil
		}
		_, sess, err := s.store.refreshWithSession(ctx, tx, HashRefresh(refresh))
		switch {
		case err == nil && sess.UserID == a.UserID && sess.ID != a.SessionID:
			return s.store.revokeSession(ctx, tx, sess.FirmID, sess.ID, "logout", now)
		case err != nil && fault.KindOf(err) != fault.NotFound:
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.security.Info("logout", "event", "logout", "user", a.UserID, "firm", a.FirmID)
	return nil
}

// LogoutRefresh ends the session of a refresh token, for a client that no longer has a valid
// access token: the refresh token is the credential, as in OAuth token revocation (RFC 7009).
// Any token the session issued will do, spent ones too (presenting one after its reuse interval
// would revoke the session anyway); a session that has already ended stays ended. A token that
// names no session is refused like a bad refresh.
func (s *Service) LogoutRefresh(ctx context.Context, refresh string, meta ClientMeta) error {
	_, sess, err := s.store.refreshWithSession(ctx, s.db.R, HashRefresh(refresh))
	if fault.KindOf(err) == fault.NotFound {
		return fault.New(fault.AuthFailed, MsgBadRefresh)
	}
	if err != nil {
		return err
	}
	u, err := s.store.user(ctx, s.db.R, db.ForFirm(sess.FirmID), sess.UserID)
	if err != nil {
		return err
	}
	ctx = recording(ctx, audit.User(u.ID, u.FullName()), sess.FirmID, auditLogout, (*User)(nil), u.ID)
	if err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.store.revokeSession(ctx, tx, sess.FirmID, sess.ID, "logout", s.stamp())
	}); err != nil {
		return err
	}
	s.security.Info("logout", "event", "logout", "user", sess.UserID, "firm", sess.FirmID, "credential", "refresh",
		"ip", meta.IP)
	return nil
}

// ChangePassword replaces the caller's password after checking the old one, and ends every other
// session of the user.
func (s *Service) ChangePassword(ctx context.Context, a Actor, oldPassword, newPassword string) error {
	u, err := s.store.user(ctx, s.db.R, a.Firm(), a.UserID)
	if err != nil {
		return err
	}
	// A wrong old password is a password guess like a failed login: it counts against the same
	// account, so a stolen access token does not open a second, unlimited way to guess.
	attempt, err := s.reserveAttempt(ctx, attemptKey(u, ""), "user", u.ID, "firm", u.FirmID, "endpoint", "change-password")
	if err != nil {
		return err
	}
	if ok, _ := s.hasher.Check(u.PasswordHash, oldPassword); !ok {
		s.security.Warn("password change refused", "event", "password_change_failure", "user", u.ID, "firm", u.FirmID)
		return fault.Field("old_password", MsgWrongPassword)
	}
	s.releaseAttempt(ctx, attempt)
	var f fault.Fields
	for _, p := range PasswordProblems(newPassword, u.Username, u.Email) {
		f.Add("new_password", p)
	}
	if newPassword == oldPassword {
		f.Add("new_password", MsgSamePassword)
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(newPassword)
	if err != nil {
		return err
	}
	ctx = recording(ctx, by(a), a.FirmID, auditPasswordChange, (*User)(nil), u.ID)
	err = s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		u.PasswordHash = hash
		u.UpdatedAt = s.stamp()
		if err := s.store.updateUser(ctx, tx, a.Firm(), u, "password_hash"); err != nil {
			return err
		}
		return s.store.revokeUserSessions(ctx, tx, a.Firm(), u.ID, a.SessionID, "password changed", s.stamp())
	})
	if err == nil {
		s.security.Info("password changed: other sessions revoked", "event", "password_changed", "user", u.ID, "firm", u.FirmID)
	}
	return err
}

// TokenPair is what login, registration and refresh hand out.
type TokenPair struct {
	Access  string
	Refresh string
}

// ClientMeta describes where a login comes from, kept on the session for the user's review.
type ClientMeta struct {
	UserAgent string
	IP        string
}

// DeleteExpiredSessions removes the sessions whose refresh tokens have all expired at now: none
// of their tokens can be used again, so they only fill the table. Revoked sessions that have
// not expired yet are kept, since a stolen refresh token of theirs must still be recognised.
func (s *Service) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	return s.store.deleteExpiredSessions(ctx, s.db.W, db.Stamp(now))
}
