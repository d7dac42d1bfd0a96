package crm_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The exact strings of SPEC §2 and §4, spelled out here rather than taken from the packages'
// constants, so that a change of wording breaks a test instead of passing silently.
const (
	msgValidation   = "Validation failed"
	msgRequired     = "This field is required."
	msgUnknownField = "Unknown field."
	msgEmail        = "Invalid email format"
	msgPhone        = "Phone number must be 10-15 digits, optionally starting with +"
	msgWebsite      = "Website must start with http:// or https://"
	msgPositive     = "Must be a positive value"
	msgCompanyTaken = "A client with this company name already exists."
	msgOwnerUnknown = "Select a user of your firm."
	msgNoDecimals   = "Ensure that there are no decimal places."
	msgTwoDecimals  = "Ensure that there are no more than 2 decimal places."
	msgForbidden    = "You do not have permission to perform this action."
	msgNotFound     = "Not found."
	msgInvalidPage  = "Invalid page."
)

// Error types and codes of SPEC §2's table.
const (
	typeValidation = "ValidationError"
	typeParse      = "ParseError"
	typePermission = "PermissionDenied"
	typeNotFound   = "NotFound"
	typeNotAuth    = "NotAuthenticated"
	codeValidation = "VALIDATION_ERROR"
	codeBadRequest = "BAD_REQUEST"
	codeForbidden  = "FORBIDDEN"
	codeNotFound   = "NOT_FOUND"
	codeUnauth     = "UNAUTHORIZED"
)

// testPassword passes every password rule for the accounts these tests make.
const testPassword = "correct horse battery staple 42"

// Roles of SPEC §1.
const (
	roleOwner      = "owner"
	roleAdmin      = "admin"
	roleManager    = "manager"
	roleConsultant = "consultant"
	roleAccountant = "accountant"
)

// seq makes usernames, emails and firm names unique across the parallel tests of the package.
var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// apiServer is a running ConsultantPro server on a fresh database.
type apiServer struct {
	t   testing.TB
	srv *testkit.Server
}

// startServer starts a server for the test; it stops at cleanup.
func startServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{t: t, srv: testkit.StartServer(t, nil, nil)}
}

// user is a signed-in user of a firm.
type user struct {
	ID       string
	Username string
	Email    string
	Name     string // display name: "first last"
	Role     string
	Token    string
}

// firm is a registered firm and its owner.
type firm struct {
	s     *apiServer
	ID    string
	Name  string
	Owner user
}

// response is a finished HTTP exchange.
type response struct {
	Method string
	Path   string
	Status int
	Header http.Header
	Body   []byte
}

func (r *response) String() string {
	return fmt.Sprintf("%s %s → %d %s", r.Method, r.Path, r.Status, r.Body)
}

// envelope is SPEC §2's error body.
type envelope struct {
	Error struct {
		Type      string              `json:"type"`
		Message   string              `json:"message"`
		Details   map[string][]string `json:"details"`
		Code      string              `json:"code"`
		RequestID string              `json:"request_id"`
	} `json:"error"`
}

// page is SPEC §2's list body, with the results left raw for the caller to decode.
type page struct {
	Count    int64             `json:"count"`
	Next     *string           `json:"next"`
	Previous *string           `json:"previous"`
	Results  []json.RawMessage `json:"results"`
}

// do sends a request with an optional bearer token. body may be nil, a string or []byte sent as
// is, or any other value encoded as JSON.
func (s *apiServer) do(t testing.TB, method, path, token string, body any) *response {
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
	req, err := http.NewRequest(method, s.srv.URL+path, rdr)
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
	// Redirects are not followed: SPEC §2 serves every path form directly, so a redirect is an
	// answer to assert on, not to hide.
	hc := *s.srv.Client()
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
	return &response{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}
}

// listOf GETs a list at path with the query string (without "?"), expects 200 and returns the
// page and its results decoded as T.
func listOf[T any](t testing.TB, s *apiServer, token, path, query string) (page, []T) {
	t.Helper()
	if query != "" {
		path += "?" + query
	}
	r := s.do(t, http.MethodGet, path, token, nil)
	wantStatus(t, r, http.StatusOK)
	var p page
	decode(t, r, &p)
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

// stamp parses an RFC 3339 timestamp of the API, which must be in UTC ("Z").
func stamp(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		t.Fatalf("timestamp %q is not RFC 3339 UTC: %v", s, err)
	}
	return ts
}

// deref shows an optional string for comparisons and messages ("<nil>" when absent).
func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// derefInt returns an optional integer's value, or nil.
func derefInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// wantStatus fails the test now unless the response has the status.
func wantStatus(t testing.TB, r *response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", r.Method, r.Path, r.Status, status, r.Body)
	}
}

// decode fails the test unless the body is JSON that fits v.
func decode(t testing.TB, r *response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: decode %T: %v; body: %s", r.Method, r.Path, v, err, r.Body)
	}
}

