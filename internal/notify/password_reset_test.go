package notify_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// requestReset asks for a reset of email and checks the one answer every request gets.
func requestReset(t *testing.T, s *testkit.API, email string) {
	t.Helper()
	r := s.Do(t, http.MethodPost, "/api/auth/password-reset/", "", map[string]any{"email": email})
	testkit.WantStatus(t, r, http.StatusAccepted)
	if got := testkit.Object(t, r); len(got) != 1 || got["detail"] != auth.MsgResetRequested {
		t.Fatalf("answer %v", got)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	start := time.Now().UTC().Truncate(time.Second)
	s := clockServer(t, mp, start)
	f := s.RegisterFirm(t)
	u := addUser(t, s, f, "consultant")
	other := s.Login(t, u.Username, testkit.Password) // a second session

	// An unknown address gets the same answer and no email.
	unknown := strings.ToLower(freshEmail("nobody"))
	requestReset(t, s, unknown)
	requestReset(t, s, strings.ToUpper(u.Email))
	got := mp.WaitTo(t, u.Email, 1)[0]
	if got.Subject != "Reset your ConsultantPro password" || got.From.Name != f.Name {
		t.Errorf("Subject %q From %+v", got.Subject, got.From)
	}
	path, token := linkToken(t, got.Text)
	if path != "/reset-password" {
		t.Fatalf("link path %q", path)
	}
	waitJob(t, s, "email.password_reset", unknown, "completed")
	if n := len(mp.To(t, unknown)); n != 0 {
		t.Fatalf("%d emails to an address no account uses", n)
	}

	confirm := func(token, password string) *testkit.Response {
		return s.Do(t, http.MethodPost, "/api/auth/password-reset/confirm/", "", map[string]any{"token": token, "new_password": password})
	}
	// The password rules of a password change apply.
	r := confirm(token, "password")
	testkit.WantFields(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"), "new_password")

	const newPassword = "a brand new passphrase 7"
	testkit.WantStatus(t, confirm(token, newPassword), http.StatusNoContent)
	// Every session ended: the ones of AddUser and of the second login.
	for _, tok := range []string{u.Token, other} {
		r := s.Do(t, http.MethodGet, "/api/auth/profile/", tok, nil)
		testkit.WantError(t, r, http.StatusUnauthorized, "AuthenticationFailed", "UNAUTHORIZED")
	}
	s.Login(t, u.Username, newPassword)
	r = s.Do(t, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": u.Username, "password": testkit.Password})
	testkit.WantStatus(t, r, http.StatusUnauthorized)
	// Single use, and unknown tokens are refused alike.
	testkit.WantValidation(t, confirm(token, "yet another passphrase 8"), map[string][]string{"token": {auth.MsgResetToken}})
	testkit.WantValidation(t, confirm("forged", "yet another passphrase 8"), map[string][]string{"token": {auth.MsgResetToken}})

	// A link older than an hour is refused.
	requestReset(t, s, u.Email)
	_, late := linkToken(t, mp.WaitTo(t, u.Email, 2)[1].Text)
	s.Clock.Advance(time.Hour + time.Second)
	testkit.WantValidation(t, confirm(late, "yet another passphrase 8"), map[string][]string{"token": {auth.MsgResetToken}})

	// A deactivated user is sent nothing.
	f.Owner.Token = s.Login(t, f.Owner.Username, testkit.Password) // the clock moved past its expiry
	f.Deactivate(t, u)
	requestReset(t, s, u.Email)
	waitJobs(t, s, "email.password_reset", u.Email, 3)
	if n := len(mp.To(t, u.Email)); n != 2 {
		t.Errorf("%d emails after a deactivated user's request, want 2", n)
	}
}

// TestPasswordResetThrottled: 5 requests an hour per address, from any IP; the 6th is 429.
func TestPasswordResetThrottled(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	email := strings.ToLower(freshEmail("flood"))
	for range 5 {
		requestReset(t, s, email)
	}
	r := s.Do(t, http.MethodPost, "/api/auth/password-reset/", "", map[string]any{"email": email})
	env := testkit.WantError(t, r, http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS")
	if !strings.HasPrefix(env.Error.Message, "Request was throttled. Expected available in ") {
		t.Errorf("message %q", env.Error.Message)
	}
	// Another address is not limited by this one's count.
	requestReset(t, s, strings.ToLower(freshEmail("other")))
}

// waitJobs waits until n jobs of kind whose arguments mention arg have completed.
func waitJobs(t *testing.T, s *testkit.API, kind, arg string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		rows, err := s.Srv.App.Jobs.List(t.Context(), nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, r := range rows {
			if r.Kind == kind && strings.Contains(string(r.EncodedArgs), arg) && r.State == "completed" {
				done++
			}
		}
		if done >= n {
			return
		}
	}
	t.Fatalf("fewer than %d %s jobs for %s completed", n, kind, arg)
}

// addUser adds a signed-in user with an address no earlier run used (mailpit keeps old mail).
func addUser(t *testing.T, s *testkit.API, f *testkit.Firm, role string) testkit.User {
	t.Helper()
	u := testkit.User{Username: fmt.Sprintf("%s%d%d", role, time.Now().UnixNano(), seq.Add(1)), Role: role, Name: "Reese Etter"}
	u.Email = u.Username + "@firm.example"
	r := s.Do(t, http.MethodPost, "/api/firm/users/", f.Owner.Token, map[string]string{"username": u.Username,
		"email": u.Email, "password": testkit.Password, "first_name": "Reese", "last_name": "Etter", "role": role})
	testkit.WantStatus(t, r, http.StatusCreated)
	u.ID = testkit.Object(t, r)["id"].(string)
	u.Token = s.Login(t, u.Username, testkit.Password)
	return u
}
