package fault

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"plain error is internal", io.EOF, Internal},
		{"fault error", New(NotFound, "Not found."), NotFound},
		{"wrapped fault error", fmt.Errorf("loading: %w", New(Conflict, "x")), Conflict},
		{"outermost wins", Wrap(Unavailable, "db down", New(Invalid, "x")), Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := KindOf(tt.err); got != tt.want {
				t.Fatalf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAsKeepsCauseForLogsOnly(t *testing.T) {
	t.Parallel()
	cause := errors.New("pq: relation does not exist")
	e := As(cause)
	if e.Kind != Internal || e.Message != "Internal server error" {
		t.Fatalf("As(plain) = %+v", e)
	}
	if !errors.Is(e, cause) {
		t.Fatal("cause not reachable through Unwrap")
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	var f Fields
	if f.Err() != nil {
		t.Fatal("empty Fields must give a nil error")
	}
	f.Add("email", "Invalid email format")
	f.Add("email", "Too long")
	f.Add("email", "Too long") // repeated: reported once
	f.Add(NonField, "Nope")
	err := f.Err()
	e := As(err)
	if e.Kind != Invalid || e.Message != ValidationMessage {
		t.Fatalf("got %+v", e)
	}
	if got := e.Details["email"]; len(got) != 2 || got[0] != "Invalid email format" {
		t.Fatalf("email details = %v", got)
	}
	if !f.Has("email") || f.Has("name") {
		t.Fatal("Has is wrong")
	}
	// The error owns a copy: later additions do not leak into it.
	f.Add("name", "late")
	if _, ok := e.Details["name"]; ok {
		t.Fatal("details alias the collector")
	}
}
