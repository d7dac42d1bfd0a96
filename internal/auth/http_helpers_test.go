package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The exact strings of SPEC §2 and §3 and of the auth module, spelled out here rather than taken
// from the packages' constants, so that a change of wording breaks a test instead of passing
// silently.
const (
	msgRequired       = "This field is required."
	msgUnknownField   = "Unknown field."
	msgValidation     = "Validation failed"
	msgEmail          = "Invalid email format"
	msgNotAuth        = "Authentication credentials were not provided."
	msgBadAuthHeader  = "Invalid Authorization header. Use: Bearer <access token>."
	msgBadLogin       = "Invalid username or password"
	msgBadRefresh     = "Token is invalid or expired"
	msgBadToken       = "Given token not valid for any token type"
	msgUsernameTaken  = "A user with that username already exists."
	msgEmailTaken     = "A user with this email already exists."
	msgWrongPassword  = "Your old password was entered incorrectly. Please enter it again."
	msgSamePassword   = "The new password must differ from the old one."
	msgLastOwner      = "A firm must keep at least one active owner."
	msgOwnerOnly      = "Only an owner may grant, change or remove the owner role."
	msgSelfDeactivate = "You cannot deactivate your own account."
	msgForbidden      = "You do not have permission to perform this action."
	msgNotFound       = "Not found."
	msgMalformed      = "Malformed JSON request body."
	msgTimezone       = "Unknown time zone."
	msgLocale         = "Enter a locale such as en-US, en-GB, de-DE, fr-FR or ja-JP."
	msgCurrency       = "Unknown currency code."
	msgChoice         = `"net_90" is not a valid choice.`
	msgPrefix         = "Use 1 to 10 letters, digits or hyphens."
	msgRole           = `"superuser" is not a valid choice.`

	pwShort    = "This password is too short. It must contain at least 12 characters."
	pwLong     = "This password is too long. It must contain at most 128 characters."
	pwCommon   = "This password is too common."
	pwUsername = "The password is too similar to the username."
	pwEmail    = "The password is too similar to the email address."
	pwNumeric  = "This password is entirely numeric."
)

// msgPasswordMismatch is the message of a registration whose password2 differs from password.
const msgPasswordMismatch = "Passwords do not match"

// Error types and codes of SPEC §2's table.
const (
	typeValidation  = "ValidationError"
	typeParse       = "ParseError"
	typeNotAuth     = "NotAuthenticated"
	typeAuthFailed  = "AuthenticationFailed"
	typePermission  = "PermissionDenied"
	typeNotFound    = "NotFound"
	codeValidation  = "VALIDATION_ERROR"
	codeBadRequest  = "BAD_REQUEST"
	codeUnauth      = "UNAUTHORIZED"
	codeForbidden   = "FORBIDDEN"
	codeNotFound    = "NOT_FOUND"
	jsonContentType = "application/json; charset=utf-8"
)

// goodPassword passes every password rule for the accounts these tests make: it shares nothing
// with their usernames (letters and a counter) or their emails (@example.com).
const goodPassword = "Quiet-Harbor-Lanterns-7"

// otherPassword is a second acceptable password, for password changes.
const otherPassword = "Velvet-Orchid-Tides-42"

// The member sets of the JSON objects the auth endpoints answer with. A user must have exactly
// these (nothing that could leak a secret); a firm at least these (its settings grow).
var (
	userKeys    = []string{"created_at", "email", "firm", "first_name", "full_name", "id", "is_active", "last_login", "last_name", "role", "updated_at", "username"}
	firmKeys    = []string{"contract_prefix", "created_at", "default_currency", "default_payment_terms", "id", "invoice_prefix", "name", "proposal_prefix", "timezone", "updated_at"}
	sessionKeys = []string{"access", "firm", "refresh", "user"}
	loginKeys   = []string{"access", "refresh", "user"}
	refreshKeys = []string{"access", "refresh"}
	roles       = []string{"owner", "admin", "manager", "consultant", "accountant"}
)

// httpClient never follows redirects, so a test sees exactly what the server answered.
var httpClient = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// seq makes names unique within the test binary, so tests that share a server never collide.
var seq atomic.Int64

