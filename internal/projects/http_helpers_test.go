package projects_test

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
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// HTTP test helpers of the projects module, shared by the project, task and time-entry suites:
// servers (wall clock, frozen clock, query counting), firms and users of each role, clients,
// contracts, projects and tasks created through the API, time entries seeded in SQL, and
// request / decode / envelope assertions.

// The exact strings of SPEC §2 and §5, spelled out here rather than taken from the packages'
// constants, so that a change of wording breaks a test instead of passing silently.
const (
	msgValidation     = "Validation failed"
	msgRequired       = "This field is required."
	msgUnknownField   = "Unknown field."
	msgTwoDecimals    = "Ensure that there are no more than 2 decimal places."
	msgNoDecimals     = "Ensure that there are no decimal places."
	msgInvalidNumber  = "A valid number is required."
	msgForbidden      = "You do not have permission to perform this action."
	msgNotFound       = "Not found."
	msgInvalidPage    = "Invalid page."
	msgEndDate        = "End date must be after start date"
	msgContractClient = "Contract must belong to the same client as the project"
	msgCompletion     = "Completion date cannot be before start date"
	msgBudget         = "Budget must be greater than 0"
	msgHourlyRate     = "Hourly rate must be greater than 0"
	msgEstimatedHours = "Estimated hours must be greater than 0"
	msgClientUnknown  = "Select a valid client."
)

// Error types and codes of SPEC §2's table.
const (
	typeValidation = "ValidationError"
	typeParse      = "ParseError"
	typePermission = "PermissionDenied"
	typeNotFound   = "NotFound"
	typeNotAuth    = "NotAuthenticated"
	typeConflict   = "Conflict"
	codeValidation = "VALIDATION_ERROR"
	codeBadRequest = "BAD_REQUEST"
	codeForbidden  = "FORBIDDEN"
	codeNotFound   = "NOT_FOUND"
	codeUnauth     = "UNAUTHORIZED"
	codeConflict   = "CONFLICT"
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

// allRoles lists the roles in SPEC §1's order.
var allRoles = []string{roleOwner, roleAdmin, roleManager, roleConsultant, roleAccountant}

// seq makes usernames, emails and names unique across the parallel tests of the package.
var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// clock is a settable clock for a frozen-time server: "today" and every stamp come from it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// apiServer is a running ConsultantPro server on a fresh database.
type apiServer struct {
	srv     *testkit.Server
	clock   *clock                // nil on the wall clock
	queries *testkit.QueryCounter // nil unless counting
}

// serverOptions choose how a test server is built.
type serverOptions struct {
	frozenAt time.Time // freeze the clock here (zero: the wall clock)
	count    bool      // count the statements the database runs
}

// startServer starts a server on the wall clock; it stops at cleanup.
func startServer(t testing.TB) *apiServer {
	t.Helper()
	return newServer(t, serverOptions{})
}

// startServerAt starts a server whose clock is frozen at now (s.clock moves it).
func startServerAt(t testing.TB, now time.Time) *apiServer {
	t.Helper()
	return newServer(t, serverOptions{frozenAt: now})
}

// startCountingServer starts a server whose database statements are counted (s.queries).
func startCountingServer(t testing.TB) *apiServer {
	t.Helper()
	return newServer(t, serverOptions{count: true})
}

// newServer assembles the app as testkit.StartServer does, with the options applied: the
// counter is attached before the server takes requests, as bun requires.
func newServer(t testing.TB, o serverOptions) *apiServer {
	t.Helper()
	s := &apiServer{}
	opts := []app.Option{app.WithFastPasswords()}
	if !o.frozenAt.IsZero() {
		s.clock = &clock{now: o.frozenAt}
		opts = append(opts, app.WithClock(s.clock.Now))
	}
	a, err := app.New(context.Background(), testkit.Config(t), logging.Discard(), "test", opts...)
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	if o.count {
		s.queries = testkit.CountQueries(a.DB)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		hs.Close()
		a.Close()
	})
	s.srv = &testkit.Server{Server: hs, App: a}
	return s
}

// DB is the server's database, for seeding rows the API cannot make (yet).
func (s *apiServer) DB() *db.DB { return s.srv.App.DB }

