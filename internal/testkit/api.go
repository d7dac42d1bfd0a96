package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// HTTP helpers for the modules' end-to-end tests: a whole server (wall clock, frozen clock, or
// counting its queries), firms with users of each role, requests, and assertions on statuses,
// bodies and SPEC §2's error envelope. Expected messages are spelled out, not imported, so that
// a change of wording breaks a test.

// Password passes every password rule; every account these helpers make uses it.
const Password = "correct horse battery staple 42"

// seq makes usernames, emails and names unique across parallel tests.
var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// Seq is a number no other call in the test binary returns, for unique names.
func Seq() int64 { return nextSeq() }

// Clock is a settable clock for a frozen-time server: "today" and every stamp come from it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// API is a running ConsultantPro server on a fresh database.
type API struct {
	Srv        *Server
	Clock      *Clock        // nil on the wall clock
	Queries    *QueryCounter // nil unless counting
	Statements *QueryLog     // nil unless logging
}

// APIOptions choose how a test server is built.
type APIOptions struct {
	FrozenAt time.Time // freeze the clock here (zero: the wall clock)
	Count    bool      // count the statements the database runs
	Log      bool      // keep the text of the statements the database runs (see QueryLog)
	// Configure adjusts the configuration before the app starts (e.g. token lifetimes).
	Configure func(*config.Config)
	// Logs receives the server's logs (nil: discarded).
	Logs *logging.Logs
	// Options are passed to app.New after the test defaults (e.g. a fake Stripe gateway).
	Options []app.Option
}

// StartAPI starts a whole server as StartServer does, with the options applied (the query
// counter is attached before the server takes requests); it stops at cleanup.
func StartAPI(t testing.TB, o APIOptions) *API {
	t.Helper()
	s := &API{}
	opts := []app.Option{app.WithFastPasswords()}
	if !o.FrozenAt.IsZero() {
		s.Clock = &Clock{now: o.FrozenAt}
		opts = append(opts, app.WithClock(s.Clock.Now))
	}
	cfg := Config(t)
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	logs := o.Logs
	if logs == nil {
		logs = logging.Discard()
	}
	opts = append(opts, o.Options...)
	a, err := app.New(context.Background(), cfg, logs, "test", opts...)
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	if o.Count {
		s.Queries = CountQueries(a.DB)
	}
	if o.Log {
		s.Statements = LogQueries(a.DB)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		hs.Close()
		a.Close()
	})
	s.Srv = &Server{Server: hs, App: a}
	return s
}

// DB is the server's database, for seeding rows the API cannot make (yet).
func (s *API) DB() *db.DB { return s.Srv.App.DB }

// User is a signed-in user of a firm.
type User struct {
	ID       string
	Username string
	Email    string
	Name     string // display name: "First Last"
	Role     string
	Token    string
}

// Firm is a registered firm and its owner.
type Firm struct {
	API   *API
	ID    string
	Name  string
	Owner User
}

// Response is a finished HTTP exchange.
type Response struct {
	Method string
	Path   string
	Status int
	Header http.Header
	Body   []byte
}

// String shows the exchange for failure messages.
func (r *Response) String() string {
	return fmt.Sprintf("%s %s → %d %s", r.Method, r.Path, r.Status, r.Body)
}

// Envelope is SPEC §2's error body.
type Envelope struct {
	Error struct {
		Type      string              `json:"type"`
		Message   string              `json:"message"`
		Details   map[string][]string `json:"details"`
		Code      string              `json:"code"`
		RequestID string              `json:"request_id"`
	} `json:"error"`
}

// Page is SPEC §2's list body, with the results left raw for the caller to decode.
type Page struct {
	Count    int64             `json:"count"`
	Next     *string           `json:"next"`
	Previous *string           `json:"previous"`
	Results  []json.RawMessage `json:"results"`
}

// Do sends a request with an optional bearer token. body may be nil, a string or []byte sent as
// is, or any other value encoded as JSON.
func (s *API) Do(t testing.TB, method, path, token string, body any) *Response {
	t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	case []byte:
		rdr = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode %s %s body: %v", method, path, err)
		}
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.Srv.URL+path, rdr)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if rdr != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Redirects are not followed: SPEC §2 serves every path form directly.
	hc := *s.Srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s %s: %v", method, path, err)
	}
	return &Response{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}
}