// uniq returns prefix followed by a number unique in this test run. Only letters and digits
// follow, so the name has no part the password rules would find in goodPassword.
func uniq(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// startServer starts a fresh server (fast password hashing) that discards its logs.
func startServer(t *testing.T) *testkit.Server {
	t.Helper()
	return testkit.StartServer(t, nil, nil)
}

// request describes one HTTP call: body nil sends none, a string or []byte is sent as it is,
// anything else is sent as JSON.
type request struct {
	method string
	path   string
	token  string            // Authorization: Bearer <token> when not empty
	body   any               // see above
	header map[string]string // extra headers (an explicit Authorization wins over token)
}

// response is an HTTP answer with its body read.
type response struct {
	*http.Response
	body []byte
}

// where names the request of a response in failure messages.
func (r response) where() string {
	return r.Request.Method + " " + r.Request.URL.RequestURI()
}

// do sends req to srv and reads the whole answer.
func do(t *testing.T, srv *testkit.Server, req request) response {
	t.Helper()
	var body io.Reader
	switch b := req.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body of %s %s: %v", req.method, req.path, err)
		}
		body = bytes.NewReader(raw)
	}
	hr, err := http.NewRequest(req.method, srv.URL+req.path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if req.token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.token)
	}
	for k, v := range req.header {
		hr.Header.Set(k, v)
	}
	resp, err := httpClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.method, req.path, err)
	}
	return response{Response: resp, body: raw}
}

// call is do for the common case: method, path, bearer token and body.
func call(t *testing.T, srv *testkit.Server, method, path, token string, body any) response {
	t.Helper()
	return do(t, srv, request{method: method, path: path, token: token, body: body})
}

// decode checks the status and Content-Type of a successful answer and decodes its body into a
// T. It also returns the body's top-level member names.
func decode[T any](t *testing.T, r response, wantStatus int) (T, []string) {
	t.Helper()
	var v T
	if r.StatusCode != wantStatus {
		t.Fatalf("%s: status %d, want %d; body %s", r.where(), r.StatusCode, wantStatus, r.body)
	}
	if ct := r.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("%s: Content-Type %q, want %q", r.where(), ct, jsonContentType)
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s: decode body: %v\n%s", r.where(), err, r.body)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &members); err != nil {
		return v, nil
	}
	return v, slices.Sorted(maps.Keys(members))
}

// wantStatus fails the test unless the answer has the status.
func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d; body %s", r.where(), r.StatusCode, status, r.body)
	}
}

// wantNoContent checks a 204 with an empty body.
func wantNoContent(t *testing.T, r response) {
	t.Helper()
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("%s: 204 with body %q", r.where(), r.body)
	}
}

// problem is the "error" member of the envelope.
type problem struct {
	Type      string              `json:"type"`
	Message   string              `json:"message"`
	Details   map[string][]string `json:"details"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id"`
}

