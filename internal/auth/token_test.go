package auth_test

import (
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/golang-jwt/jwt/v5"
)

// clock is a settable time source for Tokens.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

const tokenTestSecret = "token-test-secret-key-long-enough-for-hs256-0123456789abcdef"

func TestTokensVerifyWhatTheyIssue(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)}
	tokens := auth.NewTokens(tokenTestSecret, 0, 0, clk.Now)
	access, err := tokens.Access("user-1", "firm-1", "session-1")
	if err != nil {
		t.Fatal(err)
	}
	user, firm, sid, err := tokens.Verify(access)
	if err != nil || user != "user-1" || firm != "firm-1" || sid != "session-1" {
		t.Fatalf("Verify = %q %q %q %v, want user-1 firm-1 session-1", user, firm, sid, err)
	}
	// Another secret key does not verify it.
	if _, _, _, err := auth.NewTokens(tokenTestSecret+"x", 0, 0, clk.Now).Verify(access); err == nil {
		t.Error("a token verified under another secret key")
	}
	// Tampering with the signature breaks it. (The last character is left alone: two of its
	// bits are padding, which base64 decoding ignores.)
	for i := len(access) - 10; i < len(access)-1; i++ {
		b := []byte(access)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		if _, _, _, err := tokens.Verify(string(b)); err == nil && string(b) != access {
			t.Errorf("token with byte %d changed verified", i)
		}
	}
}

func TestTokenLifetime(t *testing.T) {
	t.Parallel()
	issued := time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		accessTTL time.Duration
		at        time.Duration // verification time, relative to issue
		valid     bool
	}{
		{"default lifetime, just issued", 0, 0, true},
		{"default lifetime, 14 minutes", 0, 14 * time.Minute, true},
		{"default lifetime, within leeway after expiry", 0, 15*time.Minute + 20*time.Second, true},
		{"default lifetime, beyond leeway", 0, 15*time.Minute + 31*time.Second, false},
		{"default lifetime, an hour", 0, time.Hour, false},
		{"configured lifetime, within", time.Minute, 50 * time.Second, true},
		{"configured lifetime, beyond", time.Minute, 2 * time.Minute, false},
		{"clock skew within leeway", 0, -20 * time.Second, true},
		{"issued in the future beyond leeway", 0, -2 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: issued}
			tokens := auth.NewTokens(tokenTestSecret, tt.accessTTL, 0, clk.Now)
			access, err := tokens.Access("u", "f", "s")
			if err != nil {
				t.Fatal(err)
			}
			clk.Set(issued.Add(tt.at))
			_, _, _, err = tokens.Verify(access)
			if (err == nil) != tt.valid {
				t.Errorf("Verify at issue%+v: err %v, want valid=%v", tt.at, err, tt.valid)
			}
			// A token verified once is remembered; its times are checked again each time.
			clk.Set(issued)
			if _, _, _, err := tokens.Verify(access); err != nil {
				t.Fatalf("Verify at issue: %v", err)
			}
			clk.Set(issued.Add(tt.at))
			_, _, _, err = tokens.Verify(access)
			if (err == nil) != tt.valid {
				t.Errorf("Verify again at issue%+v: err %v, want valid=%v", tt.at, err, tt.valid)
			}
		})
	}
}

func TestTokenClaimsShape(t *testing.T) {
	t.Parallel()
	issued := time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)
	tokens := auth.NewTokens(tokenTestSecret, 0, 0, func() time.Time { return issued })
	access, err := tokens.Access("user-1", "firm-1", "session-1")
	if err != nil {
		t.Fatal(err)
	}
	parsed, _, err := jwt.NewParser().ParseUnverified(access, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Header["alg"] != "HS256" {
		t.Errorf("alg %v, want HS256", parsed.Header["alg"])
	}
	c := parsed.Claims.(jwt.MapClaims)
	want := map[string]any{
		"iss": "consultantpro", "sub": "user-1", "firm": "firm-1", "sid": "session-1", "typ": "access",
		"iat": float64(issued.Unix()), "nbf": float64(issued.Unix()), "exp": float64(issued.Add(15 * time.Minute).Unix()),
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != "consultantpro-api" {
		t.Errorf("aud = %v, want [consultantpro-api]", c["aud"])
	}
}

func TestRefreshTokens(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		token, hash := auth.NewRefresh()
		if len(token) != 43 || strings.ContainsAny(token, "+/=") {
			t.Fatalf("refresh token %q: want 43 base64url characters (256 bits)", token)
		}
		if seen[token] {
			t.Fatalf("refresh token %q issued twice", token)
		}
		seen[token] = true
		if hash != auth.HashRefresh(token) || hash == token {
			t.Fatalf("hash %q of %q: want HashRefresh(token), never the token", hash, token)
		}
		if b, err := hex.DecodeString(hash); err != nil || len(b) != 32 {
			t.Fatalf("hash %q: want 64 hex digits (SHA-256)", hash)
		}
	}
	if auth.HashRefresh("a") == auth.HashRefresh("b") {
		t.Error("different tokens, same hash")
	}
}

// TestRefreshSuccessors checks the rotation's derived tokens: the same token always has the same
// successor (what lets a token presented again within the reuse interval get the same pair), in
// the refresh token's format, secret without the secret key.
func TestRefreshSuccessors(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC) }
	tokens := auth.NewTokens(tokenTestSecret, 0, 0, now)
	token, _ := auth.NewRefresh()
	next, hash := tokens.Successor(token)
	if len(next) != 43 || strings.ContainsAny(next, "+/=") || next == token {
		t.Fatalf("successor %q of %q: want 43 new base64url characters", next, token)
	}
	if hash != auth.HashRefresh(next) {
		t.Fatalf("successor hash %q, want HashRefresh(successor)", hash)
	}
	if again, _ := tokens.Successor(token); again != next {
		t.Fatal("one token has two successors")
	}
	if other, _ := tokens.Successor(next); other == next || other == token {
		t.Fatal("a successor's successor repeats a token")
	}
	if other, _ := auth.NewTokens(tokenTestSecret+"x", 0, 0, now).Successor(token); other == next {
		t.Fatal("the successor does not depend on the secret key")
	}
	// An access token issued for the same session at the same second is the same token.
	a1, err1 := tokens.AccessAt("user-1", "firm-1", "session-1", now().Add(-time.Minute))
	a2, err2 := tokens.AccessAt("user-1", "firm-1", "session-1", now().Add(-time.Minute+time.Millisecond))
	if err1 != nil || err2 != nil || a1 != a2 {
		t.Fatalf("AccessAt at one second gave two tokens (%v, %v)", err1, err2)
	}
	if a3, _ := tokens.AccessAt("user-1", "firm-1", "session-1", now()); a3 == a1 {
		t.Fatal("AccessAt ignores the issue time")
	}
}
