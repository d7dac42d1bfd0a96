package auth

import (
	"context"
	"github.com/consultantpro/consultantpro/internal/audit"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// InvitationTTL is how long an invitation's link works.
const InvitationTTL = 72 * time.Hour

// Messages of invitations and password resets.
const (
	MsgInvitationToken = "This invitation link is invalid, expired or already used."
	MsgResetToken      = "This password reset link is invalid, expired or already used."
)

// NewInvitation is whom an owner or admin invites, and with which role.
type NewInvitation struct {
	Email     string
	Role      Role
	FirstName string
	LastName  string
}

// Invite creates a pending invitation to the caller's firm and queues its email in the same
// transaction. The rules are those of adding a user: owners and admins only, only an owner
// invites an owner, a valid role, and an email no account uses yet.
func (s *Service) Invite(ctx context.Context, a Actor, n NewInvitation) (*Invitation, error) {
	if err := (userPolicy{}).allow(a); err != nil {
		return nil, err
	}
	if err := (userPolicy{}).allowOn(a, nil, &n.Role); err != nil {
		return nil, err
	}
	var bad fault.Fields
	if n.Email != "" && !validate.Email(strings.TrimSpace(n.Email)) {
		bad.Add("email", validate.MsgEmail)
	}
	requireFields(&bad, map[string]string{"email": n.Email})
	if !n.Role.Valid() {
		bad.Add("role", validate.ChoiceMessage(n.Role))
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	// The emailed token is drawn by the job that sends it; this one is never shown to anyone.
	_, hash := newEmailToken()
	inv := &Invitation{ID: db.NewID(), FirmID: a.FirmID, Email: validate.NormalizeEmail(n.Email), Role: n.Role,
		FirstName: strings.TrimSpace(n.FirstName), LastName: strings.TrimSpace(n.LastName), TokenHash: hash,
		InvitedBy: a.UserID, ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}
	ctx = recording(ctx, by(a), a.FirmID, "create", (*Invitation)(nil), "")
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkUnique(ctx, tx, "", inv.Email, ""); err != nil {
			return err
		}
		if err := s.store.insertInvitation(ctx, tx, inv); err != nil {
			return err
		}
		if s.mailer == nil {
			return nil
		}
		return s.mailer.Invited(ctx, tx, inv.FirmID, inv.ID)
	})
	if err != nil {
		return nil, err
	}
	s.security.Info("user invited", "event", "user_invited", "invitation", inv.ID, "role", string(inv.Role),
		"by", a.UserID, "firm", a.FirmID)
	return inv, nil
}

// Invitation returns a firm's invitation (the job that emails it).
func (s *Service) Invitation(ctx context.Context, firmID, id string) (*Invitation, error) {
	return s.store.invitation(ctx, s.db.R, db.ForFirm(firmID), id)
}

// Pending reports whether the invitation can still be accepted at now.
func (inv *Invitation) Pending(now time.Time) bool {
	return inv.AcceptedAt == nil && now.Before(inv.ExpiresAt)
}

// IssueInvitationToken draws a new token for a pending invitation, stores its hash and returns
// the token, for the email that carries it. A token issued before stops working.
func (s *Service) IssueInvitationToken(ctx context.Context, firmID, id string) (string, error) {
	token, hash := newEmailToken()
	if err := s.store.setInvitationToken(ctx, s.db.W, db.ForFirm(firmID), id, hash); err != nil {
		return "", err
	}
	return token, nil
}

// AcceptInvitation turns a pending invitation into a user of its firm, with the invitation's
// email, names and role and the username and password the invitee chose (the rules of every
// new account), and signs them in. The invitation can be used once.
func (s *Service) AcceptInvitation(ctx context.Context, token, username, password string, meta ClientMeta) (*Firm, *User, TokenPair, error) {
	badToken := fault.Field("token", MsgInvitationToken)
	inv, err := s.store.invitationByToken(ctx, s.db.R, HashRefresh(token))
	if fault.KindOf(err) == fault.NotFound || err == nil && !inv.Pending(s.now()) {
		s.security.Warn("invitation refused", "event", "invitation_refused", "ip", meta.IP)
		return nil, nil, TokenPair{}, badToken
	}
	if err != nil {
		return nil, nil, TokenPair{}, err
	}
	bad := AccountProblems(username, inv.Email, password)
	requireFields(&bad, map[string]string{"username": username, "password": password})
	// The email is the invitation's: a password rule about it is reported on the password.
	if err := bad.Err(); err != nil {
		return nil, nil, TokenPair{}, err
	}
	now := s.stamp()
	u := &User{ID: db.NewID(), FirmID: inv.FirmID, Username: strings.TrimSpace(username), Email: inv.Email,
		FirstName: inv.FirstName, LastName: inv.LastName, Role: inv.Role, IsActive: true, CreatedAt: now, UpdatedAt: now}
	if u.PasswordHash, err = s.hasher.Hash(password); err != nil {
		return nil, nil, TokenPair{}, err
	}
	var firm *Firm
	var pair TokenPair
	ctx = recording(ctx, audit.User(u.ID, u.FullName()), inv.FirmID, "create", (*User)(nil), "")
	err = s.db.Tx(db.WithFirm(ctx, inv.FirmID), func(ctx context.Context, tx bun.Tx) error {
		// Spending the invitation first makes two concurrent accepts see one winner.
		spent, err := s.store.acceptInvitation(ctx, tx, inv.ID, now)
		if err != nil {
			return err
		}
		if !spent {
			return badToken
		}
		if err := s.checkUnique(ctx, tx, u.Username, u.Email, ""); err != nil {
			return err
		}
		if err := s.store.insertUser(ctx, tx, u); err != nil {
			return uniqueRace(err)
		}
		if firm, err = s.store.firm(ctx, tx, inv.FirmID); err != nil {
			return err
		}
		pair, err = s.startSession(ctx, tx, u, meta)
		return err
	})
	if err != nil {
		return nil, nil, TokenPair{}, err
	}
	s.security.Info("invitation accepted", "event", "invitation_accepted", "invitation", inv.ID, "user", u.ID,
		"role", string(u.Role), "firm", u.FirmID, "ip", meta.IP)
	return firm, u, pair, nil
}
