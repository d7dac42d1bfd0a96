package auth_test

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRegisterCreatesFirmAndOwner(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	paths := []string{"/api/auth/register/", "/api/auth/register", "/api/v1/auth/register/", "/api/v1/auth/register"}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			name := uniq("Grace")
			before := time.Now().Add(-time.Minute)
			r := call(t, srv, http.MethodPost, path, "", map[string]any{
				"firm_name": "  Hopper & Partners  ", "username": name, "email": "  " + strings.ToUpper(name) + "@Example.COM ",
				"password": goodPassword, "first_name": "Grace", "last_name": "Hopper",
			})
			s, members := decode[session](t, r, http.StatusCreated)
			if !slices.Equal(members, sessionKeys) {
				t.Errorf("body members %v, want %v", members, sessionKeys)
			}
			for _, secret := range []string{goodPassword, "argon2", "password"} {
				if strings.Contains(strings.ToLower(string(r.body)), strings.ToLower(secret)) {
					t.Errorf("body contains %q: %s", secret, r.body)
				}
			}
			if s.Access == "" || s.Refresh == "" || s.Access == s.Refresh {
				t.Fatalf("tokens access %q refresh %q", s.Access, s.Refresh)
			}
			u, f := s.User, s.Firm
			if u == nil || f == nil {
				t.Fatalf("user %v firm %v, want both", u, f)
			}
			wantUser := userJSON{ID: u.ID, Username: name, Email: strings.ToLower(name) + "@example.com", FirstName: "Grace",
				LastName: "Hopper", FullName: "Grace Hopper", Role: "owner", IsActive: true, Firm: f.ID,
				LastLogin: u.LastLogin, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
			if *u != wantUser {
				t.Errorf("user %+v\nwant %+v", *u, wantUser)
			}
			if u.ID == "" || f.ID == "" || u.ID == f.ID {
				t.Errorf("ids user %q firm %q", u.ID, f.ID)
			}
			if u.CreatedAt.Before(before) || u.CreatedAt.Location() != time.UTC {
				t.Errorf("user created_at %v, want a recent UTC time", u.CreatedAt)
			}
			wantFirm := firmJSON{ID: f.ID, Name: "Hopper & Partners", Timezone: "UTC", DefaultCurrency: "USD",
				DefaultPaymentTerms: "net_30", InvoicePrefix: "INV", ProposalPrefix: "PROP", ContractPrefix: "CTR",
				CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
			if *f != wantFirm {
				t.Errorf("firm %+v\nwant %+v", *f, wantFirm)
			}

			// The tokens work: the access token on the profile and the firm, the refresh token once.
			if got := profile(t, srv, s.Access); got.ID != u.ID || got.Role != "owner" || got.Firm != f.ID {
				t.Errorf("profile %+v, want the new owner", got)
			}
			gotFirm, _ := decode[firmJSON](t, call(t, srv, http.MethodGet, "/api/firm/", s.Access, nil), http.StatusOK)
			if gotFirm.ID != f.ID {
				t.Errorf("GET /api/firm/ id %q, want %q", gotFirm.ID, f.ID)
			}
			next, _ := decode[session](t, refresh(t, srv, s.Refresh), http.StatusOK)
			wantTokenWorks(t, srv, next.Access)
			// The new owner can sign in with the username and password.
			login(t, srv, name, goodPassword)
		})
	}
}

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	srv := startServer(t)

	// valid returns a registration that passes every rule, with fresh names.
	valid := func() map[string]any {
		name := uniq("val")
		return registration(uniq("Firm "), name, name+"@example.com", goodPassword)
	}
	without := func(field string) map[string]any {
		b := valid()
		delete(b, field)
		return b
	}
	with := func(field string, value any) map[string]any {
		b := valid()
		b[field] = value
		return b
	}
	tests := []struct {
		name  string
		body  map[string]any
		want  map[string][]string
		exact bool // details must be exactly want
	}{
		{"missing firm_name", without("firm_name"), map[string][]string{"firm_name": {msgRequired}}, true},
		{"missing username", without("username"), map[string][]string{"username": {msgRequired}}, true},
		{"missing email", without("email"), map[string][]string{"email": {msgRequired}}, true},
		{"missing password", without("password"), map[string][]string{"password": {msgRequired}}, true},
		{"empty body", map[string]any{}, map[string][]string{
			"firm_name": {msgRequired}, "username": {msgRequired}, "email": {msgRequired}, "password": {msgRequired},
		}, true},
		{"empty strings", map[string]any{"firm_name": "", "username": "", "email": "", "password": ""}, map[string][]string{
			"firm_name": {msgRequired}, "username": {msgRequired}, "email": {msgRequired}, "password": {msgRequired},
		}, true},
		{"blank firm_name", with("firm_name", "   "), map[string][]string{"firm_name": {"This field may not be blank."}}, true},
		{"invalid email", with("email", "not-an-email"), map[string][]string{"email": {msgEmail}}, true},
		{"email without domain", with("email", "someone@"), map[string][]string{"email": {msgEmail}}, true},
		{"username with spaces", with("username", "two words"), map[string][]string{
			"username": {"Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."},
		}, true},
		{"password too short", with("password", "Qh-7-lamp"), map[string][]string{"password": {pwShort}}, true},
		{"password too long", with("password", strings.Repeat("Quiet-Harbor-Lanterns-7-drift-", 5)[:129]),
			map[string][]string{"password": {pwLong}}, true},
		{"password common", with("password", "password1234"), map[string][]string{"password": {pwCommon}}, true},
		{"password common with suffix", with("password", "qwerty123456!"), map[string][]string{"password": {pwCommon}}, true},
		{"password entirely numeric", with("password", "948372615093"), map[string][]string{"password": {pwNumeric}}, true},
		{"unknown field", with("is_staff", true), map[string][]string{"is_staff": {msgUnknownField}}, true},
		{"role cannot be chosen", with("role", "admin"), map[string][]string{"role": {msgUnknownField}}, true},
		{"firm cannot be chosen", with("firm", "0193a0b0-0000-7000-8000-000000000000"), map[string][]string{"firm": {msgUnknownField}}, true},
		{"password2 differs", with("password2", otherPassword), map[string][]string{"password2": {msgPasswordMismatch}}, true},
		{"password2 in another case", with("password2", strings.ToUpper(goodPassword)), map[string][]string{"password2": {msgPasswordMismatch}}, true},
		{"password2 empty", with("password2", ""), map[string][]string{"password2": {msgPasswordMismatch}}, true},
		{"password2 not a string", with("password2", 12), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := call(t, srv, http.MethodPost, "/api/auth/register/", "", tt.body)
			p := wantValidation(t, r, tt.want)
			if tt.exact {
				wantDetails(t, r, p, tt.want)
			}
		})
	}

	// The similarity rules need the username and email the password is compared with.
	similar := []struct {
		name, username, email, password, want string
	}{
		{"password similar to username", "harborlight", "zq1@example.com", "Harborlight-2026!", pwUsername},
		{"password similar to username rearranged", "alicewonder", "zq2@example.com", "alice-wonder-99", pwUsername},
		{"password similar to email", "kx9", "zephyrine@example.com", "Zephyrine#Kes9", pwEmail},
		{"password equal to email", "kx10", "marigold.tern@example.com", "marigold.tern@example.com", pwEmail},
	}
	for _, tt := range similar {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := call(t, srv, http.MethodPost, "/api/auth/register/", "",
				registration(uniq("Firm "), tt.username, tt.email, tt.password))
			wantValidation(t, r, map[string][]string{"password": {tt.want}})
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		t.Parallel()
		r := call(t, srv, http.MethodPost, "/api/auth/register/", "", map[string]any{
			"firm_name": "Acme", "email": "nope", "password": "12345", "extra": 1,
		})
		p := wantValidation(t, r, map[string][]string{
			"username": {msgRequired}, "email": {msgEmail}, "password": {pwShort, pwNumeric}, "extra": {msgUnknownField},
		})
		if _, ok := p.Details["firm_name"]; ok {
			t.Errorf("details %v name firm_name, which is valid", p.Details)
		}
	})

	t.Run("password2 equal to password is accepted", func(t *testing.T) {
		t.Parallel()
		b := valid()
		b["password2"] = goodPassword
		s, _ := decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "", b), http.StatusCreated)
		login(t, srv, s.User.Username, goodPassword)
	})
	t.Run("password2 null counts as not sent", func(t *testing.T) {
		t.Parallel()
		decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "", with("password2", nil)), http.StatusCreated)
	})
	t.Run("a mismatch creates nothing", func(t *testing.T) {
		t.Parallel()
		b := valid()
		b["password2"] = otherPassword
		wantStatus(t, call(t, srv, http.MethodPost, "/api/auth/register/", "", b), http.StatusBadRequest)
		r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": b["username"].(string), "password": goodPassword})
		wantUnauthorized(t, r, msgBadLogin)
	})

	t.Run("malformed JSON", func(t *testing.T) {
		t.Parallel()
		r := call(t, srv, http.MethodPost, "/api/auth/register/", "", `{"firm_name": "Acme",`)
		wantProblem(t, r, http.StatusBadRequest, typeParse, codeBadRequest, msgMalformed)
	})

	t.Run("nothing was created", func(t *testing.T) {
		t.Parallel()
		b := valid()
		b["password"] = "short"
		wantStatus(t, call(t, srv, http.MethodPost, "/api/auth/register/", "", b), http.StatusBadRequest)
		r := call(t, srv, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": b["username"].(string), "password": "short"})
		wantUnauthorized(t, r, msgBadLogin)
	})
}

