package notify_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// freshEmail is an address no other test uses.
func freshEmail(prefix string) string {
	return fmt.Sprintf("%s-%d-%d@invitee.example", prefix, time.Now().UnixNano(), seq.Add(1))
}

var tokenLink = regexp.MustCompile(`https://app\.firm\.example(/[a-z-]+)\?token=([A-Za-z0-9_%-]+)`)

// linkToken returns the path and token of the link in an email's text.
func linkToken(t *testing.T, text string) (string, string) {
	t.Helper()
	m := tokenLink.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link with a token in:\n%s", text)
	}
	tok, err := url.QueryUnescape(m[2])
	if err != nil {
		t.Fatal(err)
	}
	return m[1], tok
}

func TestInvitation(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	email := freshEmail("Invitee")
	r := s.Do(t, http.MethodPost, "/api/firm/users/invite/", f.Owner.Token, map[string]any{
		"email": email, "role": "manager", "first_name": "Ina", "last_name": "Vite"})
	testkit.WantStatus(t, r, http.StatusCreated)
	inv := testkit.Object(t, r)
	if inv["email"] != strings.ToLower(email) || inv["role"] != "manager" || inv["accepted_at"] != nil || inv["invited_by"] != f.Owner.ID {
		t.Fatalf("invitation = %v", inv)
	}
	if _, ok := inv["token"]; ok {
		t.Fatal("the answer shows the token")
	}
	exp := testkit.Stamp(t, inv["expires_at"].(string))
	if d := exp.Sub(testkit.Stamp(t, inv["created_at"].(string))); d != 72*time.Hour {
		t.Errorf("expires %v after creation, want 72h", d)
	}
	got := mp.WaitTo(t, strings.ToLower(email), 1)[0]
	if got.From.Name != f.Name || got.Subject != f.Name+" invites you to ConsultantPro" || got.To[0].Name != "Ina Vite" {
		t.Errorf("From %+v Subject %q To %+v", got.From, got.Subject, got.To)
	}
	path, token := linkToken(t, got.Text)
	if path != "/accept-invitation" || !strings.Contains(got.HTML, "/accept-invitation?token=") {
		t.Fatalf("link path %q", path)
	}
	// Only the token's hash is stored.
	var stored string
	if err := s.DB().R.NewRaw("SELECT token_hash FROM invitations WHERE id = ?", inv["id"]).Scan(t.Context(), &stored); err != nil {
		t.Fatal(err)
	}
	if stored != auth.HashRefresh(token) || strings.Contains(stored, token) {
		t.Fatalf("stored %q, want the SHA-256 of the emailed token", stored)
	}

	accept := func(token, username string) *testkit.Response {
		return s.Do(t, http.MethodPost, "/api/auth/invitations/accept/", "", map[string]any{
			"token": token, "username": username, "password": testkit.Password})
	}
	// The password rules of every account apply.
	r = s.Do(t, http.MethodPost, "/api/auth/invitations/accept/", "", map[string]any{
		"token": token, "username": "ina" + fmt.Sprint(seq.Add(1)), "password": "short"})
	testkit.WantStatus(t, r, http.StatusBadRequest)
	testkit.WantFields(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"), "password")

	username := fmt.Sprintf("ina%d", seq.Add(1))
	r = accept(token, username)
	testkit.WantStatus(t, r, http.StatusCreated)
	out := testkit.Object(t, r)
	user := out["user"].(map[string]any)
	if out["access"] == "" || out["refresh"] == "" || user["role"] != "manager" || user["firm"] != f.ID ||
		user["email"] != strings.ToLower(email) || user["full_name"] != "Ina Vite" || out["firm"].(map[string]any)["id"] != f.ID {
		t.Fatalf("accept answered %v", out)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, "/api/auth/profile/", out["access"].(string), nil), http.StatusOK)
	s.Login(t, username, testkit.Password)

	// Single use.
	r = accept(token, fmt.Sprintf("again%d", seq.Add(1)))
	testkit.WantValidation(t, r, map[string][]string{"token": {auth.MsgInvitationToken}})
	// Unknown token.
	r = accept("not-a-token", fmt.Sprintf("again%d", seq.Add(1)))
	testkit.WantValidation(t, r, map[string][]string{"token": {auth.MsgInvitationToken}})
	// The email is now a user: a new invitation is refused on the field.
	r = s.Do(t, http.MethodPost, "/api/firm/users/invite/", f.Owner.Token, map[string]any{"email": email, "role": "consultant"})
	testkit.WantValidation(t, r, map[string][]string{"email": {auth.MsgEmailTaken}})
}

func TestInvitationExpires(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	start := time.Now().UTC().Truncate(time.Second)
	s := clockServer(t, mp, start)
	f := s.RegisterFirm(t)
	email := strings.ToLower(freshEmail("late"))
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/firm/users/invite/", f.Owner.Token,
		map[string]any{"email": email, "role": "consultant"}), http.StatusCreated)
	_, token := linkToken(t, mp.WaitTo(t, email, 1)[0].Text)
	s.Clock.Advance(72*time.Hour + time.Second)
	r := s.Do(t, http.MethodPost, "/api/auth/invitations/accept/", "", map[string]any{
		"token": token, "username": fmt.Sprintf("late%d", seq.Add(1)), "password": testkit.Password})
	testkit.WantValidation(t, r, map[string][]string{"token": {auth.MsgInvitationToken}})
}

func TestInvitationRules(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	invite := func(who string, body map[string]any) *testkit.Response {
		return s.Do(t, http.MethodPost, "/api/firm/users/invite/", users[who].Token, body)
	}
	for _, who := range []string{"manager", "consultant", "accountant"} {
		testkit.WantForbidden(t, invite(who, map[string]any{"email": freshEmail(who), "role": "consultant"}))
	}
	// Only an owner invites an owner, as only an owner adds one.
	r := invite("admin", map[string]any{"email": freshEmail("adm"), "role": "owner"})
	if env := testkit.WantError(t, r, http.StatusForbidden, "PermissionDenied", "FORBIDDEN"); env.Error.Message != auth.MsgOwnerOnly {
		t.Errorf("message %q", env.Error.Message)
	}
	testkit.WantStatus(t, invite("admin", map[string]any{"email": freshEmail("adm"), "role": "accountant"}), http.StatusCreated)
	testkit.WantStatus(t, invite("owner", map[string]any{"email": freshEmail("own"), "role": "owner"}), http.StatusCreated)
	r = invite("owner", map[string]any{"email": freshEmail("bad"), "role": "boss"})
	testkit.WantFields(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"), "role")
	r = invite("owner", map[string]any{"email": "not-an-email", "role": "manager"})
	testkit.WantFields(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"), "email")
	r = invite("owner", map[string]any{"email": users["manager"].Email, "role": "manager"})
	testkit.WantValidation(t, r, map[string][]string{"email": {auth.MsgEmailTaken}})
}
