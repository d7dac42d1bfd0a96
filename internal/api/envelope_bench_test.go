package api_test

import (
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// BenchmarkEnvelope measures turning an error into the envelope and encoding it as the error
// writer does, for the common kinds: a validation error with field details, a plain not found,
// and an unknown (internal) error whose cause must be hidden.
func BenchmarkEnvelope(b *testing.B) {
	var validation fault.Fields
	validation.Add("hours", "Ensure this value is less than or equal to 24.")
	validation.Add("date", "Enter a valid date in YYYY-MM-DD format.")
	validation.Add("project", "This field is required.")
	cases := []struct {
		name string
		err  error
		code string
	}{
		{"validation", validation.Err(), "VALIDATION_ERROR"},
		{"not-found", fault.New(fault.NotFound, api.MsgNotFound), "NOT_FOUND"},
		{"internal", errors.New("pq: connection reset by peer"), "INTERNAL_SERVER_ERROR"},
	}
	const requestID = "6f1c2e0a-3b7d-4f5e-9a8b-1c2d3e4f5a6b"
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			var env *api.Envelope
			b.ReportAllocs()
			for b.Loop() {
				env = api.NewEnvelope(bc.err, requestID)
				enc := json.NewEncoder(io.Discard)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(env); err != nil {
					b.Fatal(err)
				}
			}
			if env.Err.Code != bc.code || env.Err.RequestID != requestID {
				b.Fatalf("envelope = %+v, want code %s", env.Err, bc.code)
			}
		})
	}
}
