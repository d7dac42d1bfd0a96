package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestDeleteExpired: the hourly cleanup removes sessions whose refresh lifetime is over and
// idempotency keys past their 24 hours, and nothing that is still live.
func TestDeleteExpired(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	f := s.RegisterFirm(t)
	keyed := func(token, key string) {
		t.Helper()
		testkit.WantStatus(t, post(t, s, token, "/api/crm/clients/", key, clientJSON(t, "Keyed "+key)), http.StatusCreated)
	}
	keyed(f.Owner.Token, "first")
	ctx := context.Background()
	if keys, sessions, err := s.Srv.App.DeleteExpired(ctx); err != nil || keys != 0 || sessions != 0 {
		t.Fatalf("nothing expired yet: removed %d keys, %d sessions (err %v)", keys, sessions, err)
	}
	s.Clock.Advance(25 * time.Hour)
	fresh := s.Login(t, f.Owner.Username, testkit.Password) // a session that is still live later
	keyed(fresh, "second")
	if keys, sessions, err := s.Srv.App.DeleteExpired(ctx); err != nil || keys != 1 || sessions != 0 {
		t.Fatalf("after 25 h: removed %d keys, %d sessions (err %v), want 1 and 0", keys, sessions, err)
	}
	// The registration session's 7 days are over, not the later one's (removing it too would
	// count 2).
	s.Clock.Advance(6 * 24 * time.Hour)
	if keys, sessions, err := s.Srv.App.DeleteExpired(ctx); err != nil || keys != 1 || sessions != 1 {
		t.Fatalf("after 7 days: removed %d keys, %d sessions (err %v), want 1 and 1", keys, sessions, err)
	}
}
