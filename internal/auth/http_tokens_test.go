package auth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/golang-jwt/jwt/v5"
)

// signingKey is the HS256 key the server derives from the test configuration's secret key.
func signingKey(t *testing.T) []byte {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(testkit.Config(t).SecretKey))
	mac.Write([]byte("consultantpro/jwt-hs256"))
	return mac.Sum(nil)
}

// tokenClaims decodes the claims of a token without verifying it.
func tokenClaims(t *testing.T, token string) jwt.MapClaims {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts, want 3", token, len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	c := jwt.MapClaims{}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("token payload: %v", err)
	}
	return c
}

// segment encodes one JWT part.
func segment(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode token part: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// hmacSign returns header.payload signed with HMAC-SHA256 under key, whatever alg the header
// claims.
func hmacSign(t *testing.T, key []byte, header, claims map[string]any) string {
	t.Helper()
	input := segment(t, header) + "." + segment(t, claims)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func TestTokenClaimsAreTheDocumentedOnes(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, firm := register(t, srv)
	c := tokenClaims(t, owner.Access)
	for name, want := range map[string]any{"iss": "consultantpro", "sub": owner.ID, "firm": firm.ID, "typ": "access"} {
		if c[name] != want {
			t.Errorf("claim %s = %v, want %v", name, c[name], want)
		}
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != "consultantpro-api" {
		t.Errorf("claim aud = %v, want [consultantpro-api]", c["aud"])
	}
	if sid, _ := c["sid"].(string); sid == "" {
		t.Errorf("claim sid = %v, want the session id", c["sid"])
	}
	exp, _ := c["exp"].(float64)
	iat, _ := c["iat"].(float64)
	if life := time.Duration(exp-iat) * time.Second; life != 15*time.Minute {
		t.Errorf("access token lifetime %v, want 15m", life)
	}
	h, _ := base64.RawURLEncoding.DecodeString(strings.Split(owner.Access, ".")[0])
	var header map[string]any
	if err := json.Unmarshal(h, &header); err != nil || header["alg"] != "HS256" {
		t.Errorf("header %s, want alg HS256", h)
	}
}

func TestForgedTokensAreRefused(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	key := signingKey(t)
	owner, _ := register(t, srv)
	victim, victimFirm := register(t, srv) // another firm's owner, whose identity a forger wants
	live := tokenClaims(t, owner.Access)
	now := time.Now()

	// claims returns the owner's live claims with the changes applied (nil deletes a claim).
	claims := func(changes map[string]any) jwt.MapClaims {
		c := maps.Clone(live)
		c["iat"], c["nbf"], c["exp"] = now.Unix(), now.Unix(), now.Add(10*time.Minute).Unix()
		for k, v := range changes {
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
		}
		return c
	}
	sign := func(method jwt.SigningMethod, k any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, c).SignedString(k)
		if err != nil {
			t.Fatalf("sign %s: %v", method.Alg(), err)
		}
		return s
	}
	// tampered keeps the owner's real header and signature over new claims.
	tampered := func(changes map[string]any) string {
		parts := strings.Split(owner.Access, ".")
		return parts[0] + "." + segment(t, claims(changes)) + "." + parts[2]
	}

	// The control: a token forged with the right key and the right claims is accepted, so every
	// refusal below is due to the one thing that case changes.
	t.Run("control: right key and claims", func(t *testing.T) {
		t.Parallel()
		wantTokenWorks(t, srv, sign(jwt.SigningMethodHS256, key, claims(nil)))
		wantTokenWorks(t, srv, hmacSign(t, key, map[string]any{"alg": "HS256", "typ": "JWT"}, claims(nil)))
	})

	tests := []struct {
		name, token string
	}{
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil))},
		{"alg none with the real signature", func() string {
			p := strings.Split(owner.Access, ".")
			return segment(t, map[string]any{"alg": "none", "typ": "JWT"}) + "." + p[1] + "." + p[2]
		}()},
		{"alg none unsigned, upper case", segment(t, map[string]any{"alg": "NONE", "typ": "JWT"}) + "." + segment(t, claims(nil)) + "."},
		{"wrong key", sign(jwt.SigningMethodHS256, []byte("some-other-secret-key-that-is-long-enough-0123456789"), claims(nil))},
		{"raw secret key instead of the derived key", sign(jwt.SigningMethodHS256, []byte(testkit.Config(t).SecretKey), claims(nil))},
		{"HS512 with the right key", sign(jwt.SigningMethodHS512, key, claims(nil))},
		{"HS384 with the right key", sign(jwt.SigningMethodHS384, key, claims(nil))},
		{"RS256 header over an HMAC signature", hmacSign(t, key, map[string]any{"alg": "RS256", "typ": "JWT"}, claims(nil))},
		{"ES256 header over an HMAC signature", hmacSign(t, key, map[string]any{"alg": "ES256", "typ": "JWT"}, claims(nil))},
		{"tampered sub", tampered(map[string]any{"sub": victim.ID})},
		{"tampered sub and firm", tampered(map[string]any{"sub": victim.ID, "firm": victimFirm.ID})},
		{"tampered exp", tampered(map[string]any{"exp": now.Add(24 * time.Hour).Unix()})},
		{"signature stripped", strings.Join(strings.Split(owner.Access, ".")[:2], ".") + "."},
		{"expired beyond leeway", sign(jwt.SigningMethodHS256, key, claims(map[string]any{
			"iat": now.Add(-20 * time.Minute).Unix(), "nbf": now.Add(-20 * time.Minute).Unix(), "exp": now.Add(-2 * time.Minute).Unix(),
		}))},
		{"exp missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"exp": nil}))},
		{"exp not a number", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"exp": "tomorrow"}))},
		{"exp a numeric string", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"exp": strconv.FormatInt(now.Add(10*time.Minute).Unix(), 10)}))},
		{"exp a numeric string, far ahead", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"exp": "99999999999"}))},
		{"exp a boolean", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"exp": true}))},
		{"nbf a numeric string", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"nbf": strconv.FormatInt(now.Unix(), 10)}))},
		{"iat a numeric string", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"iat": strconv.FormatInt(now.Unix(), 10)}))},
		{"not yet valid", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"nbf": now.Add(10 * time.Minute).Unix()}))},
		{"issued in the future", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"iat": now.Add(10 * time.Minute).Unix()}))},
		{"wrong issuer", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"iss": "someone-else"}))},
		{"issuer missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"iss": nil}))},
		{"wrong audience", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"aud": []string{"another-api"}}))},
		{"audience missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"aud": nil}))},
		{"typ refresh", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"typ": "refresh"}))},
		{"typ missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"typ": nil}))},
		{"sub missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"sub": nil}))},
		{"firm missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"firm": nil}))},
		{"sid missing", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"sid": nil}))},
		{"sid of no session", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"sid": "01900000-0000-7000-8000-000000000000"}))},
		{"another user's sub on my session", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"sub": victim.ID, "firm": victimFirm.ID}))},
		{"another firm on my session", sign(jwt.SigningMethodHS256, key, claims(map[string]any{"firm": victimFirm.ID}))},
		{"refresh token used as access token", owner.Refresh},
		{"garbage", "garbage"},
		{"two parts", "abc.def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, path := range []string{"/api/auth/profile/", "/api/firm/", "/api/firm/users/"} {
				wantUnauthorized(t, call(t, srv, http.MethodGet, path, tt.token, nil), msgBadToken)
			}
		})
	}
}

