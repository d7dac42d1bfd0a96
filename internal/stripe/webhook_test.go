package stripe_test

import (
	"errors"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/stripe"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"evt_1","type":"payment_intent.succeeded"}`)
	const secret, other = "whsec_current", "whsec_previous"
	signed := stripe.SignatureFor(body, secret, now)
	v1 := signed[len("t=1773144000,"):]
	cases := []struct {
		name    string
		body    []byte
		header  string
		secrets []string
		want    error
	}{
		{"valid", body, signed, []string{secret}, nil},
		{"any configured secret may match (rotation)", body, signed, []string{other, secret}, nil},
		{"any v1 may match", body, "t=1773144000,v1=" + stripe.SignatureFor(body, other, now)[len("t=1773144000,v1="):] + "," + v1, []string{secret}, nil},
		{"other schemes are ignored", body, "t=1773144000,v0=abcd," + v1, []string{secret}, nil},
		{"290 s old is accepted", body, stripe.SignatureFor(body, secret, now.Add(-290*time.Second)), []string{secret}, nil},
		{"300 s old is accepted", body, stripe.SignatureFor(body, secret, now.Add(-300*time.Second)), []string{secret}, nil},
		{"301 s old is refused", body, stripe.SignatureFor(body, secret, now.Add(-301*time.Second)), []string{secret}, stripe.ErrStale},
		{"301 s ahead is refused", body, stripe.SignatureFor(body, secret, now.Add(301*time.Second)), []string{secret}, stripe.ErrStale},
		{"a changed body is refused", []byte(`{"id":"evt_1","type":"payment_intent.succeeded" }`), signed, []string{secret}, stripe.ErrBadSignature},
		{"another secret is refused", body, signed, []string{other}, stripe.ErrBadSignature},
		{"a changed timestamp is refused", body, "t=1773144001," + v1, []string{secret}, stripe.ErrBadSignature},
		{"missing header", body, "", []string{secret}, stripe.ErrNoSignature},
		{"no timestamp", body, v1, []string{secret}, stripe.ErrBadHeader},
		{"bad timestamp", body, "t=soon," + v1, []string{secret}, stripe.ErrBadHeader},
		{"no v1", body, "t=1773144000", []string{secret}, stripe.ErrBadHeader},
		{"v1 not hex", body, "t=1773144000,v1=zz", []string{secret}, stripe.ErrBadHeader},
		{"no secret configured", body, signed, []string{""}, stripe.ErrNoSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := stripe.Verify(c.body, c.header, c.secrets, now, stripe.DefaultTolerance)
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

func TestDefaultTolerance(t *testing.T) {
	t.Parallel()
	if stripe.DefaultTolerance != 300*time.Second {
		t.Fatalf("DefaultTolerance = %v, want 300s (SPEC §7)", stripe.DefaultTolerance)
	}
}
