package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var completedJob = regexp.MustCompile(`(?m)^(\d+)\s+finance\.sweep_overdue\s+completed\s`)

// TestJobsCommands: the server runs its periodic jobs at start; `jobs list` shows them and
// `jobs retry` queues one again.
func TestJobsCommands(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	start(t, env, env["ADDR"])
	var out string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if out, _, err = runCommand(t, env, "jobs", "list", "--state", "completed"); err != nil {
			t.Fatalf("jobs list: %v", err)
		}
		if completedJob.MatchString(out) && strings.Contains(out, "platform.delete_expired") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the periodic jobs did not run at start; jobs list printed:\n%s", out)
		}
	}
	if !strings.HasPrefix(out, "ID  ") || !strings.Contains(out, "LAST ERROR") {
		t.Errorf("jobs list has no header:\n%s", out)
	}
	id := completedJob.FindStringSubmatch(out)[1]
	retried, _, err := runCommand(t, env, "jobs", "retry", id)
	if err != nil {
		t.Fatalf("jobs retry %s: %v", id, err)
	}
	if want := "job " + id + " (finance.sweep_overdue) is available\n"; retried != want {
		t.Errorf("jobs retry printed %q, want %q", retried, want)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"jobs", "retry", "987654"}, "no job with ID 987654"},
		{[]string{"jobs", "retry", "x"}, `job ID "x" is not a positive number`},
		{[]string{"jobs", "list", "--state", "failed"}, `unknown job state "failed"`},
		{[]string{"jobs", "list", "--limit", "0"}, "--limit must be a number from 1 to 10000"},
		{[]string{"jobs", "purge"}, `unknown jobs command "purge"`},
	} {
		if _, _, err := runCommand(t, env, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v = %v, want an error containing %q", c.args, err, c.want)
		}
	}
}