// user is a signed-in user of a firm.
type user struct {
	ID       string
	Username string
	Email    string
	Name     string // display name: "First Last"
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
	// Redirects are not followed: SPEC §2 serves every path form directly.
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

// fetch GETs path, expects 200 and decodes the body as T.
func fetch[T any](t testing.TB, s *apiServer, token, path string) T {
	t.Helper()
	r := s.do(t, http.MethodGet, path, token, nil)
	wantStatus(t, r, http.StatusOK)
	var v T
	decode(t, r, &v)
	return v
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

func ptr[T any](v T) *T { return &v }

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

// wantOnly asserts a 400 ValidationError with exactly these messages on exactly these fields.
func wantOnly(t testing.TB, r *response, want map[string][]string) {
	t.Helper()
	env := wantValidation(t, r, want)
	fields := make([]string, 0, len(want))
	for f := range want {
		fields = append(fields, f)
	}
	wantOnlyFields(t, r, env, fields...)
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

// wantConflict asserts SPEC §2's 409 with this message.
func wantConflict(t testing.TB, r *response, message string) {
	t.Helper()
	env := wantError(t, r, http.StatusConflict, typeConflict, codeConflict)
	if env.Error.Message != message {
		t.Errorf("%s %s: message %q, want %q", r.Method, r.Path, env.Error.Message, message)
	}
}

// wantStatusOrForbidden checks a permission-matrix cell: 403 with the envelope, or the status.
func wantStatusOrForbidden(t testing.TB, r *response, status int) {
	t.Helper()
	if status == http.StatusForbidden {
		wantForbidden(t, r)
		return
	}
	wantStatus(t, r, status)
}

// registerFirm registers a new firm and returns it with its owner signed in.
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

// settings changes the firm's settings (PATCH /api/firm/) by its owner, e.g. "timezone" or
// "default_currency"; they apply to the next request of every user.
func (f *firm) settings(t testing.TB, body map[string]any) {
	t.Helper()
	wantStatus(t, f.s.do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, body), http.StatusOK)
}

// roles returns one signed-in user of each role: the owner and new users for the others.
func (f *firm) roles(t testing.TB) map[string]user {
	t.Helper()
	users := map[string]user{roleOwner: f.Owner}
	for _, role := range allRoles[1:] {
		users[role] = f.addUser(t, role)
	}
	return users
}

// Paths (the Phase 1 aliases of SPEC §2).
const (
	clientsPath   = "/api/crm/clients/"
	contractsPath = "/api/crm/contracts/"
	projectsPath  = "/api/projects/projects/"
	tasksPath     = "/api/projects/tasks/"
)

func projectPath(id string) string { return projectsPath + id + "/" }

func taskPath(id string) string { return tasksPath + id + "/" }

// crmClient is the part of a CRM client these suites need.
type crmClient struct {
	ID          string `json:"id"`
	CompanyName string `json:"company_name"`
}

// createClient creates a CRM client (through POST /api/crm/clients/) as the token's user; fields
// change the default body (a nil value removes the field).
func (s *apiServer) createClient(t testing.TB, token string, fields map[string]any) crmClient {
	t.Helper()
	n := nextSeq()
	body := withFields(map[string]any{
		"company_name":          fmt.Sprintf("Client %d Ltd", n),
		"primary_contact_name":  "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n),
	}, fields)
	r := s.do(t, http.MethodPost, clientsPath, token, body)
	wantStatus(t, r, http.StatusCreated)
	var c crmClient
	decode(t, r, &c)
	if c.ID == "" {
		t.Fatalf("create client: no id: %s", r.Body)
	}
	return c
}

// crmContract is the part of a CRM contract these suites need.
type crmContract struct {
	ID             string `json:"id"`
	Client         string `json:"client"`
	ContractNumber string `json:"contract_number"`
}

// createContract creates a draft contract of the client (through POST /api/crm/contracts/).
func (s *apiServer) createContract(t testing.TB, token, clientID string) crmContract {
	t.Helper()
	r := s.do(t, http.MethodPost, contractsPath, token, map[string]any{
		"client": clientID, "title": "Engagement", "description": "Advice", "total_value": "48000.00",
		"start_date": "2026-01-01", "end_date": "2026-12-31",
	})
	wantStatus(t, r, http.StatusCreated)
	var k crmContract
	decode(t, r, &k)
	if k.ID == "" || k.ContractNumber == "" {
		t.Fatalf("create contract: incomplete answer: %s", r.Body)
	}
	return k
}

// project is a project as the API shows it. Money and hours are decoded as strings, so a number
// in their place fails the decoding; timestamps stay text so they compare exactly.
type project struct {
	ID                   string  `json:"id"`
	Client               string  `json:"client"`
	ClientName           *string `json:"client_name"`
	Contract             *string `json:"contract"`
	ContractNumber       *string `json:"contract_number"`
	ProjectManager       *string `json:"project_manager"`
	ProjectManagerName   *string `json:"project_manager_name"`
	ProjectCode          string  `json:"project_code"`
	Name                 string  `json:"name"`
	Description          string  `json:"description"`
	Status               string  `json:"status"`
	BillingType          string  `json:"billing_type"`
	Budget               *string `json:"budget"`
	HourlyRate           *string `json:"hourly_rate"`
	Currency             string  `json:"currency"`
	StartDate            string  `json:"start_date"`
	EndDate              string  `json:"end_date"`
	ActualCompletionDate *string `json:"actual_completion_date"`
	Notes                string  `json:"notes"`
	CreatedBy            *string `json:"created_by"`
	CreatedAt            string  `json:"created_at"`
	UpdatedAt            string  `json:"updated_at"`
	TotalHoursLogged     string  `json:"total_hours_logged"`
	BillableHours        string  `json:"billable_hours"`
	TotalBilledAmount    string  `json:"total_billed_amount"`
	UnbilledAmount       string  `json:"unbilled_amount"`
	BudgetUsedPercent    *string `json:"budget_used_percent"`
}

// projectBody returns a valid create body for the client with a unique name, changed by fields
// (a nil value removes the field).
func projectBody(clientID string, fields map[string]any) map[string]any {
	return withFields(map[string]any{
		"client": clientID, "name": fmt.Sprintf("Project %d", nextSeq()),
		"start_date": "2026-01-01", "end_date": "2026-12-31",
	}, fields)
}

// createProject creates a project of the client as the token's user from projectBody.
func (s *apiServer) createProject(t testing.TB, token, clientID string, fields map[string]any) project {
	t.Helper()
	r := s.do(t, http.MethodPost, projectsPath, token, projectBody(clientID, fields))
	wantStatus(t, r, http.StatusCreated)
	var p project
	decode(t, r, &p)
	if p.ID == "" {
		t.Fatalf("create project: no id: %s", r.Body)
	}
	return p
}

// getProject fetches a project as the token's user.
func (s *apiServer) getProject(t testing.TB, token, id string) project {
	t.Helper()
	return fetch[project](t, s, token, projectPath(id))
}

// listProjects lists projects with the query string (without "?").
func (s *apiServer) listProjects(t testing.TB, token, query string) (page, []project) {
	t.Helper()
	return listOf[project](t, s, token, projectsPath, query)
}

// task is a task as the API shows it.
type task struct {
	ID             string  `json:"id"`
	Project        string  `json:"project"`
	ProjectName    *string `json:"project_name"`
	AssignedTo     *string `json:"assigned_to"`
	AssignedToName *string `json:"assigned_to_name"`
	Title          string  `json:"title"`
	Description    string  `json:"description"`
	Status         string  `json:"status"`
	Priority       string  `json:"priority"`
	Position       int64   `json:"position"`
	EstimatedHours *string `json:"estimated_hours"`
	DueDate        *string `json:"due_date"`
	CompletedAt    *string `json:"completed_at"`
	CreatedBy      *string `json:"created_by"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
	HoursLogged    string  `json:"hours_logged"`
}

// taskBody returns a valid create body for the project with a unique title, changed by fields.
func taskBody(projectID string, fields map[string]any) map[string]any {
	return withFields(map[string]any{"project": projectID, "title": fmt.Sprintf("Task %d", nextSeq())}, fields)
}

// createTask creates a task in the project as the token's user from taskBody.
func (s *apiServer) createTask(t testing.TB, token, projectID string, fields map[string]any) task {
	t.Helper()
	r := s.do(t, http.MethodPost, tasksPath, token, taskBody(projectID, fields))
	wantStatus(t, r, http.StatusCreated)
	var tk task
	decode(t, r, &tk)
	if tk.ID == "" {
		t.Fatalf("create task: no id: %s", r.Body)
	}
	return tk
}

// getTask fetches a task as the token's user.
func (s *apiServer) getTask(t testing.TB, token, id string) task {
	t.Helper()
	return fetch[task](t, s, token, taskPath(id))
}

// listTasks lists tasks with the query string (without "?").
func (s *apiServer) listTasks(t testing.TB, token, query string) (page, []task) {
	t.Helper()
	return listOf[task](t, s, token, tasksPath, query)
}

// seedEntry describes a time entry written straight to the database (bypassing the API's rules),
// e.g. to give projects totals or to mark an entry invoiced.
type seedEntry struct {
	Project  string
	Task     string // optional
	User     string
	Date     string // YYYY-MM-DD; 2026-01-15 when empty
	Hours    string // "1.50"
	Rate     string // hourly rate in USD, "100.00"
	Billable bool
	Invoiced bool
}

// seedTimeEntry inserts a time entry of the firm directly; billed_amount is hours × rate (0
// when not billable). It returns the entry's id.
func (s *apiServer) seedTimeEntry(t testing.TB, firmID string, e seedEntry) string {
	t.Helper()
	usd, _ := money.LookupCurrency("USD")
	hours, err := money.ParseHours(e.Hours)
	if err != nil {
		t.Fatalf("seed entry hours %q: %v", e.Hours, err)
	}
	rate, err := money.Parse(e.Rate, usd)
	if err != nil {
		t.Fatalf("seed entry rate %q: %v", e.Rate, err)
	}
	var billed money.Amount
	if e.Billable {
		if billed, err = money.BilledAmount(hours, rate); err != nil {
			t.Fatalf("seed entry billed amount: %v", err)
		}
	}
	day := date.Date(e.Date)
	if day == "" {
		day = "2026-01-15"
	}
	now := db.Stamp(time.Now())
	te := &projects.TimeEntry{ID: db.NewID(), FirmID: firmID, ProjectID: e.Project, UserID: e.User, Date: day,
		Hours: hours, Description: "seeded", IsBillable: e.Billable, HourlyRate: rate, Currency: usd.Code,
		BilledAmount: billed, Invoiced: e.Invoiced, CreatedAt: now, UpdatedAt: now}
	if e.Task != "" {
		te.TaskID = &e.Task
	}
	if _, err := s.DB().W.NewInsert().Model(te).Exec(context.Background()); err != nil {
		t.Fatalf("seed time entry: %v", err)
	}
	return te.ID
}

// withFields returns body changed by fields: a nil value removes the field.
func withFields(body, fields map[string]any) map[string]any {
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}
