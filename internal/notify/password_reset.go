package notify

import (
	"context"
	"strconv"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// PasswordResetArgs is the job that emails a password reset link to the active user whose
// email was given, if there is one.
type PasswordResetArgs struct {
	Email string `json:"email"`
}

// Kind names the job.
func (PasswordResetArgs) Kind() string { return "email.password_reset" }

// PasswordResetRequested queues the reset job in tx (auth.Mailer). Every request is its own
// job: each asks for a new link.
func (s *Service) PasswordResetRequested(ctx context.Context, tx bun.Tx, email string) error {
	return s.d.Queue.Enqueue(ctx, tx, PasswordResetArgs{Email: email}, nil)
}

// resetEmail is what the password reset templates show.
type resetEmail struct {
	FirmName, Name, Username, ResetURL string
}

func (s *Service) workPasswordReset(ctx context.Context, job *river.Job[PasswordResetArgs]) error {
	ctx = withAttempt(ctx, job)
	u, err := s.d.Auth.ActiveUserByEmail(ctx, job.Args.Email)
	if fault.KindOf(err) == fault.NotFound {
		return nil // no account uses it: nothing is sent, and the requester cannot tell
	}
	if err != nil {
		return err
	}
	firm, err := s.d.Auth.FirmByID(ctx, u.FirmID)
	if err != nil {
		return err
	}
	// The job's id is the event: a retry of this job sends at most once, and a new request
	// (a new job) sends a new link.
	key := "password_reset." + strconv.FormatInt(job.ID, 10)
	return s.deliverBuilt(ctx, key, u.FirmID, job.Kind, u.Email, func() (mail.Message, error) {
		token, err := s.d.Auth.IssuePasswordReset(ctx, u)
		if err != nil {
			return mail.Message{}, err
		}
		m, err := s.render("password_reset", resetEmail{FirmName: firm.Name, Name: u.FullName(), Username: u.Username,
			ResetURL: s.link("/reset-password", token)})
		if err != nil {
			return m, err
		}
		m.FromName = firm.Name
		m.To = mail.Address{Name: u.FullName(), Email: u.Email}
		return m, nil
	})
}
