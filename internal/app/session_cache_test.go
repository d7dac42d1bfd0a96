package app_test

import (
	"testing"

	"github.com/google/uuid"
)

// Servers sharing a database and Redis check sessions from memory, yet a logout or a
// deactivation on one server is refused by the other on its very next request: the auth
// version moves in Redis once the change commits.
func TestSessionChecksSeeChangesOnEveryServer(t *testing.T) {
	cfg := limitedConfig(t)
	sharedRedis(t, &cfg)
	first := startApp(t, cfg, nil)
	second := startApp(t, cfg, nil)
	owner := register(t, first)
	name := "sam" + uuid.NewString()[:8]
	r := send(t, "POST", first+"/api/firm/users/", owner, map[string]any{"username": name,
		"email": name + "@firm.example", "password": "correct horse battery staple", "role": "manager"})
	if r.status != 201 {
		t.Fatalf("add user: %d %v", r.status, r.body)
	}
	userID := r.body["id"].(string)
	login := send(t, "POST", first+"/api/auth/login/", "", map[string]any{"username": name,
		"password": "correct horse battery staple"})
	if login.status != 200 {
		t.Fatalf("login: %d %v", login.status, login.body)
	}
	member := login.body["access"].(string)
	for _, base := range []string{first, second, first, second} { // checked, then served from memory
		for _, token := range []string{owner, member} {
			if got := send(t, "GET", base+"/api/auth/profile/", token, nil).status; got != 200 {
				t.Fatalf("profile before the changes: %d", got)
			}
		}
	}
	if got := send(t, "DELETE", first+"/api/firm/users/"+userID+"/", owner, nil).status; got != 204 {
		t.Fatalf("deactivate: %d", got)
	}
	if got := send(t, "GET", second+"/api/auth/profile/", member, nil).status; got != 401 {
		t.Fatalf("the deactivated user's token on the other server: %d, want 401", got)
	}
	if got := send(t, "POST", second+"/api/auth/logout/", owner, map[string]any{}).status; got != 204 {
		t.Fatalf("logout: %d", got)
	}
	if got := send(t, "GET", first+"/api/auth/profile/", owner, nil).status; got != 401 {
		t.Fatalf("the logged-out token on the other server: %d, want 401", got)
	}
}
