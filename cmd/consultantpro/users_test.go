package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runWithInput runs a command that returns by itself, with stdin.
func runWithInput(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), args, envFunc(env), strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	out, err := runWithInput(t, env, "correct horse battery staple\n",
		"createuser", "-firm", "Acme Advisory", "-username", "ada", "--email=Ada@Acme.example", "-first-name", "Ada")
	if err != nil {
		t.Fatalf("createuser: %v", err)
	}
	if !regexp.MustCompile(`^created firm "Acme Advisory" \([0-9a-f-]{36}\) with owner ada <ada@acme.example>\n$`).MatchString(out) {
		t.Fatalf("output = %q", out)
	}
	// The owner can sign in on a server over the same data directory.
	addr := freeAddr(t)
	in := start(t, env, addr, "serve", "--addr", addr)
	res, err := http.Post(in.base+"/api/auth/login/", "application/json",
		strings.NewReader(`{"username":"ada","password":"correct horse battery staple"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		User struct{ Role, Email string }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.User.Role != "owner" {
		t.Fatalf("login: %d %+v %v", res.StatusCode, body, err)
	}

	// The same username again is refused with the rule's message.
	_, err = runWithInput(t, env, "another good passphrase\n", "createuser", "-firm", "Other", "-username", "ADA", "-email", "x@y.example")
	if err == nil || !strings.Contains(err.Error(), "username: A user with that username already exists.") {
		t.Fatalf("duplicate username: %v", err)
	}
}

func TestCreateUserRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"no password on stdin", "", []string{"-firm", "F", "-username", "u1", "-email", "u1@f.example"}, []string{"standard input"}},
		{"every rule at once", "short\n", []string{"-firm", "F", "-username", "a b", "-email", "nope"},
			[]string{"username: Enter a valid username", "email: Invalid email format",
				"password: This password is too short."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := runWithInput(t, localEnv(t), tt.stdin, append([]string{"createuser"}, tt.args...)...)
			if err == nil {
				t.Fatal("createuser succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// startDemo runs `demo` until it prints the credentials; it returns the password and a stop func.
func startDemo(t *testing.T, env map[string]string) (addr, password string, stop func()) {
	t.Helper()
	addr = freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", addr}, envFunc(env), strings.NewReader(""), &out, &errOut)
	}()
	re := regexp.MustCompile(`demo-owner\s+owner\s+password: (\S+)`)
	deadline := time.Now().Add(60 * time.Second) // argon2 and the demo data, under the race detector on a busy machine
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			password = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("demo returned early: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("demo printed no credentials:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, role := range []string{"demo-manager", "demo-consultant", "demo-accountant"} {
		if !strings.Contains(out.String(), role) {
			t.Errorf("credentials lack %s:\n%s", role, out.String())
		}
	}
	return addr, password, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo returned %v", err)
		}
	}
}

func demoLogin(t *testing.T, addr, username, password string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	var res *http.Response
	var err error
	for i := 0; i < 100; i++ { // the listener opens just after the credentials are printed
		if res, err = http.Post("http://"+addr+"/api/auth/login/", "application/json", bytes.NewReader(body)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestDemoSeedsAFirmAndPrintsWorkingCredentials(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	addr, first, stop := startDemo(t, env)
	if code := demoLogin(t, addr, "demo-consultant", first); code != 200 {
		t.Fatalf("demo credentials do not sign in: %d", code)
	}
	stop()
	// A second run reuses the firm and sets a fresh password.
	addr, second, stop := startDemo(t, env)
	defer stop()
	if second == first {
		t.Fatal("the password must change on every run")
	}
	if code := demoLogin(t, addr, "demo-owner", second); code != 200 {
		t.Fatalf("second run's credentials: %d", code)
	}
	if code := demoLogin(t, addr, "demo-owner", first); code != 401 {
		t.Fatalf("first run's password still works: %d", code)
	}
}

func TestDemoRefusesProduction(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	env["ENV"] = "production"
	_, err := runWithInput(t, env, "", "demo")
	if err == nil || !strings.Contains(err.Error(), "production") {
		t.Fatalf("demo in production: %v", err)
	}
}