// object decodes a JSON object body into a map, keeping numbers exact.
func object(t testing.TB, r *response) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		t.Fatalf("%s %s: body is not a JSON object (%v): %s", r.Method, r.Path, err, r.Body)
	}
	return m
}

// wantError fails the test now unless the response is the error envelope with this status, type
// and code, with a non-empty message and request id; it returns the envelope.
func wantError(t testing.TB, r *response, status int, typ, code string) envelope {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: error Content-Type %q, want application/json", r.Method, r.Path, ct)
	}
	var env envelope
	decode(t, r, &env)
	e := env.Error
	if e.Type != typ || e.Code != code {
		t.Fatalf("%s %s: error type/code %s/%s, want %s/%s; body: %s", r.Method, r.Path, e.Type, e.Code, typ, code, r.Body)
	}
	if e.Message == "" || e.RequestID == "" || e.Details == nil {
		t.Errorf("%s %s: envelope lacks message, request_id or details: %s", r.Method, r.Path, r.Body)
	}
	return env
}

// wantValidation asserts a 400 ValidationError whose details hold exactly these messages for
// these fields (other fields may carry messages too; see wantOnlyFields).
func wantValidation(t testing.TB, r *response, want map[string][]string) envelope {
	t.Helper()
	env := wantError(t, r, http.StatusBadRequest, typeValidation, codeValidation)
	if env.Error.Message != msgValidation {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, msgValidation)
	}
	wantDetails(t, r, env, want)
	return env
}

// wantDetails asserts the envelope's messages for each field of want, exactly and in order.
func wantDetails(t testing.TB, r *response, env envelope, want map[string][]string) {
	t.Helper()
	for field, msgs := range want {
		if got := env.Error.Details[field]; !slices.Equal(got, msgs) {
			t.Errorf("%s %s: details[%q] = %q, want %q; body: %s", r.Method, r.Path, field, got, msgs, r.Body)
		}
	}
}

// wantFields asserts that the envelope has messages on each of these fields, whatever they say.
func wantFields(t testing.TB, r *response, env envelope, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if len(env.Error.Details[f]) == 0 {
			t.Errorf("%s %s: no message on %q; body: %s", r.Method, r.Path, f, r.Body)
		}
	}
}

// wantOnlyFields asserts that the envelope's details name exactly these fields.
func wantOnlyFields(t testing.TB, r *response, env envelope, fields ...string) {
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

// wantForbidden asserts SPEC §2's 403 with the permission message.
func wantForbidden(t testing.TB, r *response) {
	t.Helper()
	env := wantError(t, r, http.StatusForbidden, typePermission, codeForbidden)
	if env.Error.Message != msgForbidden {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, msgForbidden)
	}
}

// wantNotFound asserts SPEC §2's 404 with the not-found message.
func wantNotFound(t testing.TB, r *response) {
	t.Helper()
	env := wantError(t, r, http.StatusNotFound, typeNotFound, codeNotFound)
	if env.Error.Message != msgNotFound {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, msgNotFound)
	}
}

// registerFirm registers a new firm whose owner is named first/last, and returns it signed in.
func (s *apiServer) registerFirm(t testing.TB) *firm {
	t.Helper()
	n := nextSeq()
	name := fmt.Sprintf("Firm %d", n)
	username := fmt.Sprintf("owner%d", n)
	body := map[string]string{
		"firm_name": name, "username": username, "email": username + "@firm.example",
		"password": testPassword, "first_name": "Olive", "last_name": fmt.Sprintf("Owner%d", n),
	}
	r := s.do(t, http.MethodPost, "/api/auth/register/", "", body)
	wantStatus(t, r, http.StatusCreated)
	var out struct {
		Access string `json:"access"`
		User   struct {
			ID string `json:"id"`
		} `json:"user"`
		Firm struct {
			ID string `json:"id"`
		} `json:"firm"`
	}
	decode(t, r, &out)
	if out.Access == "" || out.User.ID == "" || out.Firm.ID == "" {
		t.Fatalf("register: incomplete answer: %s", r.Body)
	}
	return &firm{s: s, ID: out.Firm.ID, Name: name, Owner: user{
		ID: out.User.ID, Username: username, Email: body["email"], Name: body["first_name"] + " " + body["last_name"],
		Role: roleOwner, Token: out.Access,
	}}
}

