package mail

import (
	"context"
	"log/slog"
)

// Log writes messages to the log instead of sending them (no SMTP_URL). In local mode it
// writes the whole text, links included, so a developer can follow them; otherwise only who
// it was for and its subject, since the text may hold one-time links.
type Log struct {
	Logger *slog.Logger
	// Full writes the text body too.
	Full bool
}

// Send logs m.
func (l Log) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	attrs := []any{"to", m.To.Email, "subject", oneLine(m.Subject), "attachments", len(m.Attachments)}
	if !l.Full {
		l.Logger.WarnContext(ctx, "email not sent: SMTP_URL is not set", attrs...)
		return nil
	}
	l.Logger.InfoContext(ctx, "email (not sent: SMTP_URL is not set)", append(attrs, "text", m.Text)...)
	return nil
}