// ListOf GETs a list at path with the query string (without "?"), expects 200 and returns the
// page and its results decoded as T.
func ListOf[T any](t testing.TB, s *API, token, path, query string) (Page, []T) {
	t.Helper()
	if query != "" {
		path += "?" + query
	}
	r := s.Do(t, http.MethodGet, path, token, nil)
	WantStatus(t, r, http.StatusOK)
	var p Page
	Decode(t, r, &p)
	if p.Results == nil {
		t.Fatalf("GET %s: results missing or null: %s", path, r.Body)
	}
	out := make([]T, len(p.Results))
	for i, raw := range p.Results {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatalf("GET %s: result %d: %v", path, i, err)
		}
	}
	return p, out
}

// Fetch GETs path, expects 200 and decodes the body as T.
func Fetch[T any](t testing.TB, s *API, token, path string) T {
	t.Helper()
	r := s.Do(t, http.MethodGet, path, token, nil)
	WantStatus(t, r, http.StatusOK)
	var v T
	Decode(t, r, &v)
	return v
}

// Stamp parses an RFC 3339 timestamp of the API, which must be in UTC ("Z").
func Stamp(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		t.Fatalf("timestamp %q is not RFC 3339 UTC: %v", s, err)
	}
	return ts
}

// WantStatus fails the test now unless the response has the status.
func WantStatus(t testing.TB, r *Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", r.Method, r.Path, r.Status, status, r.Body)
	}
}

// Decode fails the test unless the body is JSON that fits v.
func Decode(t testing.TB, r *Response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: decode %T: %v; body: %s", r.Method, r.Path, v, err, r.Body)
	}
}

// Object decodes a JSON object body into a map, keeping numbers exact.
func Object(t testing.TB, r *Response) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		t.Fatalf("%s %s: body is not a JSON object (%v): %s", r.Method, r.Path, err, r.Body)
	}
	return m
}

// WantError fails the test now unless the response is the error Envelope with this status, type
// and code, with a non-empty message and request id; it returns the Envelope.
func WantError(t testing.TB, r *Response, status int, typ, code string) Envelope {
	t.Helper()
	WantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: error Content-Type %q, want application/json", r.Method, r.Path, ct)
	}
	var env Envelope
	Decode(t, r, &env)
	e := env.Error
	if e.Type != typ || e.Code != code {
		t.Fatalf("%s %s: error type/code %s/%s, want %s/%s; body: %s", r.Method, r.Path, e.Type, e.Code, typ, code, r.Body)
	}
	if e.Message == "" || e.RequestID == "" || e.Details == nil {
		t.Errorf("%s %s: Envelope lacks message, request_id or details: %s", r.Method, r.Path, r.Body)
	}
	return env
}

// WantValidation asserts a 400 ValidationError whose details hold exactly these messages for
// these fields (other fields may carry messages too; see wantOnlyFields).
func WantValidation(t testing.TB, r *Response, want map[string][]string) Envelope {
	t.Helper()
	env := WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR")
	if env.Error.Message != "Validation failed" {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, "Validation failed")
	}
	WantDetails(t, r, env, want)
	return env
}

// WantOnly asserts a 400 ValidationError with exactly these messages on exactly these fields.
func WantOnly(t testing.TB, r *Response, want map[string][]string) {
	t.Helper()
	env := WantValidation(t, r, want)
	fields := make([]string, 0, len(want))
	for f := range want {
		fields = append(fields, f)
	}
	WantOnlyFields(t, r, env, fields...)
}

// WantDetails asserts the Envelope's messages for each field of want, exactly and in order.
func WantDetails(t testing.TB, r *Response, env Envelope, want map[string][]string) {
	t.Helper()
	for field, msgs := range want {
		if got := env.Error.Details[field]; !slices.Equal(got, msgs) {
			t.Errorf("%s %s: details[%q] = %q, want %q; body: %s", r.Method, r.Path, field, got, msgs, r.Body)
		}
	}
}

// WantFields asserts that the Envelope has messages on each of these fields, whatever they say.
func WantFields(t testing.TB, r *Response, env Envelope, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if len(env.Error.Details[f]) == 0 {
			t.Errorf("%s %s: no message on %q; body: %s", r.Method, r.Path, f, r.Body)
		}
	}
}

// WantOnlyFields asserts that the Envelope's details name exactly these fields.
func WantOnlyFields(t testing.TB, r *Response, env Envelope, fields ...string) {
	t.Helper()
	got := make([]string, 0, len(env.Error.Details))
	for f := range env.Error.Details {
		got = append(got, f)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(fields))
	if !slices.Equal(got, want) {
		t.Errorf("%s %s: details name %q, want %q; body: %s", r.Method, r.Path, got, want, r.Body)
	}
}

// WantForbidden asserts SPEC §2's 403 with the permission message.
func WantForbidden(t testing.TB, r *Response) {
	t.Helper()
	env := WantError(t, r, http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	if env.Error.Message != "You do not have permission to perform this action." {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, "You do not have permission to perform this action.")
	}
}