// addUser adds a user with the role (by the firm's owner) and signs them in.
func (f *firm) addUser(t testing.TB, role string) user {
	t.Helper()
	n := nextSeq()
	u := user{Username: fmt.Sprintf("%s%d", role, n), Role: role}
	u.Email = u.Username + "@firm.example"
	first, last := strings.ToUpper(role[:1])+role[1:], fmt.Sprintf("Person%d", n)
	u.Name = first + " " + last
	r := f.s.do(t, http.MethodPost, "/api/firm/users/", f.Owner.Token, map[string]string{
		"username": u.Username, "email": u.Email, "password": testPassword,
		"first_name": first, "last_name": last, "role": role,
	})
	wantStatus(t, r, http.StatusCreated)
	var out struct {
		ID   string `json:"id"`
		Role string `json:"role"`
	}
	decode(t, r, &out)
	if out.ID == "" || out.Role != role {
		t.Fatalf("add %s: unexpected answer: %s", role, r.Body)
	}
	u.ID = out.ID
	u.Token = f.s.login(t, u.Username, testPassword)
	return u
}

// login signs a user in and returns the access token.
func (s *apiServer) login(t testing.TB, username, password string) string {
	t.Helper()
	r := s.do(t, http.MethodPost, "/api/auth/login/", "", map[string]string{"username": username, "password": password})
	wantStatus(t, r, http.StatusOK)
	var out struct {
		Access string `json:"access"`
	}
	decode(t, r, &out)
	if out.Access == "" {
		t.Fatalf("login %s: no access token: %s", username, r.Body)
	}
	return out.Access
}

// deactivate deactivates a user of the firm (by its owner).
func (f *firm) deactivate(t testing.TB, u user) {
	t.Helper()
	wantStatus(t, f.s.do(t, http.MethodDelete, "/api/firm/users/"+u.ID+"/", f.Owner.Token, nil), http.StatusNoContent)
}

// settings changes the firm's settings (PATCH /api/firm/) by its owner.
func (f *firm) settings(t testing.TB, body map[string]any) {
	t.Helper()
	wantStatus(t, f.s.do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, body), http.StatusOK)
}

// roles returns one signed-in user of each role: the owner and new users for the others.
func (f *firm) roles(t testing.TB) map[string]user {
	t.Helper()
	users := map[string]user{roleOwner: f.Owner}
	for _, role := range []string{roleAdmin, roleManager, roleConsultant, roleAccountant} {
		users[role] = f.addUser(t, role)
	}
	return users
}

// clientsPath is the Phase 1 alias of the clients collection (SPEC §2).
const clientsPath = "/api/crm/clients/"

// clientPath is one client's path under the alias.
func clientPath(id string) string { return clientsPath + id + "/" }

// client is a client as the API shows it. Money is decoded as a string, so a number in its
// place fails the decoding; timestamps stay text so they compare exactly.
type client struct {
	ID                  string  `json:"id"`
	CompanyName         string  `json:"company_name"`
	Industry            string  `json:"industry"`
	Status              string  `json:"status"`
	PrimaryContactName  string  `json:"primary_contact_name"`
	PrimaryContactEmail string  `json:"primary_contact_email"`
	PrimaryContactPhone string  `json:"primary_contact_phone"`
	StreetAddress       string  `json:"street_address"`
	City                string  `json:"city"`
	State               string  `json:"state"`
	PostalCode          string  `json:"postal_code"`
	Country             string  `json:"country"`
	Website             string  `json:"website"`
	EmployeeCount       *int64  `json:"employee_count"`
	AnnualRevenue       *string `json:"annual_revenue"`
	Currency            string  `json:"currency"`
	Source              string  `json:"source"`
	Owner               *string `json:"owner"`
	OwnerName           *string `json:"owner_name"`
	Notes               string  `json:"notes"`
	CreatedAt           string  `json:"created_at"`
	UpdatedAt           string  `json:"updated_at"`
}

// clientBody returns a valid create body with a unique company name, changed by fields (a nil
// value removes the field).
func clientBody(fields map[string]any) map[string]any {
	n := nextSeq()
	body := map[string]any{
		"company_name":          fmt.Sprintf("Client %d Ltd", n),
		"primary_contact_name":  "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n),
	}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// createClient creates a client as the token's user from clientBody(fields) and returns it.
func (s *apiServer) createClient(t testing.TB, token string, fields map[string]any) client {
	t.Helper()
	r := s.do(t, http.MethodPost, clientsPath, token, clientBody(fields))
	wantStatus(t, r, http.StatusCreated)
	var c client
	decode(t, r, &c)
	if c.ID == "" {
		t.Fatalf("create client: no id: %s", r.Body)
	}
	return c
}

// getClient fetches a client as the token's user.
func (s *apiServer) getClient(t testing.TB, token, id string) client {
	t.Helper()
	r := s.do(t, http.MethodGet, clientPath(id), token, nil)
	wantStatus(t, r, http.StatusOK)
	var c client
	decode(t, r, &c)
	return c
}

// listClients lists clients with the query string (without "?") and returns the page and its
// clients.
func (s *apiServer) listClients(t testing.TB, token, query string) (page, []client) {
	t.Helper()
	return listOf[client](t, s, token, clientsPath, query)
}

// clientNames returns the company names of clients, in order.
func clientNames(cs []client) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.CompanyName
	}
	return names
}

func ptr[T any](v T) *T { return &v }
