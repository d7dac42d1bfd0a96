package mail

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
)

// Address is a display name and an email address.
type Address struct {
	Name  string
	Email string
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Message is one email to one recipient. The sender's address is the server's (MAIL_FROM);
// FromName is the display name in front of it (the firm's name).
type Message struct {
	FromName    string
	To          Address
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
	// ID, when set, is the Message-ID's left part: a message rebuilt for the same event
	// carries the same id, so a receiver can recognise a repeat.
	ID string
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// oneLine folds a header value onto one line: CR, LF and other control characters become
// spaces, so a name or subject can never end its header and start another.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// check refuses a message that cannot be sent: no valid recipient address, no body.
func (m Message) check() error {
	a, err := mail.ParseAddress(m.To.Email)
	if err != nil || a.Address != m.To.Email {
		return fmt.Errorf("mail: invalid recipient address %q", m.To.Email)
	}
	if m.Text == "" {
		return fmt.Errorf("mail: message %q has no text", m.Subject)
	}
	return nil
}