func TestRegisterDuplicates(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	first, firstFirm := register(t, srv)

	tests := []struct {
		name, username, email string
		want                  map[string][]string
	}{
		{"same username", first.Username, uniq("x") + "@example.com", map[string][]string{"username": {msgUsernameTaken}}},
		{"username in another case", strings.ToUpper(first.Username), uniq("x") + "@example.com", map[string][]string{"username": {msgUsernameTaken}}},
		{"same email", uniq("dup"), first.Email, map[string][]string{"email": {msgEmailTaken}}},
		{"email in another case", uniq("dup"), strings.ToUpper(first.Email), map[string][]string{"email": {msgEmailTaken}}},
		{"both", strings.ToUpper(first.Username), first.Email, map[string][]string{"username": {msgUsernameTaken}, "email": {msgEmailTaken}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := call(t, srv, http.MethodPost, "/api/auth/register/", "",
				registration(firstFirm.Name+" too", tt.username, tt.email, goodPassword))
			p := wantValidation(t, r, tt.want)
			wantDetails(t, r, p, tt.want)
		})
	}

	t.Run("an added user's name is taken too", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, first, "consultant")
		r := call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration(uniq("Firm "), member.Username, member.Email, goodPassword))
		wantValidation(t, r, map[string][]string{"username": {msgUsernameTaken}, "email": {msgEmailTaken}})
	})
}

