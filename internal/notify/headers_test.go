package notify_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestNoHeaderInjection: CR and LF in a firm name (the sender's name) or an invitee's names
// (the recipient's name) cannot end a header and start another.
func TestNoHeaderInjection(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	victim := strings.ToLower(freshEmail("victim"))
	f.Settings(t, map[string]any{"name": "Evil Corp\r\nX-Injected-Firm: yes\r\nBcc: " + victim})
	email := strings.ToLower(freshEmail("target"))
	r := s.Do(t, http.MethodPost, "/api/firm/users/invite/", f.Owner.Token, map[string]any{"email": email, "role": "consultant",
		"first_name": "Ina\r\nX-Injected-Name: yes", "last_name": "Vite\nBcc: " + victim + "\n\nbody"})
	testkit.WantStatus(t, r, http.StatusCreated)
	got := mp.WaitTo(t, email, 1)[0]
	h := mp.Headers(t, got.ID)
	for name := range h {
		if strings.HasPrefix(strings.ToLower(name), "x-injected") || strings.EqualFold(name, "Bcc") {
			t.Errorf("injected header %s: %v", name, h[name])
		}
	}
	if len(got.To) != 1 || got.To[0].Address != email || len(got.Cc) != 0 || len(got.Bcc) != 0 {
		t.Errorf("recipients To %+v Cc %+v Bcc %+v", got.To, got.Cc, got.Bcc)
	}
	if !strings.HasPrefix(got.From.Name, "Evil Corp") || strings.ContainsAny(got.From.Name, "\r\n") {
		t.Errorf("From name %q", got.From.Name)
	}
	// mailpit's to: search also matches display names, which hold the flattened text.
	for _, m := range mp.To(t, victim) {
		for _, a := range append(append(m.To, m.Cc...), m.Bcc...) {
			if a.Address == victim {
				t.Errorf("message %s reached the injected address", m.ID)
			}
		}
	}
}
