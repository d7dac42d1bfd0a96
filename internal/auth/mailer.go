package auth

import (
	"context"

	"github.com/uptrace/bun"
)

// Mailer hears of the auth events that send an email, inside the transaction that commits
// them, so that the email is queued exactly when the event happens.
type Mailer interface {
	// Invited runs when an invitation is created.
	Invited(ctx context.Context, tx bun.Tx, firmID, invitationID string) error
	// PasswordResetRequested runs for every reset request, whether or not the email belongs to
	// an account: the job finds out, so the request looks the same either way.
	PasswordResetRequested(ctx context.Context, tx bun.Tx, email string) error
}

// Mail sets who hears of auth's email events (nobody until it is called). Call it before
// serving.
func (s *Service) Mail(m Mailer) { s.mailer = m }

// newEmailToken draws the secret of an emailed link and the hash it is stored under (the same
// 256 random bits and SHA-256 as a refresh token).
func newEmailToken() (token, hash string) { return NewRefresh() }
