package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/fault"
)

func TestCreateUserHelpListsItsOwnFlags(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCommand(t, localEnv(t), "createuser", "-h")
	if err != nil {
		t.Fatalf("createuser -h returned %v, want nil", err)
	}
	if stdout != "" {
		t.Errorf("createuser -h printed %q on stdout", stdout)
	}
	if !strings.HasPrefix(stderr, "Usage: consultantpro createuser -firm NAME -username USER -email EMAIL") {
		t.Errorf("createuser -h does not start with its usage line:\n%s", stderr)
	}
	for _, flag := range []string{"-firm", "-username", "-email", "-first-name", "-last-name"} {
		if !strings.Contains(stderr, "\n  "+flag+" string\n") {
			t.Errorf("createuser -h does not list %s:\n%s", flag, stderr)
		}
	}
	// The server settings are pointed to, not listed.
	for _, setting := range []string{"\n  -addr", "\n  -database-url", "(env DATABASE_URL)"} {
		if strings.Contains(stderr, setting) {
			t.Errorf("createuser -h lists the server setting %q:\n%s", setting, stderr)
		}
	}
	if !strings.Contains(stderr, `run "consultantpro serve -h" to list them`) {
		t.Errorf("createuser -h does not say where the settings are listed:\n%s", stderr)
	}
}

func TestCreateUserNamesMissingFlags(t *testing.T) {
	t.Parallel()
	const hint = ` (run "consultantpro createuser -h" for its flags)`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no -firm", []string{"-username", "ada", "-email", "ada@acme.example"}, "-firm is required" + hint},
		{"blank -firm", []string{"-firm", "  ", "-username", "ada", "-email", "ada@acme.example"}, "-firm is required" + hint},
		{"no -email", []string{"-firm", "Acme", "-username", "ada"}, "-email is required" + hint},
		{"nothing, sorted", nil, "-email is required; -firm is required; -username is required" + hint},
		{"settings do not count", []string{"-addr", "127.0.0.1:0", "-firm", "Acme"}, "-email is required; -username is required" + hint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := runWithInput(t, localEnv(t), "correct horse battery staple\n", append([]string{"createuser"}, tt.args...)...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("createuser = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCreateUserErrorsInStableOrder(t *testing.T) {
	t.Parallel()
	const want = "invalid input:" +
		"\n  email: Invalid email format" +
		"\n  password: This password is too short. It must contain at least 12 characters." +
		"\n  username: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
	_, err := runWithInput(t, localEnv(t), "short\n", "createuser", "-firm", "Acme", "-username", "a b", "-email", "nope")
	if err == nil || err.Error() != want {
		t.Fatalf("createuser = %v\nwant %s", err, want)
	}

	// Fields are named by their flags and sorted, however the map of details iterates.
	var f fault.Fields
	for _, field := range []string{"username", "last_name", "firm_name", "email", "first_name", "password"} {
		f.Add(field, "bad "+field)
	}
	f.Add("password", "also bad")
	const wantAll = "invalid input:\n  email: bad email\n  firm: bad firm_name\n  first-name: bad first_name" +
		"\n  last-name: bad last_name\n  password: bad password\n  password: also bad\n  username: bad username"
	for range 50 {
		if got := describe(f.Err()).Error(); got != wantAll {
			t.Fatalf("describe = %q\nwant %q", got, wantAll)
		}
	}
}

// fakeConsole records how readPassword used the terminal.
type fakeConsole struct {
	terminal bool
	echoErr  error
	echoOff  int
	restored int
}

func (c *fakeConsole) console() console {
	return console{
		isTerminal: func(io.Reader) bool { return c.terminal },
		echoOff: func(io.Reader) (func(), error) {
			if c.echoErr != nil {
				return nil, c.echoErr
			}
			c.echoOff++
			return func() { c.restored++ }, nil
		},
	}
}

func TestReadPassword(t *testing.T) {
	t.Parallel()
	const prompts = "Password: \nPassword (again): \n"
	tests := []struct {
		name       string
		terminal   bool
		echoErr    error
		stdin      string
		want       string
		wantErr    string
		wantStderr string
		wantEchoes int // times echo was turned off (and back on)
	}{
		{"pipe: first line, no prompt", false, nil, "correct horse battery staple\nignored\n", "correct horse battery staple", "", "", 0},
		{"pipe: CRLF and no final newline", false, nil, "correct horse battery staple\r\n", "correct horse battery staple", "", "", 0},
		{"pipe: last line without newline", false, nil, "correct horse battery staple", "correct horse battery staple", "", "", 0},
		{"pipe: empty", false, nil, "", "", "createuser reads the password from standard input", "", 0},
		{"terminal: prompts twice without echo", true, nil, "correct horse battery staple\ncorrect horse battery staple\n",
			"correct horse battery staple", "", prompts, 1},
		{"terminal: the two differ", true, nil, "correct horse battery staple\ncorrect horse battery stable\n",
			"", "the two passwords differ", prompts, 1},
		{"terminal: nothing typed", true, nil, "\n", "", "no password given", "Password: \n", 1},
		{"terminal: echo cannot be turned off", true, errors.New("ioctl failed"), "secret\nsecret\n",
			"", "turn off the terminal's echo: ioctl failed", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeConsole{terminal: tt.terminal, echoErr: tt.echoErr}
			var stderr bytes.Buffer
			got, err := readPassword(context.Background(), strings.NewReader(tt.stdin), &stderr, fake.console())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("readPassword: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Fatalf("readPassword error = %v, want %q", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("password = %q, want %q", got, tt.want)
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.wantStderr)
			}
			if fake.echoOff != tt.wantEchoes || fake.restored != tt.wantEchoes {
				t.Errorf("echo turned off %d times and restored %d times, want %d", fake.echoOff, fake.restored, tt.wantEchoes)
			}
		})
	}
}

// A real pipe is not a terminal: the system console reads it without a prompt.
func TestReadPasswordFromARealPipe(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.WriteString(w, "correct horse battery staple\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var stderr bytes.Buffer
	got, err := readPassword(context.Background(), r, &stderr, systemConsole)
	if err != nil || got != "correct horse battery staple" || stderr.Len() != 0 {
		t.Fatalf("readPassword(pipe) = %q, %v; stderr %q", got, err, stderr.String())
	}
}

// Ctrl-C at the prompt ends the wait and puts the echo back.
func TestReadPasswordInterrupted(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe() // never written: the read blocks like a terminal nobody types on
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fake := &fakeConsole{terminal: true}
	_, err = readPassword(ctx, r, io.Discard, fake.console())
	if !errors.Is(err, context.Canceled) || fake.restored != 1 {
		t.Fatalf("readPassword = %v, echo restored %d times; want context.Canceled and 1", err, fake.restored)
	}
}