func TestCredentialsOnlyFromTheAuthorizationHeader(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	notAuth := func(t *testing.T, r response) {
		t.Helper()
		p := wantProblem(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth, msgNotAuth)
		if len(p.Details) != 0 {
			t.Errorf("details %v, want none", p.Details)
		}
		if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate %q, want a Bearer challenge", got)
		}
	}
	for _, query := range []string{"access_token", "token", "jwt", "access", "auth"} {
		t.Run("query "+query, func(t *testing.T) {
			t.Parallel()
			notAuth(t, call(t, srv, http.MethodGet, "/api/auth/profile/?"+query+"="+owner.Access, "", nil))
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/api/auth/profile/", "/api/auth/profile", "/api/v1/firm/", "/api/firm/users/", "/api/auth/change-password/"} {
			method := http.MethodGet
			if strings.Contains(path, "change-password") {
				method = http.MethodPost
			}
			notAuth(t, call(t, srv, method, path, "", nil))
		}
	})
	t.Run("cookie", func(t *testing.T) {
		t.Parallel()
		notAuth(t, do(t, srv, request{method: http.MethodGet, path: "/api/auth/profile/",
			header: map[string]string{"Cookie": "access=" + owner.Access + "; access_token=" + owner.Access}}))
	})

	headers := []struct {
		name, value string
		works       bool
	}{
		{"Bearer", "Bearer " + owner.Access, true},
		{"lower-case scheme", "bearer " + owner.Access, true},
		{"Basic scheme", "Basic " + owner.Access, false},
		{"Token scheme", "Token " + owner.Access, false},
		{"no scheme", owner.Access, false},
		{"scheme only", "Bearer", false},
		{"JWT scheme", "JWT " + owner.Access, false},
	}
	for _, h := range headers {
		t.Run("header "+h.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, srv, request{method: http.MethodGet, path: "/api/auth/profile/", header: map[string]string{"Authorization": h.value}})
			if h.works {
				wantStatus(t, r, http.StatusOK)
				return
			}
			wantUnauthorized(t, r, msgBadAuthHeader)
		})
	}
}

