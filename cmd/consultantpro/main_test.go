package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// runCommand runs a command that is expected to return by itself and returns its outputs and
// error. It fails the test if run is still going after 30 seconds.
func runCommand(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, envFunc(env), strings.NewReader(""), &out, &errOut) }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cancel()
		<-done
		t.Fatalf("run %q did not return by itself\nstderr:\n%s", args, errOut.String())
	}
	return out.String(), errOut.String(), err
}

func TestVersion(t *testing.T) {
	t.Parallel()
	stdout, _, err := runCommand(t, nil, "version")
	if err != nil {
		t.Fatalf("version returned %v", err)
	}
	if version == "" || stdout != "consultantpro "+version+"\n" {
		t.Fatalf("version printed %q, want %q", stdout, "consultantpro "+version+"\n")
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCommand(t, nil, "help")
	if err != nil {
		t.Fatalf("help returned %v", err)
	}
	if !strings.Contains(stdout, "Usage: consultantpro <command>") || stderr != "" {
		t.Fatalf("help printed stdout %q and stderr %q, want the usage on stdout", stdout, stderr)
	}
	for _, cmd := range []string{"serve", "migrate", "check --deploy", "version"} {
		if !strings.Contains(stdout, "\n  "+cmd+" ") {
			t.Errorf("usage does not list the %q command:\n%s", cmd, stdout)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCommand(t, nil, "frobnicate")
	if err == nil || err.Error() != `unknown command "frobnicate"` {
		t.Fatalf("run frobnicate = %v, want unknown command \"frobnicate\"", err)
	}
	if stdout != "" || !strings.Contains(stderr, "Usage: consultantpro") {
		t.Errorf("unknown command printed stdout %q, stderr %q; want the usage on stderr only", stdout, stderr)
	}
}

func TestServeRejectsBadFlagsAndSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown flag", nil, []string{"serve", "--no-such-flag"}, "no-such-flag"},
		{"unknown flag without the command", nil, []string{"--no-such-flag"}, "no-such-flag"},
		{"unknown mode", map[string]string{"ENV": "staging"}, []string{"serve"}, "ENV must be"},
		{"bad database url", map[string]string{"DATABASE_URL": "mysql://db/x"}, []string{"serve"}, "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := localEnv(t)
			for k, v := range tt.env {
				env[k] = v
			}
			_, stderr, err := runCommand(t, env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run %q = %v, want an error mentioning %q", tt.args, err, tt.want)
			}
			if strings.Contains(stderr, "ConsultantPro listening") {
				t.Errorf("run %q listened although it failed", tt.args)
			}
		})
	}
}

func TestHelpFlagListsSettings(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"serve", "migrate", "check"} {
		_, stderr, err := runCommand(t, map[string]string{}, cmd, "-h")
		if err != nil {
			t.Errorf("%s -h returned %v, want nil", cmd, err)
		}
		if !strings.Contains(stderr, "DATABASE_URL") || !strings.Contains(stderr, "-addr") {
			t.Errorf("%s -h did not list the settings:\n%s", cmd, stderr)
		}
	}
}