// envelope checks that r is SPEC §2's error envelope with the status — JSON with its charset,
// only the "error" member, exactly its five members, details an object, request_id equal to
// X-Request-ID — and returns its "error" member.
func envelope(t *testing.T, r response, status int) problem {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d; body %s", r.where(), r.StatusCode, status, r.body)
	}
	if ct := r.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("%s: Content-Type %q, want %q", r.where(), ct, jsonContentType)
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatalf("%s: body is not an envelope: %v\n%s", r.where(), err, r.body)
	}
	if len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("%s: envelope members %v, want only \"error\"\n%s", r.where(), slices.Sorted(maps.Keys(raw)), r.body)
	}
	members := slices.Sorted(maps.Keys(raw["error"]))
	if want := []string{"code", "details", "message", "request_id", "type"}; !slices.Equal(members, want) {
		t.Errorf("%s: error members %v, want %v", r.where(), members, want)
	}
	if d := strings.TrimSpace(string(raw["error"]["details"])); !strings.HasPrefix(d, "{") {
		t.Errorf("%s: details = %s, want an object", r.where(), d)
	}
	var env struct {
		Error problem `json:"error"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("%s: decode envelope: %v\n%s", r.where(), err, r.body)
	}
	if id := r.Header.Get("X-Request-ID"); id == "" || env.Error.RequestID != id {
		t.Errorf("%s: request_id %q, X-Request-ID %q: want them equal and not empty", r.where(), env.Error.RequestID, id)
	}
	return env.Error
}

// wantProblem checks the envelope's status, type, code and message.
func wantProblem(t *testing.T, r response, status int, typ, code, message string) problem {
	t.Helper()
	p := envelope(t, r, status)
	if p.Type != typ || p.Code != code || p.Message != message {
		t.Errorf("%s: error {type %q, code %q, message %q}, want {%q, %q, %q}; details %v",
			r.where(), p.Type, p.Code, p.Message, typ, code, message, p.Details)
	}
	return p
}

// wantValidation checks a 400 ValidationError and that each field named in want carries at
// least the given messages.
func wantValidation(t *testing.T, r response, want map[string][]string) problem {
	t.Helper()
	p := wantProblem(t, r, http.StatusBadRequest, typeValidation, codeValidation, msgValidation)
	for _, field := range slices.Sorted(maps.Keys(want)) {
		for _, msg := range want[field] {
			if !slices.Contains(p.Details[field], msg) {
				t.Errorf("%s: details[%q] = %q, want it to contain %q (details %v)", r.where(), field, p.Details[field], msg, p.Details)
			}
		}
	}
	return p
}

// wantDetails checks that the details are exactly want.
func wantDetails(t *testing.T, r response, p problem, want map[string][]string) {
	t.Helper()
	if !maps.EqualFunc(p.Details, want, slices.Equal) {
		t.Errorf("%s: details %v, want exactly %v", r.where(), p.Details, want)
	}
}

// wantParseError checks a 400 ParseError (a bad query parameter) whose details are exactly want.
// The envelope message is not checked: SPEC §2 fixes none for it.
func wantParseError(t *testing.T, r response, want map[string][]string) {
	t.Helper()
	p := envelope(t, r, http.StatusBadRequest)
	if p.Type != typeParse || p.Code != codeBadRequest {
		t.Errorf("%s: error {type %q, code %q}, want {%q, %q}", r.where(), p.Type, p.Code, typeParse, codeBadRequest)
	}
	wantDetails(t, r, p, want)
}

// wantUnauthorized checks a 401 AuthenticationFailed with the message and no details.
func wantUnauthorized(t *testing.T, r response, message string) {
	t.Helper()
	p := wantProblem(t, r, http.StatusUnauthorized, typeAuthFailed, codeUnauth, message)
	if len(p.Details) != 0 {
		t.Errorf("%s: 401 details %v, want none", r.where(), p.Details)
	}
}

// wantForbidden checks a 403 PermissionDenied with the message.
func wantForbidden(t *testing.T, r response, message string) {
	t.Helper()
	wantProblem(t, r, http.StatusForbidden, typePermission, codeForbidden, message)
}

// wantNotFound checks a 404 NotFound.
func wantNotFound(t *testing.T, r response) {
	t.Helper()
	wantProblem(t, r, http.StatusNotFound, typeNotFound, codeNotFound, msgNotFound)
}

// userJSON is a user as the API shows it.
type userJSON struct {
	ID        string     `json:"id"`
	Username  string     `json:"username"`
	Email     string     `json:"email"`
	FirstName string     `json:"first_name"`
	LastName  string     `json:"last_name"`
	FullName  string     `json:"full_name"`
	Role      string     `json:"role"`
	IsActive  bool       `json:"is_active"`
	Firm      string     `json:"firm"`
	LastLogin *time.Time `json:"last_login"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// userDiff describes how got differs from want ("" when they are the same user in the same
// state); times compare as instants.
func userDiff(got, want userJSON) string {
	var diffs []string
	add := func(name string, g, w any) { diffs = append(diffs, fmt.Sprintf("%s %v, want %v", name, g, w)) }
	if got.ID != want.ID {
		add("id", got.ID, want.ID)
	}
	if got.Username != want.Username {
		add("username", got.Username, want.Username)
	}
	if got.Email != want.Email {
		add("email", got.Email, want.Email)
	}
	if got.FirstName != want.FirstName || got.LastName != want.LastName || got.FullName != want.FullName {
		add("names", []string{got.FirstName, got.LastName, got.FullName}, []string{want.FirstName, want.LastName, want.FullName})
	}
	if got.Role != want.Role {
		add("role", got.Role, want.Role)
	}
	if got.IsActive != want.IsActive {
		add("is_active", got.IsActive, want.IsActive)
	}
	if got.Firm != want.Firm {
		add("firm", got.Firm, want.Firm)
	}
	if (got.LastLogin == nil) != (want.LastLogin == nil) || got.LastLogin != nil && !got.LastLogin.Equal(*want.LastLogin) {
		add("last_login", got.LastLogin, want.LastLogin)
	}
	if !got.CreatedAt.Equal(want.CreatedAt) {
		add("created_at", got.CreatedAt, want.CreatedAt)
	}
	if !got.UpdatedAt.Equal(want.UpdatedAt) {
		add("updated_at", got.UpdatedAt, want.UpdatedAt)
	}
	return strings.Join(diffs, "; ")
}

// firmJSON is a firm as the API shows it.
type firmJSON struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	Timezone            string    `json:"timezone"`
	DefaultCurrency     string    `json:"default_currency"`
	DefaultPaymentTerms string    `json:"default_payment_terms"`
	InvoicePrefix       string    `json:"invoice_prefix"`
	ProposalPrefix      string    `json:"proposal_prefix"`
	ContractPrefix      string    `json:"contract_prefix"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// session is what register, login and refresh answer.
type session struct {
	Access  string    `json:"access"`
	Refresh string    `json:"refresh"`
	User    *userJSON `json:"user"`
	Firm    *firmJSON `json:"firm"`
}

// page is a paginated list.
type page[T any] struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// account is a user the tests made, with the password and a session.
type account struct {
	userJSON
	Password string
	Access   string
	Refresh  string
}

// registration is the body of POST /api/auth/register/.
func registration(firm, username, email, password string) map[string]any {
	return map[string]any{"firm_name": firm, "username": username, "email": email, "password": password,
		"first_name": "Ada", "last_name": "Lovelace"}
}

// register creates a new firm and its owner.
func register(t *testing.T, srv *testkit.Server) (account, firmJSON) {
	t.Helper()
	return registerAs(t, srv, uniq("owner"))
}

// registerAs is register with the given username (the email is name@example.com).
func registerAs(t *testing.T, srv *testkit.Server, name string) (account, firmJSON) {
	t.Helper()
	s, _ := decode[session](t, call(t, srv, http.MethodPost, "/api/auth/register/", "",
		registration(uniq("Firm "), name, name+"@example.com", goodPassword)), http.StatusCreated)
	if s.User == nil || s.Firm == nil || s.Access == "" || s.Refresh == "" {
		t.Fatalf("register: incomplete answer %+v", s)
	}
	return account{userJSON: *s.User, Password: goodPassword, Access: s.Access, Refresh: s.Refresh}, *s.Firm
}

// addUser has admin (an owner or admin) add a user with the role, then logs the user in.
func addUser(t *testing.T, srv *testkit.Server, admin account, role string) account {
	t.Helper()
	name := uniq(role)
	r := call(t, srv, http.MethodPost, "/api/firm/users/", admin.Access, map[string]any{
		"username": name, "email": name + "@example.com", "password": goodPassword, "role": role,
		"first_name": "Test", "last_name": strings.ToUpper(role[:1]) + role[1:],
	})
	u, _ := decode[userJSON](t, r, http.StatusCreated)
	s := login(t, srv, name, goodPassword)
	return account{userJSON: u, Password: goodPassword, Access: s.Access, Refresh: s.Refresh}
}

// login logs in and fails the test unless it succeeds.
func login(t *testing.T, srv *testkit.Server, username, password string) session {
	t.Helper()
	s, _ := decode[session](t, call(t, srv, http.MethodPost, "/api/auth/login/", "",
		map[string]string{"username": username, "password": password}), http.StatusOK)
	if s.Access == "" || s.Refresh == "" || s.User == nil {
		t.Fatalf("login %s: incomplete answer %+v", username, s)
	}
	return s
}

// profile fetches the caller's profile and fails the test unless it is 200.
func profile(t *testing.T, srv *testkit.Server, token string) userJSON {
	t.Helper()
	u, _ := decode[userJSON](t, call(t, srv, http.MethodGet, "/api/auth/profile/", token, nil), http.StatusOK)
	return u
}

// wantTokenWorks checks that an access token is accepted.
func wantTokenWorks(t *testing.T, srv *testkit.Server, token string) {
	t.Helper()
	wantStatus(t, call(t, srv, http.MethodGet, "/api/auth/profile/", token, nil), http.StatusOK)
}

// wantTokenRefused checks that an access token is refused with 401 AuthenticationFailed.
func wantTokenRefused(t *testing.T, srv *testkit.Server, token string) {
	t.Helper()
	r := call(t, srv, http.MethodGet, "/api/auth/profile/", token, nil)
	wantUnauthorized(t, r, msgBadToken)
	if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("%s: WWW-Authenticate %q, want a Bearer challenge", r.where(), got)
	}
}

// refresh presents a refresh token.
func refresh(t *testing.T, srv *testkit.Server, token string) response {
	t.Helper()
	return call(t, srv, http.MethodPost, "/api/auth/token/refresh/", "", map[string]string{"refresh": token})
}

// logBuffer collects log output; the app and the security logger write to it from many
// goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything logged so far.
func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes every JSON log line logged so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, line)
		}
		out = append(out, rec)
	}
	return out
}

// capturingLogs returns Logs that write every line, app and security, to the buffer.
func capturingLogs(t *testing.T) (*logging.Logs, *logBuffer) {
	t.Helper()
	buf := &logBuffer{}
	logs, err := logging.New(logging.Options{Console: buf})
	if err != nil {
		t.Fatalf("logging.New: %v", err)
	}
	t.Cleanup(func() { logs.Close() })
	return logs, buf
}
