package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/danielgtaylor/huma/v2"
)

// InvitationOut is an invitation as the API shows it (never its token).
type InvitationOut struct {
	ID         string     `json:"id" format:"uuid"`
	Email      string     `json:"email" format:"email"`
	Role       Role       `json:"role"`
	FirstName  string     `json:"first_name"`
	LastName   string     `json:"last_name"`
	InvitedBy  string     `json:"invited_by" format:"uuid"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at" nullable:"true"`
	CreatedAt  time.Time  `json:"created_at"`
}

func invitationOut(inv *Invitation) InvitationOut {
	return InvitationOut{ID: inv.ID, Email: inv.Email, Role: inv.Role, FirstName: inv.FirstName, LastName: inv.LastName,
		InvitedBy: inv.InvitedBy, ExpiresAt: inv.ExpiresAt.UTC(), AcceptedAt: inv.AcceptedAt, CreatedAt: inv.CreatedAt.UTC()}
}

type inviteIn struct {
	Body struct {
		Email     string `json:"email" minLength:"1" maxLength:"254"`
		Role      Role   `json:"role"`
		FirstName string `json:"first_name,omitempty" maxLength:"150"`
		LastName  string `json:"last_name,omitempty" maxLength:"150"`
	}
}

// Resolve reports a malformed email with huma's schema errors.
func (in *inviteIn) Resolve(huma.Context) []error { return emailProblem(&in.Body.Email) }

type acceptInvitationIn struct {
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"512" doc:"The token of the invitation email's link"`
		Username string `json:"username" minLength:"1" maxLength:"150"`
		Password string `json:"password" minLength:"1" maxLength:"4096"`
	}
	meta ClientMeta
}

func (in *acceptInvitationIn) Resolve(ctx huma.Context) []error {
	in.meta = clientMeta(ctx)
	return nil
}

type resetRequestIn struct {
	Body struct {
		Email string `json:"email" minLength:"1" maxLength:"254"`
	}
	meta ClientMeta
}

func (in *resetRequestIn) Resolve(ctx huma.Context) []error { in.meta = clientMeta(ctx); return nil }

// MsgResetRequested is the one answer to a reset request, whether or not an account uses the
// email.
const MsgResetRequested = "If an active account uses this email, a link to reset its password has been sent to it."

type resetRequestOut struct {
	Body struct {
		Detail string `json:"detail" example:"If an active account uses this email, a link to reset its password has been sent to it."`
	}
}

type resetConfirmIn struct {
	Body struct {
		Token       string `json:"token" minLength:"1" maxLength:"512" doc:"The token of the reset email's link"`
		NewPassword string `json:"new_password" minLength:"1" maxLength:"4096"`
	}
	meta ClientMeta
}

func (in *resetConfirmIn) Resolve(ctx huma.Context) []error { in.meta = clientMeta(ctx); return nil }

// registerInvitations adds inviting users (owners and admins) and accepting an invitation
// (anyone holding its token).
func (h *Handlers) registerInvitations(a *api.API) {
	invite := huma.Operation{OperationID: "invite-firm-user", Method: http.MethodPost, Path: "/firm/users/invite/",
		Summary: "Invite a user", Tags: []string{"Firm"}, DefaultStatus: http.StatusCreated,
		Description: "Owners and admins invite someone by email with a role; only an owner may invite an owner. " +
			"The invitee is emailed a link (PUBLIC_URL/accept-invitation?token=…) valid for 72 hours and single use."}
	api.SetPolicy(&invite, "users.create")
	api.Register(a, invite, Handle(h.invite))
	api.Register(a, huma.Operation{OperationID: "accept-invitation", Method: http.MethodPost, Path: "/auth/invitations/accept/",
		Summary: "Accept an invitation", Tags: []string{"Auth"}, Security: api.Anonymous(), DefaultStatus: http.StatusCreated,
		Description: "Creates the invited user in the inviting firm with the invitation's role, email and names and the " +
			"chosen username and password, and signs them in (as registration answers). An unknown, expired or used " +
			"token: 400 on token."}, h.acceptInvitation)
}

// registerPasswordReset adds the two anonymous steps of a forgotten password.
func (h *Handlers) registerPasswordReset(a *api.API) {
	tags := []string{"Auth"}
	api.Register(a, huma.Operation{OperationID: "request-password-reset", Method: http.MethodPost, Path: "/auth/password-reset/",
		Summary: "Request a password reset email", Tags: tags, Security: api.Anonymous(), DefaultStatus: http.StatusAccepted,
		Errors: []int{http.StatusTooManyRequests},
		Description: "Always 202 with the same body: when an active account uses the email, it is sent a link " +
			"(PUBLIC_URL/reset-password?token=…) valid for one hour and single use. Limited per email address and per IP."},
		h.requestPasswordReset)
	api.Register(a, huma.Operation{OperationID: "confirm-password-reset", Method: http.MethodPost, Path: "/auth/password-reset/confirm/",
		Summary: "Set a new password with a reset token", Tags: tags, Security: api.Anonymous(), DefaultStatus: http.StatusNoContent,
		Description: "Sets the password (the rules of a password change) and ends every session of the user. An unknown, " +
			"expired or used token: 400 on token."}, h.confirmPasswordReset)
}

func (h *Handlers) invite(ctx context.Context, a Actor, in *inviteIn) (*bodyOut[InvitationOut], error) {
	b := in.Body
	inv, err := h.svc.Invite(ctx, a, NewInvitation{Email: b.Email, Role: b.Role, FirstName: b.FirstName, LastName: b.LastName})
	if err != nil {
		return nil, err
	}
	return &bodyOut[InvitationOut]{Body: invitationOut(inv)}, nil
}

func (h *Handlers) acceptInvitation(ctx context.Context, in *acceptInvitationIn) (*sessionOut, error) {
	b := in.Body
	firm, user, pair, err := h.svc.AcceptInvitation(ctx, b.Token, b.Username, b.Password, in.meta)
	if err != nil {
		return nil, err
	}
	out := &sessionOut{}
	u, f := userOut(user), firmOut(firm)
	out.Body.Access, out.Body.Refresh, out.Body.User, out.Body.Firm = pair.Access, pair.Refresh, &u, &f
	return out, nil
}

func (h *Handlers) requestPasswordReset(ctx context.Context, in *resetRequestIn) (*resetRequestOut, error) {
	if err := h.svc.RequestPasswordReset(ctx, in.Body.Email, in.meta); err != nil {
		return nil, err
	}
	out := &resetRequestOut{}
	out.Body.Detail = MsgResetRequested
	return out, nil
}

func (h *Handlers) confirmPasswordReset(ctx context.Context, in *resetConfirmIn) (*struct{}, error) {
	return nil, h.svc.ConfirmPasswordReset(ctx, in.Body.Token, in.Body.NewPassword, in.meta)
}
