package testkit

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"
)

// Mailpit is the real SMTP server the email tests send to (mailpit, started by .ci/run) and
// its HTTP API, from which tests read what arrived.
type Mailpit struct {
	// SMTPURL is the SMTP_URL that reaches it (TEST_SMTP_URL).
	SMTPURL string
	api     string
}

// NeedMailpit returns the test mail server from TEST_SMTP_URL and TEST_MAILPIT_API. Without
// them the test is skipped locally and fails in CI (CI=true): a missing mailpit is a failure
// there, never a skip.
func NeedMailpit(t testing.TB) *Mailpit {
	t.Helper()
	smtpURL, api := os.Getenv("TEST_SMTP_URL"), os.Getenv("TEST_MAILPIT_API")
	if smtpURL == "" || api == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_SMTP_URL and TEST_MAILPIT_API must be set in CI (.ci/run starts mailpit)")
		}
		t.Skip("no test mail server: set TEST_SMTP_URL and TEST_MAILPIT_API (see .ci/run)")
	}
	return &Mailpit{SMTPURL: smtpURL, api: api}
}

// MailAddress is a name and an address as mailpit reports them.
type MailAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailAttachment is an attached file of a received message.
type MailAttachment struct {
	PartID      string `json:"PartID"`
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	Size        int    `json:"Size"`
}

// MailMessage is a received message.
type MailMessage struct {
	ID          string           `json:"ID"`
	MessageID   string           `json:"MessageID"`
	From        MailAddress      `json:"From"`
	To          []MailAddress    `json:"To"`
	Cc          []MailAddress    `json:"Cc"`
	Bcc         []MailAddress    `json:"Bcc"`
	Subject     string           `json:"Subject"`
	Text        string           `json:"Text"`
	HTML        string           `json:"HTML"`
	Attachments []MailAttachment `json:"Attachments"`
}

func (m *Mailpit) get(t testing.TB, path string, v any) []byte {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit API %s: status %d, %v: %s", path, resp.StatusCode, err, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("mailpit API %s: %v", path, err)
		}
	}
	return body
}

// To returns every message received for the address, oldest first.
func (m *Mailpit) To(t testing.TB, addr string) []MailMessage {
	t.Helper()
	var found struct {
		Messages []struct {
			ID string `json:"ID"`
		} `json:"messages"`
	}
	m.get(t, "/api/v1/search?query="+url.QueryEscape(fmt.Sprintf("to:%q", addr)), &found)
	out := make([]MailMessage, len(found.Messages))
	for i, s := range found.Messages {
		m.get(t, "/api/v1/message/"+s.ID, &out[len(out)-1-i]) // the search lists newest first
	}
	return out
}

// WaitTo waits until at least n messages have arrived for addr (10 s at most) and returns
// them all.
func (m *Mailpit) WaitTo(t testing.TB, addr string, n int) []MailMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := m.To(t, addr)
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				t.Fatalf("%d messages for %s, want %d", len(got), addr, n)
			}
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Headers returns the raw headers of a received message.
func (m *Mailpit) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	var h map[string][]string
	m.get(t, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Part returns the bytes of one part (an attachment) of a received message.
func (m *Mailpit) Part(t testing.TB, id, partID string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+id+"/part/"+partID, nil)
}