func TestRegisterNeverJoinsAnExistingFirm(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	reg := func() session {
		name := uniq("twin")
		s, _ := decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration("Twin Consulting", name, name+"@example.com", goodPassword)), http.StatusCreated)
		return s
	}
	a, b := reg(), reg()
	if a.Firm.ID == b.Firm.ID || a.User.Firm == b.User.Firm {
		t.Fatalf("two registrations with the same firm name share firm %s", a.Firm.ID)
	}
	if a.User.Role != "owner" || b.User.Role != "owner" {
		t.Errorf("roles %q and %q, want both owner", a.User.Role, b.User.Role)
	}
	// Each owner sees only their own firm and its one user.
	for _, s := range []session{a, b} {
		list, _ := decode[page[userJSON]](t, call(t, srv, http.MethodGet, "/api/firm/users/", s.Access, nil), http.StatusOK)
		if list.Count != 1 || len(list.Results) != 1 || list.Results[0].ID != s.User.ID {
			t.Errorf("firm %s lists %+v, want only its owner", s.Firm.ID, list)
		}
	}
	wantNotFound(t, call(t, srv, http.MethodGet, "/api/firm/users/"+b.User.ID+"/", a.Access, nil))
}

func TestRegisterConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	// Several sign-ups race for one username (in different cases): exactly one wins, and every
	// loser gets the same answer as a sequential duplicate — on the username field.
	const n = 8
	name := uniq("racer")
	results := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			username := name
			if i%2 == 1 {
				username = strings.ToUpper(name)
			}
			results[i] = call(t, srv, http.MethodPost, "/api/auth/register/", "",
				registration(uniq("Firm "), username, uniq("racer")+"@example.com", goodPassword))
		})
	}
	wg.Wait()
	created := 0
	for _, r := range results {
		if r.StatusCode == http.StatusCreated {
			created++
			continue
		}
		p := wantValidation(t, r, map[string][]string{"username": {msgUsernameTaken}})
		wantDetails(t, r, p, map[string][]string{"username": {msgUsernameTaken}})
	}
	if created != 1 {
		t.Errorf("%d registrations of one username succeeded, want 1", created)
	}
}

// TestLoginNamesCannotShadowEachOther: usernames may contain @ and dots, so a username can look
// like an email. Login takes either, so one account's username must never capture another
// account's email login, whichever registered first.
func TestLoginNamesCannotShadowEachOther(t *testing.T) {
	t.Parallel()
	srv := startServer(t)

	t.Run("username registered first", func(t *testing.T) {
		t.Parallel()
		email := uniq("shadow") + "@example.com"
		squatter := call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration(uniq("Firm "), email, uniq("squat")+"@example.com", otherPassword))
		victimName := uniq("victim")
		victim := call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration(uniq("Firm "), victimName, email, goodPassword))
		if squatter.StatusCode == http.StatusCreated && victim.StatusCode == http.StatusCreated {
			// Both exist: the victim must still log in with the email.
			s := login(t, srv, email, goodPassword)
			if s.User.Username != victimName {
				t.Errorf("login with %s found %s, want %s", email, s.User.Username, victimName)
			}
			return
		}
		if squatter.StatusCode != http.StatusCreated {
			t.Fatalf("the first registration failed: %s", squatter.body)
		}
		wantValidation(t, victim, map[string][]string{"email": {msgEmailTaken}})
	})

	t.Run("email registered first", func(t *testing.T) {
		t.Parallel()
		victimName := uniq("victim")
		email := uniq("shadow") + "@example.com"
		decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration(uniq("Firm "), victimName, email, goodPassword)), http.StatusCreated)
		squatter := call(t, srv, http.MethodPost, "/api/auth/register/", "",
			registration(uniq("Firm "), strings.ToUpper(email), uniq("squat")+"@example.com", otherPassword))
		if squatter.StatusCode != http.StatusCreated {
			wantValidation(t, squatter, map[string][]string{"username": {msgUsernameTaken}})
		}
		s := login(t, srv, email, goodPassword)
		if s.User.Username != victimName {
			t.Errorf("login with %s found %s, want %s", email, s.User.Username, victimName)
		}
	})
}
