package notify

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

//go:embed templates/*
var templateFiles embed.FS

// Queue enqueues a job inside a transaction (jobs.Runner).
type Queue interface {
	Enqueue(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error
	EnqueueNow(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// InvoicePDF renders an invoice as a PDF document (the finance module's renderer). Without one
// the invoice email goes without its attachment.
type InvoicePDF interface {
	InvoicePDF(ctx context.Context, firmID, invoiceID string) ([]byte, error)
}

// Deps are what the notifications need.
type Deps struct {
	DB      *db.DB
	Queue   Queue
	Sender  mail.Sender
	Finance *finance.Service
	CRM     *crm.Service
	Auth    *auth.Service
	PDF     InvoicePDF // nil: no attachment
	Now     func() time.Time
	Log     *slog.Logger
	// PublicURL starts every link to this server (PUBLIC_URL). PayLink names the page where a
	// client pays an invoice online (finance's, from PAY_URL when Stripe is configured); nil or
	// "" leaves the invoice email without one.
	PublicURL string
	PayLink   func(invoiceID string) string
}

// Service queues and sends the emails.
type Service struct {
	d         Deps
	store     store
	templates *mail.Templates
}

// New assembles the notifications.
func New(d Deps) (*Service, error) {
	t, err := mail.ParseTemplates(mustSub(templateFiles, "templates"))
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d, store: store{db: d.DB}, templates: t}, nil
}

// Register adds the email workers to workers.
func (s *Service) Register(workers *river.Workers) {
	river.AddWorker(workers, river.WorkFunc(s.workInvoiceSent))
	river.AddWorker(workers, river.WorkFunc(s.workPaymentReceipt))
	river.AddWorker(workers, river.WorkFunc(s.workInvitation))
	river.AddWorker(workers, river.WorkFunc(s.workPasswordReset))
	river.AddWorker(workers, river.WorkFunc(s.workReminders))
	river.AddWorker(workers, river.WorkFunc(s.workInvoiceReminder))
}

// oncePerArgs makes a job unique by its arguments while it exists: enqueuing an event's email
// twice (a retried request) queues one job.
var oncePerArgs = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

// deliver sends m once for the event key: see the package doc.
func (s *Service) deliver(ctx context.Context, key, firmID, kind string, m mail.Message) error {
	return s.deliverBuilt(ctx, key, firmID, kind, m.To.Email, func() (mail.Message, error) { return m, nil })
}

// deliverBuilt is deliver for a message that may only be built once the key is claimed: one
// that carries a token drawn for it (an invitation, a password reset), which must not replace
// the token of an email already sent.
func (s *Service) deliverBuilt(ctx context.Context, key, firmID, kind, recipient string, build func() (mail.Message, error)) error {
	claimed, took, err := s.store.claim(ctx, &delivery{EventKey: key, FirmID: firmID, Kind: kind,
		Recipient: recipient, Status: statusSending, CreatedAt: db.Stamp(s.d.Now())}, attemptStart(ctx))
	if err != nil || !claimed {
		return err
	}
	if took {
		s.d.Log.Warn("email sent again: an earlier attempt stopped in mid-send (a crash) and may have delivered it",
			"event", key, "to", recipient)
	}
	m, err := build()
	if err == nil {
		m.ID = key
		err = s.d.Sender.Send(ctx, m)
	}
	if err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return errors.Join(err, s.store.release(rctx, key))
	}
	// Once the SMTP server has the message, a cancelled attempt (its timeout) must still
	// record it, or the retry would send it again.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return s.store.sent(mctx, key, db.Stamp(s.d.Now()))
}

// DeliveryStatus is the status of an event's email: "", "sending", "sent" or "skipped".
func (s *Service) DeliveryStatus(ctx context.Context, key string) (string, error) {
	return s.store.status(ctx, key)
}

// render fills the email called name.
func (s *Service) render(name string, data any) (mail.Message, error) {
	subject, text, html, err := s.templates.Render(name, data)
	if err != nil {
		return mail.Message{}, fmt.Errorf("notify: %w", err)
	}
	return mail.Message{Subject: subject, Text: text, HTML: html}, nil
}

type attemptKey struct{}

// withAttempt records in ctx when the job's current attempt started (see store.claim).
func withAttempt[T river.JobArgs](ctx context.Context, job *river.Job[T]) context.Context {
	if job.AttemptedAt == nil {
		return ctx
	}
	return context.WithValue(ctx, attemptKey{}, *job.AttemptedAt)
}

// attemptStart is the start of the current job attempt (zero outside a job).
func attemptStart(ctx context.Context) time.Time {
	t, _ := ctx.Value(attemptKey{}).(time.Time)
	return t
}
