package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

var seq atomic.Int64

// recipient is an address no other test sends to.
func recipient(what string) string {
	return fmt.Sprintf("%s-%d-%d@client.example", what, time.Now().UnixNano(), seq.Add(1))
}

func newSMTP(t *testing.T, mp *testkit.Mailpit) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mp.SMTPURL, "billing@consultantpro.example")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPDeliversHTMLTextAndAttachment(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	to := recipient("ada")
	pdf := []byte("%PDF-1.7 test bytes\x00\x01")
	err := newSMTP(t, mp).Send(context.Background(), mail.Message{
		FromName: "Acme Consulting", To: mail.Address{Name: "Ada Lovelace", Email: to},
		Subject: "Invoice INV-2026-001", Text: "Amount due: 1600.00 USD\n", HTML: "<p>Amount due: <b>1600.00 USD</b></p>",
		Attachments: []mail.Attachment{{Name: "INV-2026-001.pdf", ContentType: "application/pdf", Data: pdf}},
		ID:          "invoice-sent." + to,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mp.WaitTo(t, to, 1)[0]
	if got.From != (testkit.MailAddress{Name: "Acme Consulting", Address: "billing@consultantpro.example"}) {
		t.Errorf("From = %+v", got.From)
	}
	if len(got.To) != 1 || got.To[0] != (testkit.MailAddress{Name: "Ada Lovelace", Address: to}) {
		t.Errorf("To = %+v", got.To)
	}
	if got.Subject != "Invoice INV-2026-001" || strings.TrimSpace(got.Text) != "Amount due: 1600.00 USD" ||
		!strings.Contains(got.HTML, "<b>1600.00 USD</b>") {
		t.Errorf("subject %q, text %q, html %q", got.Subject, got.Text, got.HTML)
	}
	if got.MessageID != "invoice-sent."+to+"@consultantpro.example" {
		t.Errorf("Message-ID = %q", got.MessageID)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].FileName != "INV-2026-001.pdf" || got.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachments = %+v", got.Attachments)
	}
	if b := mp.Part(t, got.ID, got.Attachments[0].PartID); !bytes.Equal(b, pdf) {
		t.Errorf("attachment bytes %q, want %q", b, pdf)
	}
}

// TestNoHeaderInjection: CR and LF in names and subjects cannot add a header or a recipient.
func TestNoHeaderInjection(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	to, victim := recipient("target"), recipient("victim")
	err := newSMTP(t, mp).Send(context.Background(), mail.Message{
		FromName: "Evil Firm\r\nBcc: " + victim,
		To:       mail.Address{Name: "Bob\r\nCc: " + victim, Email: to},
		Subject:  "Hello\r\nBcc: " + victim + "\nX-Injected: yes",
		Text:     "body\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mp.WaitTo(t, to, 1)[0]
	if len(got.To) != 1 || len(got.Cc) != 0 || len(got.Bcc) != 0 {
		t.Errorf("recipients To %+v Cc %+v Bcc %+v, want only %s", got.To, got.Cc, got.Bcc, to)
	}
	if want := "Hello Bcc: " + victim + " X-Injected: yes"; got.Subject != want {
		t.Errorf("Subject = %q, want %q", got.Subject, want)
	}
	h := mp.Headers(t, got.ID)
	for _, name := range []string{"Bcc", "Cc", "X-Injected"} {
		if v, ok := h[name]; ok {
			t.Errorf("header %s was injected: %q", name, v)
		}
	}
	// The search also matches display names; no message may have the address as a recipient.
	for _, m := range mp.To(t, victim) {
		for _, a := range append(append(m.To, m.Cc...), m.Bcc...) {
			if a.Address == victim {
				t.Errorf("message %s reached the injected address", m.ID)
			}
		}
	}
}

func TestSMTPRefusesBadSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ url, from, want string }{
		{"http://mail.example:25", "a@b.example", "SMTP_URL must start with smtp:// or smtps://"},
		{"smtp://", "a@b.example", "SMTP_URL must look like"},
		{"smtp://mail.example:x", "a@b.example", "SMTP_URL must look like"},
		{"smtp://mail.example:25", "not an address", "MAIL_FROM must be an email address"},
	} {
		if _, err := mail.NewSMTP(c.url, c.from); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSMTP(%q, %q) = %v, want %q", c.url, c.from, err, c.want)
		}
	}
	for _, ok := range []string{"smtp://u:p@mail.example", "smtps://mail.example:465"} {
		if _, err := mail.NewSMTP(ok, "a@b.example"); err != nil {
			t.Errorf("NewSMTP(%q) = %v", ok, err)
		}
	}
}

func TestTemplatesEscapeHTMLOnly(t *testing.T) {
	t.Parallel()
	tpl, err := mail.ParseTemplates(os.DirFS("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	subject, text, html, err := tpl.Render("hello", map[string]string{"Name": "<b>Ada</b>\r\nBcc: x", "Link": "javascript:alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Hello <b>Ada</b> Bcc: x" {
		t.Errorf("subject %q", subject)
	}
	if !strings.Contains(text, "Dear <b>Ada</b>") {
		t.Errorf("text %q", text)
	}
	if strings.Contains(html, "<b>Ada</b>") || !strings.Contains(html, "&lt;b&gt;Ada&lt;/b&gt;") || strings.Contains(html, "javascript:") {
		t.Errorf("html not escaped: %q", html)
	}
	if _, _, _, err := tpl.Render("missing", nil); err == nil {
		t.Error("an unknown template rendered")
	}
}

func TestLogSender(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	m := mail.Message{To: mail.Address{Email: "ada@client.example"}, Subject: "Reset", Text: "https://x.example/reset?token=secret\n"}
	if err := (mail.Log{Logger: logger, Full: true}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "token=secret") || !strings.Contains(buf.String(), "ada@client.example") {
		t.Errorf("local mode log line lacks the text: %s", buf.String())
	}
	buf.Reset()
	if err := (mail.Log{Logger: logger}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "secret") || !strings.Contains(buf.String(), "SMTP_URL is not set") {
		t.Errorf("production log line: %s", buf.String())
	}
	if err := (mail.Log{Logger: logger}).Send(context.Background(), mail.Message{To: mail.Address{Email: "nobody"}, Text: "x"}); err == nil {
		t.Error("a message to an invalid address was accepted")
	}
}
