package stripe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how old a webhook signature may be (Stripe's recommended 300 s), so that
// a captured delivery cannot be replayed later.
const DefaultTolerance = 300 * time.Second

// SignatureHeader is the header Stripe signs webhook deliveries in.
const SignatureHeader = "Stripe-Signature"

// Why a delivery's signature is refused. The messages are safe for the security log.
var (
	ErrNoSignature  = errors.New("missing Stripe-Signature header")
	ErrBadHeader    = errors.New("malformed Stripe-Signature header")
	ErrNoSecret     = errors.New("no webhook signing secret is configured")
	ErrBadSignature = errors.New("no v1 signature matches the body")
	ErrStale        = errors.New("signature timestamp outside the tolerance")
)

// Verify checks a Stripe-Signature header ("t=<unix>,v1=<hex>,v1=<hex>,...") over the exact
// bytes received: the body is authentic when any v1 signature is HMAC-SHA256(secret,
// "<t>.<body>") for any of the secrets (during a rotation Stripe signs with the old and the new
// one), and fresh when t is no more than tolerance away from now. It runs before the body is
// parsed. Comparisons are constant-time.
func Verify(payload []byte, header string, secrets []string, now time.Time, tolerance time.Duration) error {
	if strings.TrimSpace(header) == "" {
		return ErrNoSignature
	}
	var (
		ts     int64
		haveTS bool
		sigs   [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return ErrBadHeader
			}
			ts, haveTS = n, true
		case "v1":
			if b, err := hex.DecodeString(v); err == nil && len(b) == sha256.Size {
				sigs = append(sigs, b)
			}
		}
	}
	if !haveTS || len(sigs) == 0 {
		return ErrBadHeader
	}
	matched, configured := false, false
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		configured = true
		want := sign(payload, ts, secret)
		for _, s := range sigs {
			if hmac.Equal(s, want) {
				matched = true
			}
		}
	}
	switch {
	case !configured:
		return ErrNoSecret
	case !matched:
		return ErrBadSignature
	}
	age := now.Sub(time.Unix(ts, 0))
	if age > tolerance || age < -tolerance {
		return ErrStale
	}
	return nil
}

// SignatureFor builds the Stripe-Signature header Stripe would send for payload at t with
// secret (tests and local tooling sign their own deliveries with it).
func SignatureFor(payload []byte, secret string, t time.Time) string {
	return "t=" + strconv.FormatInt(t.Unix(), 10) + ",v1=" + hex.EncodeToString(sign(payload, t.Unix(), secret))
}

func sign(payload []byte, ts int64, secret string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte{'.'})
	mac.Write(payload)
	return mac.Sum(nil)
}
