package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token settings.
const (
	tokenIssuer      = "consultantpro"
	tokenAudience    = "consultantpro-api"
	accessTokenType  = "access"
	clockLeeway      = 30 * time.Second
	refreshTokenSize = 32
)

// DefaultAccessTTL and DefaultRefreshTTL are the token lifetimes of SPEC §3.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 7 * 24 * time.Hour
)

// Tokens issues and verifies access tokens (HS256 JWTs) and makes refresh tokens.
type Tokens struct {
	key        []byte
	rotateKey  []byte
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
	verified   verifiedTokens
}

// NewTokens derives the signing key and the refresh rotation key from the server's secret key;
// the derivation keeps each key apart from any other use of the secret.
func NewTokens(secretKey string, accessTTL, refreshTTL time.Duration, now func() time.Time) *Tokens {
	derive := func(label string) []byte {
		mac := hmac.New(sha256.New, []byte(secretKey))
		mac.Write([]byte(label))
		return mac.Sum(nil)
	}
	if accessTTL <= 0 {
		accessTTL = DefaultAccessTTL
	}
	if refreshTTL <= 0 {
		refreshTTL = DefaultRefreshTTL
	}
	return &Tokens{key: derive("consultantpro/jwt-hs256"), rotateKey: derive("consultantpro/refresh-rotation"),
		accessTTL: accessTTL, refreshTTL: refreshTTL, now: now}
}

// claims are the access token's claims: sub is the user, sid the session, firm the tenant.
type claims struct {
	jwt.RegisteredClaims
	Firm    string `json:"firm"`
	Session string `json:"sid"`
	Type    string `json:"typ"`
}

// UnmarshalJSON refuses claims whose times (exp, nbf, iat) are not JSON numbers before decoding
// them. RFC 7519 makes a NumericDate a number, but the JWT library also reads a string of digits,
// so a token with "exp": "9999999999" would otherwise verify.
func (c *claims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for _, name := range [...]string{"exp", "nbf", "iat"} {
		if v, ok := raw[name]; ok && !isJSONNumber(v) {
			return fmt.Errorf("claim %s is not a number", name)
		}
	}
	type plain claims // without this method, so decoding does not recurse
	return json.Unmarshal(b, (*plain)(c))
}

// isJSONNumber reports whether v, a single JSON value, is a number.
func isJSONNumber(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9')
}

// Access issues an access token for a session.
func (t *Tokens) Access(userID, firmID, sessionID string) (string, error) {
	return t.AccessAt(userID, firmID, sessionID, t.now())
}

// AccessAt issues an access token for a session as issued at now. The token is a function of its
// arguments (times count in whole seconds), so the same arguments give the same token again.
func (t *Tokens) AccessAt(userID, firmID, sessionID string, now time.Time) (string, error) {
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{tokenAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.accessTTL)),
		},
		Firm: firmID, Session: sessionID, Type: accessTokenType,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
}

// errBadToken is the one answer to every malformed, forged or expired token: the client learns
// nothing about which check failed (the security log does).
var errBadToken = errors.New("invalid token")

// Verify checks an access token: only HS256, our issuer and audience, exp required (small
// leeway), typ access. It returns the user, firm and session ids.
func (t *Tokens) Verify(token string) (userID, firmID, sessionID string, err error) {
	if e, ok := t.verified.get(token, t.now()); ok {
		return e.userID, e.firmID, e.sessionID, nil
	}
	var c claims
	parsed, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(clockLeeway),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil || !parsed.Valid {
		return "", "", "", errors.Join(errBadToken, err)
	}
	if c.Type != accessTokenType || c.Subject == "" || c.Firm == "" || c.Session == "" {
		return "", "", "", errBadToken
	}
	e := verifiedToken{userID: c.Subject, firmID: c.Firm, sessionID: c.Session, expires: c.ExpiresAt.Time}
	if c.IssuedAt != nil {
		e.issued = c.IssuedAt.Time
	}
	if c.NotBefore != nil {
		e.notBefore = c.NotBefore.Time
	}
	t.verified.put(token, e)
	return c.Subject, c.Firm, c.Session, nil
}

// NewRefresh returns a new opaque refresh token and the hash it is stored under.
func NewRefresh() (token, hash string) {
	b := make([]byte, refreshTokenSize)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashRefresh(token)
}

// Successor returns the refresh token that rotating token issues, and its hash: an HMAC of the
// token under a key derived from the secret key. Deriving it rather than drawing it lets a token
// presented again within the reuse interval get the same successor without storing any token:
// only the holder of token and the server can compute it.
func (t *Tokens) Successor(token string) (next, hash string) {
	mac := hmac.New(sha256.New, t.rotateKey)
	mac.Write([]byte(token))
	next = base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	return next, HashRefresh(next)
}

// HashRefresh is how a refresh token is stored and looked up: a plain SHA-256 is enough for 256
// random bits, and it lets the lookup be an index probe.
func HashRefresh(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
