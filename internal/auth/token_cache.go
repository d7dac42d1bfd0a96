package auth

import (
	"sync"
	"time"
)

// verifiedTokens remembers access tokens whose signature and claims have been checked, so that
// the next request with the same token only compares times: a token cannot change, and its
// signature was valid once and for all. What can change — the session, the user, the firm — is
// the session check's business, which runs on every request. Parsing and HMAC-checking a token
// was an eighth of a cached list request's CPU.
type verifiedTokens struct {
	mu      sync.RWMutex
	entries map[string]verifiedToken
}

// verifiedToken is what Verify learned of a token.
type verifiedToken struct {
	userID, firmID, sessionID  string
	expires, issued, notBefore time.Time // notBefore zero when the token has none
}

// maxVerifiedTokens bounds the memory (about 500 bytes a token); past it the map starts again
// empty, which only costs each live token one full check.
const maxVerifiedTokens = 20_000

// get returns the token's ids if it was verified before and its times still hold at now, with
// the same leeway as the full check.
func (v *verifiedTokens) get(token string, now time.Time) (verifiedToken, bool) {
	v.mu.RLock()
	e, ok := v.entries[token]
	v.mu.RUnlock()
	if !ok || !now.Before(e.expires.Add(clockLeeway)) || now.Add(clockLeeway).Before(e.issued) ||
		!e.notBefore.IsZero() && now.Add(clockLeeway).Before(e.notBefore) {
		return verifiedToken{}, false
	}
	return e, true
}

func (v *verifiedTokens) put(token string, e verifiedToken) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.entries == nil || len(v.entries) >= maxVerifiedTokens {
		v.entries = make(map[string]verifiedToken)
	}
	v.entries[token] = e
}