// WantNotFound asserts SPEC §2's 404 with the not-found message.
func WantNotFound(t testing.TB, r *Response) {
	t.Helper()
	env := WantError(t, r, http.StatusNotFound, "NotFound", "NOT_FOUND")
	if env.Error.Message != "Not found." {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, "Not found.")
	}
}

// WantConflict asserts SPEC §2's 409 with this message.
func WantConflict(t testing.TB, r *Response, message string) {
	t.Helper()
	env := WantError(t, r, http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != message {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, message)
	}
}

// WantStatusOrForbidden checks a permission-matrix cell: 403 with the Envelope, or the status.
func WantStatusOrForbidden(t testing.TB, r *Response, status int) {
	t.Helper()
	if status == http.StatusForbidden {
		WantForbidden(t, r)
		return
	}
	WantStatus(t, r, status)
}

// RegisterFirm registers a new firm and returns it with its owner signed in.
func (s *API) RegisterFirm(t testing.TB) *Firm {
	t.Helper()
	n := nextSeq()
	name := fmt.Sprintf("Firm %d", n)
	username := fmt.Sprintf("owner%d", n)
	body := map[string]string{
		"firm_name": name, "username": username, "email": username + "@firm.example",
		"password": Password, "first_name": "Olive", "last_name": fmt.Sprintf("Owner%d", n),
	}
	r := s.Do(t, http.MethodPost, "/api/auth/register/", "", body)
	WantStatus(t, r, http.StatusCreated)
	var out struct {
		Access string `json:"access"`
		User   struct {
			ID string `json:"id"`
		} `json:"user"`
		Firm struct {
			ID string `json:"id"`
		} `json:"firm"`
	}
	Decode(t, r, &out)
	if out.Access == "" || out.User.ID == "" || out.Firm.ID == "" {
		t.Fatalf("register: incomplete answer: %s", r.Body)
	}
	return &Firm{API: s, ID: out.Firm.ID, Name: name, Owner: User{
		ID: out.User.ID, Username: username, Email: body["email"], Name: body["first_name"] + " " + body["last_name"],
		Role: "owner", Token: out.Access,
	}}
}

// AddUser adds a user with the role (by the firm's owner) and signs them in.
func (f *Firm) AddUser(t testing.TB, role string) User {
	t.Helper()
	n := nextSeq()
	u := User{Username: fmt.Sprintf("%s%d", role, n), Role: role}
	u.Email = u.Username + "@firm.example"
	first, last := strings.ToUpper(role[:1])+role[1:], fmt.Sprintf("Person%d", n)
	u.Name = first + " " + last
	r := f.API.Do(t, http.MethodPost, "/api/firm/users/", f.Owner.Token, map[string]string{
		"username": u.Username, "email": u.Email, "password": Password,
		"first_name": first, "last_name": last, "role": role,
	})
	WantStatus(t, r, http.StatusCreated)
	var out struct {
		ID   string `json:"id"`
		Role string `json:"role"`
	}
	Decode(t, r, &out)
	if out.ID == "" || out.Role != role {
		t.Fatalf("add %s: unexpected answer: %s", role, r.Body)
	}
	u.ID = out.ID
	u.Token = f.API.Login(t, u.Username, Password)
	return u
}

// Login signs a user in and returns the access token.
func (s *API) Login(t testing.TB, username, password string) string {
	t.Helper()
	r := s.Do(t, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": username, "password": password})
	WantStatus(t, r, http.StatusOK)
	var out struct {
		Access string `json:"access"`
	}
	Decode(t, r, &out)
	if out.Access == "" {
		t.Fatalf("login %s: no access token: %s", username, r.Body)
	}
	return out.Access
}

// Deactivate deactivates a user of the firm (by its owner).
func (f *Firm) Deactivate(t testing.TB, u User) {
	t.Helper()
	WantStatus(t, f.API.Do(t, http.MethodDelete, "/api/firm/users/"+u.ID+"/", f.Owner.Token, nil), http.StatusNoContent)
}

// Settings changes the firm's settings (PATCH /api/firm/) by its owner, e.g. "timezone" or
// "default_currency"; they apply to the next request of every user.
func (f *Firm) Settings(t testing.TB, body map[string]any) {
	t.Helper()
	WantStatus(t, f.API.Do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, body), http.StatusOK)
}

// Roles returns one signed-in user of each role: the owner and new users for the others.
func (f *Firm) Roles(t testing.TB) map[string]User {
	t.Helper()
	users := map[string]User{"owner": f.Owner}
	for _, role := range []string{"admin", "manager", "consultant", "accountant"} {
		users[role] = f.AddUser(t, role)
	}
	return users
}