func TestValidTokensOfEndedSessionsAreRefused(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, _ := register(t, srv)

	t.Run("deactivated user", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "accountant")
		wantTokenWorks(t, srv, member.Access)
		wantNoContent(t, call(t, srv, http.MethodDelete, "/api/firm/users/"+member.ID+"/", owner.Access, nil))
		wantTokenRefused(t, srv, member.Access)
		// Reactivating the user does not bring the ended sessions back.
		r := call(t, srv, http.MethodPatch, "/api/firm/users/"+member.ID+"/", owner.Access, map[string]any{"is_active": true})
		if u, _ := decode[userJSON](t, r, http.StatusOK); !u.IsActive {
			t.Fatalf("reactivated user is_active = false")
		}
		wantTokenRefused(t, srv, member.Access)
		wantTokenWorks(t, srv, login(t, srv, member.Username, member.Password).Access)
	})
	t.Run("deactivated by PATCH", func(t *testing.T) {
		t.Parallel()
		member := addUser(t, srv, owner, "consultant")
		r := call(t, srv, http.MethodPatch, "/api/firm/users/"+member.ID+"/", owner.Access, map[string]any{"is_active": false})
		if u, _ := decode[userJSON](t, r, http.StatusOK); u.IsActive {
			t.Fatalf("deactivated user is_active = true")
		}
		wantTokenRefused(t, srv, member.Access)
		wantUnauthorized(t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
			map[string]string{"username": member.Username, "password": member.Password}), msgBadLogin)
	})
	t.Run("revoked session, re-signed token", func(t *testing.T) {
		t.Parallel()
		s := login(t, srv, owner.Username, goodPassword)
		wantNoContent(t, call(t, srv, http.MethodPost, "/api/auth/logout/", s.Access, nil))
		// A token with a later expiry, validly signed, for the ended session: still refused.
		c := tokenClaims(t, s.Access)
		c["exp"] = time.Now().Add(10 * time.Minute).Unix()
		forged, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(signingKey(t))
		if err != nil {
			t.Fatal(err)
		}
		wantTokenRefused(t, srv, forged)
	})
}
