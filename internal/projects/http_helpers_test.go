package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
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
const testPassword = testkit.Password

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

// apiServer is a whole server (testkit.API) with this module's helpers as methods.
type apiServer struct{ *testkit.API }

// The shapes of testkit's HTTP helpers, under the short names the suites use.
type (
	user     = testkit.User
	firm     = testkit.Firm
	response = testkit.Response
	page     = testkit.Page
)

// startServer starts a server on the wall clock; it stops at cleanup.
func startServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{})}
}

// startServerAt starts a server whose clock is frozen at now (s.Clock moves it).
func startServerAt(t testing.TB, now time.Time) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{FrozenAt: now})}
}

// startCountingServer starts a server whose database statements are counted (s.Queries).
func startCountingServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{Count: true})}
}

// deref shows an optional string for comparisons and messages ("<nil>" when absent).
func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

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
	r := s.Do(t, http.MethodPost, clientsPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var c crmClient
	testkit.Decode(t, r, &c)
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
	r := s.Do(t, http.MethodPost, contractsPath, token, map[string]any{
		"client": clientID, "title": "Engagement", "description": "Advice", "total_value": "48000.00",
		"start_date": "2026-01-01", "end_date": "2026-12-31",
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	var k crmContract
	testkit.Decode(t, r, &k)
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
	r := s.Do(t, http.MethodPost, projectsPath, token, projectBody(clientID, fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var p project
	testkit.Decode(t, r, &p)
	if p.ID == "" {
		t.Fatalf("create project: no id: %s", r.Body)
	}
	return p
}

// getProject fetches a project as the token's user.
func (s *apiServer) getProject(t testing.TB, token, id string) project {
	t.Helper()
	return testkit.Fetch[project](t, s.API, token, projectPath(id))
}

// listProjects lists projects with the query string (without "?").
func (s *apiServer) listProjects(t testing.TB, token, query string) (page, []project) {
	t.Helper()
	return testkit.ListOf[project](t, s.API, token, projectsPath, query)
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
	r := s.Do(t, http.MethodPost, tasksPath, token, taskBody(projectID, fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var tk task
	testkit.Decode(t, r, &tk)
	if tk.ID == "" {
		t.Fatalf("create task: no id: %s", r.Body)
	}
	return tk
}

// getTask fetches a task as the token's user.
func (s *apiServer) getTask(t testing.TB, token, id string) task {
	t.Helper()
	return testkit.Fetch[task](t, s.API, token, taskPath(id))
}

// listTasks lists tasks with the query string (without "?").
func (s *apiServer) listTasks(t testing.TB, token, query string) (page, []task) {
	t.Helper()
	return testkit.ListOf[task](t, s.API, token, tasksPath, query)
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
	// Named for its firm, so the firm's cached lists see it at once.
	if _, err := s.DB().W.NewInsert().Model(te).Exec(db.WithFirm(context.Background(), firmID)); err != nil {
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
