package notify

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// InvitationArgs is the job that emails an invitation to join a firm.
type InvitationArgs struct {
	FirmID       string `json:"firm_id"`
	InvitationID string `json:"invitation_id"`
}

// Kind names the job.
func (InvitationArgs) Kind() string { return "email.invitation" }

// InvitationKey is the event key of an invitation's email.
func InvitationKey(invitationID string) string { return "invitation." + invitationID }

// Invited queues the invitation's email in tx, the transaction that creates it (auth.Mailer).
func (s *Service) Invited(ctx context.Context, tx bun.Tx, firmID, invitationID string) error {
	return s.d.Queue.Enqueue(ctx, tx, InvitationArgs{FirmID: firmID, InvitationID: invitationID}, oncePerArgs)
}

// invitationEmail is what the invitation templates show.
type invitationEmail struct {
	FirmName, Name, Role, AcceptURL, Expires string
}

func (s *Service) workInvitation(ctx context.Context, job *river.Job[InvitationArgs]) error {
	ctx = withAttempt(ctx, job)
	a := job.Args
	inv, err := s.d.Auth.Invitation(ctx, a.FirmID, a.InvitationID)
	if fault.KindOf(err) == fault.NotFound {
		return river.JobCancel(errors.New("the invitation no longer exists"))
	}
	if err != nil {
		return err
	}
	if !inv.Pending(s.d.Now()) {
		return nil // accepted or expired before its email went
	}
	firm, err := s.d.Auth.FirmByID(ctx, a.FirmID)
	if err != nil {
		return err
	}
	// The token is drawn only once the email is claimed: a second run never replaces the token
	// of an email already sent.
	return s.deliverBuilt(ctx, InvitationKey(inv.ID), a.FirmID, a.Kind(), inv.Email, func() (mail.Message, error) {
		token, err := s.d.Auth.IssueInvitationToken(ctx, a.FirmID, inv.ID)
		if err != nil {
			return mail.Message{}, err
		}
		name := strings.TrimSpace(inv.FirstName + " " + inv.LastName)
		m, err := s.render("invitation", invitationEmail{FirmName: firm.Name, Name: name, Role: string(inv.Role),
			AcceptURL: s.link("/accept-invitation", token), Expires: inv.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")})
		if err != nil {
			return m, err
		}
		m.FromName = firm.Name
		m.To = mail.Address{Name: name, Email: inv.Email}
		return m, nil
	})
}

// link is PUBLIC_URL + path with the token as its query.
func (s *Service) link(path, token string) string {
	return s.d.PublicURL + path + "?token=" + url.QueryEscape(token)
}
