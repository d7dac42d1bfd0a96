package auth_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestLogsKeepSecretsOut(t *testing.T) {
	t.Parallel()
	logs, buf := capturingLogs(t)
	// No reuse interval: presenting a rotated refresh token again is a reuse at once.
	srv := testkit.StartServer(t, func(cfg *config.Config) { cfg.RefreshReuseInterval = 0 }, logs)

	const registerPassword = "Orchard-Violet-Pebble-88"
	const wrongPassword = "hunter2-secret-PASSWORD"
	const changedPassword = "Lantern-Meadow-Falcon-19"
	name := uniq("logged")
	reg, _ := decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "",
		registration(uniq("Firm "), name, name+"@example.com", registerPassword)), http.StatusCreated)
	owner := account{userJSON: *reg.User, Password: registerPassword, Access: reg.Access, Refresh: reg.Refresh}

	in := login(t, srv, name, registerPassword)
	rotated, _ := decode[session](t, refresh(t, srv, in.Refresh), http.StatusOK)
	wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
		map[string]string{"username": name, "password": wrongPassword}), msgBadLogin)
	wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
		map[string]string{"username": uniq("ghost"), "password": wrongPassword}), msgBadLogin)
	// A refused token and a refused refresh token (the rotated one, reused: the session ends).
	wantTokenRefused(t, srv, rotated.Access+"x")
	wantUnauthorized(t, refresh(t, srv, in.Refresh), msgBadRefresh)
	// A 403 and a role change.
	member := addUser(t, srv, owner, "consultant")
	wantForbidden(t, call(t, srv, http.MethodGet, "/api/firm/users/", member.Access, nil), msgForbidden)
	decode[userJSON](t, call(t, srv, http.MethodPatch, userPath(member.ID), owner.Access, map[string]any{"role": "manager"}), http.StatusOK)
	// A password change, with the secret in a request that fails and one that succeeds.
	wantValidation(t, call(t, srv, http.MethodPost, "/api/auth/change-password/", owner.Access,
		map[string]string{"old_password": wrongPassword, "new_password": changedPassword}),
		map[string][]string{"old_password": {msgWrongPassword}})
	wantNoContent(t, call(t, srv, http.MethodPost, "/api/auth/change-password/", owner.Access,
		map[string]string{"old_password": registerPassword, "new_password": changedPassword}))
	// A token in the query string is ignored, and must not reach the log through the URL either.
	wantProblem(t, call(t, srv, http.MethodGet, "/api/auth/profile/?access_token="+member.Access, "", nil),
		http.StatusUnauthorized, typeNotAuth, codeUnauth, msgNotAuth)

	logged := buf.String()
	if logged == "" {
		t.Fatal("nothing was logged")
	}
	secrets := map[string]string{
		"registration password": registerPassword, "wrong password": wrongPassword, "new password": changedPassword,
		"member password": member.Password,
	}
	for what, token := range map[string]string{
		"registration access token": reg.Access, "registration refresh token": reg.Refresh,
		"login access token": in.Access, "login refresh token": in.Refresh,
		"rotated access token": rotated.Access, "rotated refresh token": rotated.Refresh,
		"member access token": member.Access, "member refresh token": member.Refresh,
	} {
		secrets[what] = token
		if parts := strings.Split(token, "."); len(parts) == 3 {
			secrets[what+" signature"] = parts[2]
		}
	}
	for what, secret := range secrets {
		if strings.Contains(logged, secret) {
			t.Errorf("the logs contain the %s", what)
		}
	}
	for _, word := range []string{"hunter2", "argon2id", "$argon2"} {
		if strings.Contains(strings.ToLower(logged), strings.ToLower(word)) {
			t.Errorf("the logs contain %q", word)
		}
	}

	// Each security event of SPEC §11 has its line in the security log.
	events := map[string][]map[string]any{}
	requests := 0
	for _, rec := range buf.records(t) {
		if rec["log"] == "security" {
			ev, _ := rec["event"].(string)
			events[ev] = append(events[ev], rec)
		}
		if rec["msg"] == "request" {
			requests++
		}
	}
	for _, ev := range []string{"login_success", "login_failure", "token_refused", "forbidden", "role_changed"} {
		if len(events[ev]) == 0 {
			t.Errorf("no security log line with event %q; events logged: %v", ev, eventNames(events))
		}
	}
	if n := len(events["login_failure"]); n < 2 {
		t.Errorf("%d login_failure lines, want one per failed login (2)", n)
	}
	if rc := events["role_changed"]; len(rc) > 0 && (rc[0]["user"] != member.ID || rc[0]["from"] != "consultant" || rc[0]["to"] != "manager") {
		t.Errorf("role_changed line %v, want user %s from consultant to manager", rc[0], member.ID)
	}
	if fb := events["forbidden"]; len(fb) > 0 && fb[0]["user"] != member.ID {
		t.Errorf("forbidden line %v, want user %s", fb[0], member.ID)
	}
	if ls := events["login_success"]; len(ls) > 0 && !slices.ContainsFunc(ls, func(r map[string]any) bool { return r["user"] == owner.ID }) {
		t.Errorf("login_success lines %v, want one for user %s", ls, owner.ID)
	}
	if requests == 0 {
		t.Error("no request log lines")
	}
}

// eventNames lists the events logged, for failure messages.
func eventNames(events map[string][]map[string]any) []string {
	var names []string
	for k := range events {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
