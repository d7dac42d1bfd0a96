package projects

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// ProjectOut is a project as the API shows it.
type ProjectOut struct {
	ID                   string    `json:"id" format:"uuid"`
	Client               string    `json:"client" format:"uuid"`
	ClientName           *string   `json:"client_name" nullable:"true"`
	Contract             *string   `json:"contract" nullable:"true" format:"uuid"`
	ContractNumber       *string   `json:"contract_number" nullable:"true" example:"CTR-2026-001"`
	ProjectManager       *string   `json:"project_manager" nullable:"true" format:"uuid"`
	ProjectManagerName   *string   `json:"project_manager_name" nullable:"true"`
	ProjectCode          string    `json:"project_code" example:"PRJ-2026-001"`
	Name                 string    `json:"name"`
	Description          string    `json:"description"`
	Status               string    `json:"status" enum:"planning,in_progress,on_hold,completed,cancelled"`
	BillingType          string    `json:"billing_type" enum:"fixed_price,time_and_materials,retainer,non_billable"`
	Budget               *string   `json:"budget" nullable:"true" example:"50000.00" doc:"Money string in currency"`
	HourlyRate           *string   `json:"hourly_rate" nullable:"true" example:"150.00" doc:"Money string in currency"`
	Currency             string    `json:"currency" example:"USD"`
	StartDate            string    `json:"start_date" format:"date"`
	EndDate              string    `json:"end_date" format:"date"`
	ActualCompletionDate *string   `json:"actual_completion_date" nullable:"true" format:"date"`
	Notes                string    `json:"notes"`
	CreatedBy            *string   `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
	TotalHoursLogged     string    `json:"total_hours_logged" example:"12.50" doc:"Hours of every time entry"`
	BillableHours        string    `json:"billable_hours" example:"10.00" doc:"Hours of billable time entries"`
	TotalBilledAmount    string    `json:"total_billed_amount" example:"1500.00" doc:"Billed amount of billable time entries"`
	UnbilledAmount       string    `json:"unbilled_amount" example:"300.00" doc:"Billed amount of billable time entries not yet invoiced"`
	BudgetUsedPercent    *string   `json:"budget_used_percent" nullable:"true" example:"3.00" doc:"total_billed_amount / budget × 100, two decimals; null without a budget"`
}

func projectOut(v *ProjectView) ProjectOut {
	p := v.Project
	cur := currencyFor(p.Currency)
	out := ProjectOut{ID: p.ID, Client: p.ClientID, ClientName: v.ClientName, Contract: p.ContractID,
		ContractNumber: v.ContractNumber, ProjectManager: p.ProjectManagerID, ProjectManagerName: v.ProjectManagerName,
		ProjectCode: p.ProjectCode, Name: p.Name, Description: p.Description, Status: p.Status,
		BillingType: p.BillingType, Budget: amountOut(p.Budget, cur), HourlyRate: amountOut(p.HourlyRate, cur),
		Currency: p.Currency, StartDate: string(p.StartDate), EndDate: string(p.EndDate),
		ActualCompletionDate: dateOut(p.ActualCompletionDate), Notes: p.Notes, CreatedBy: p.CreatedBy,
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), TotalHoursLogged: v.TotalHoursLogged.String(),
		BillableHours: v.BillableHours.String(), TotalBilledAmount: money.Format(v.TotalBilledAmount, cur),
		UnbilledAmount: money.Format(v.UnbilledAmount, cur), BudgetUsedPercent: BudgetUsedPercent(v.TotalBilledAmount, p.Budget)}
	if p.ContractID == nil {
		out.ContractNumber = nil
	}
	if p.ProjectManagerID == nil {
		out.ProjectManagerName = nil
	}
	return out
}

// ProjectOptional are the project fields that may be left out, on every write. The read-only
// fields of ProjectOut are accepted and ignored, so a fetched project can be sent back with PUT.
type ProjectOptional struct {
	Contract             api.Nullable[string]      `json:"contract,omitempty" doc:"Contract id (a contract of the same client)"`
	ProjectManager       api.Nullable[string]      `json:"project_manager,omitempty" doc:"User id (an active user of your firm)"`
	ProjectCode          *string                   `json:"project_code,omitempty" maxLength:"50" doc:"Unique in the firm, ignoring case; PRJ-YYYY-NNN is assigned when omitted on create"`
	Description          *string                   `json:"description,omitempty"`
	Status               *string                   `json:"status,omitempty" enum:"planning,in_progress,on_hold,completed,cancelled" doc:"Defaults to planning; completed stamps actual_completion_date (the firm's today) when empty, leaving completed clears it"`
	BillingType          *string                   `json:"billing_type,omitempty" enum:"fixed_price,time_and_materials,retainer,non_billable" doc:"Defaults to time_and_materials"`
	Budget               api.Nullable[api.Decimal] `json:"budget,omitempty" doc:"Money in currency, greater than 0"`
	HourlyRate           api.Nullable[api.Decimal] `json:"hourly_rate,omitempty" doc:"Money in currency, greater than 0; the default rate of time entries"`
	Currency             *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency; fixed once time is logged"`
	ActualCompletionDate api.Nullable[string]      `json:"actual_completion_date,omitempty" example:"2026-06-30" doc:"Date, YYYY-MM-DD; not before start_date"`
	Notes                *string                   `json:"notes,omitempty"`
	ID                   any                       `json:"id,omitempty" readOnly:"true"`
	ClientName           any                       `json:"client_name,omitempty" readOnly:"true"`
	ContractNumber       any                       `json:"contract_number,omitempty" readOnly:"true"`
	ProjectManagerName   any                       `json:"project_manager_name,omitempty" readOnly:"true"`
	CreatedBy            any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt            any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt            any                       `json:"updated_at,omitempty" readOnly:"true"`
	TotalHoursLogged     any                       `json:"total_hours_logged,omitempty" readOnly:"true"`
	BillableHours        any                       `json:"billable_hours,omitempty" readOnly:"true"`
	TotalBilledAmount    any                       `json:"total_billed_amount,omitempty" readOnly:"true"`
	UnbilledAmount       any                       `json:"unbilled_amount,omitempty" readOnly:"true"`
	BudgetUsedPercent    any                       `json:"budget_used_percent,omitempty" readOnly:"true"`
}

func (o ProjectOptional) changes(ch *ProjectChanges) {
	ch.Contract = nullableChange(o.Contract)
	ch.ProjectManager = nullableChange(o.ProjectManager)
	ch.ProjectCode, ch.Description, ch.Status, ch.BillingType = o.ProjectCode, o.Description, o.Status, o.BillingType
	ch.Budget = nullableDecimal(o.Budget)
	ch.HourlyRate = nullableDecimal(o.HourlyRate)
	ch.Currency, ch.Notes = o.Currency, o.Notes
	ch.ActualCompletionDate = nullableChange(o.ActualCompletionDate)
}

// projectWrite is the body of POST and PUT: the required fields plus the optional ones.
type projectWrite struct {
	Client    string `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Name      string `json:"name" minLength:"1" maxLength:"255"`
	StartDate string `json:"start_date" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate   string `json:"end_date" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ProjectOptional
}

func (b *projectWrite) changes() ProjectChanges {
	ch := ProjectChanges{Client: &b.Client, Name: &b.Name, StartDate: &b.StartDate, EndDate: &b.EndDate}
	b.ProjectOptional.changes(&ch)
	return ch
}

// projectPatch is the body of PATCH: every field optional; a required field sent as null is
// refused.
type projectPatch struct {
	Client    api.Nullable[string] `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Name      api.Nullable[string] `json:"name,omitempty" minLength:"1" maxLength:"255"`
	StartDate api.Nullable[string] `json:"start_date,omitempty" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate   api.Nullable[string] `json:"end_date,omitempty" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ProjectOptional
}

func (b *projectPatch) changes() ProjectChanges {
	var ch ProjectChanges
	for _, v := range []struct {
		field string
		in    api.Nullable[string]
		dst   **string
	}{
		{"client", b.Client, &ch.Client},
		{"name", b.Name, &ch.Name},
		{"start_date", b.StartDate, &ch.StartDate},
		{"end_date", b.EndDate, &ch.EndDate},
	} {
		if v.in.Null {
			ch.Nulls = append(ch.Nulls, v.field)
		}
		*v.dst = v.in.Ptr()
	}
	b.ProjectOptional.changes(&ch)
	return ch
}

// projectFormatErrors runs the format rules while huma checks the schema, so one response lists
// all. The enums and missing or empty required fields are huma's to report. On create amounts
// are read in the firm's currency; on update the stored currency is unknown here, so amounts are
// checked only with a sent currency (the service checks them again in any case).
func projectFormatErrors(ctx huma.Context, ch ProjectChanges, create bool) []error {
	var cur money.Currency
	if create {
		a, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil
		}
		cur = currencyFor(a.Currency)
	}
	ch.Status, ch.BillingType = nil, nil
	dropBlank(&ch.Client, &ch.Name, &ch.StartDate, &ch.EndDate)
	return fieldErrors(ch.formatProblems(cur))
}

type projectCreateIn struct{ Body projectWrite }

func (in *projectCreateIn) Resolve(ctx huma.Context) []error {
	return projectFormatErrors(ctx, in.Body.changes(), true)
}

type projectPutIn struct {
	ID   string `path:"id"`
	Body projectWrite
}

func (in *projectPutIn) Resolve(ctx huma.Context) []error {
	return projectFormatErrors(ctx, in.Body.changes(), false)
}

type projectPatchIn struct {
	ID   string `path:"id"`
	Body projectPatch
}

func (in *projectPatchIn) Resolve(ctx huma.Context) []error {
	return projectFormatErrors(ctx, in.Body.changes(), false)
}

type projectListIn struct{ api.ListInput }

type projectBody struct {
	Body ProjectOut
}

type projectCreated struct {
	Location string `header:"Location"`
	Body     ProjectOut
}

// byIDIn is the input of the operations on one object.
type byIDIn struct {
	ID string `path:"id"`
}

func (h *handlers) registerProjects(a *api.API) {
	tags := []string{"Projects: projects"}
	read := auth.Require(a, auth.Projects, auth.Read)
	editable := auth.Authorize(a, h.svc.CheckProjectEditable)
	list := huma.Operation{OperationID: "list-projects", Method: http.MethodGet, Path: "/projects/projects/",
		Summary: "List projects", Tags: tags, Middlewares: read,
		Description: "Each project carries its time totals (total_hours_logged, billable_hours, total_billed_amount, " +
			"unbilled_amount, budget_used_percent), computed for the whole page in one query."}
	api.DocumentList(&list, ProjectList)
	api.Cacheable(&list)
	api.Register(a, list, auth.Handle(h.listProjects))
	api.Register(a, huma.Operation{OperationID: "create-project", Method: http.MethodPost, Path: "/projects/projects/",
		Summary: "Create a project", Tags: tags, DefaultStatus: http.StatusCreated,
		Middlewares: auth.Require(a, auth.Projects, auth.Write)}, auth.Handle(h.createProject))
	api.Register(a, huma.Operation{OperationID: "get-project", Method: http.MethodGet, Path: "/projects/projects/{id}/",
		Summary: "Get a project", Tags: tags, Middlewares: read}, auth.Handle(h.getProject))
	api.Register(a, huma.Operation{OperationID: "replace-project", Method: http.MethodPut, Path: "/projects/projects/{id}/",
		Summary: "Update a project (full)", Tags: tags, Middlewares: editable}, auth.Handle(h.putProject))
	api.Register(a, huma.Operation{OperationID: "update-project", Method: http.MethodPatch, Path: "/projects/projects/{id}/",
		Summary: "Update a project (partial)", Tags: tags, Middlewares: editable}, auth.Handle(h.patchProject))
	api.Register(a, huma.Operation{OperationID: "delete-project", Method: http.MethodDelete, Path: "/projects/projects/{id}/",
		Summary: "Delete a project", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Description: "A project with tasks or time entries cannot be deleted (409)."}, auth.Handle(h.deleteProject))
}

func (h *handlers) listProjects(ctx context.Context, a auth.Actor, in *projectListIn) (*api.ListOutput[ProjectOut], error) {
	p, err := in.Parse(ProjectList)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListProjects(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, rows, projectOut)
}

func (h *handlers) createProject(ctx context.Context, a auth.Actor, in *projectCreateIn) (*projectCreated, error) {
	v, err := h.svc.CreateProject(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &projectCreated{Location: api.Prefix + "/projects/projects/" + v.ID + "/", Body: projectOut(v)}, nil
}

func (h *handlers) getProject(ctx context.Context, a auth.Actor, in *byIDIn) (*projectBody, error) {
	v, err := h.svc.GetProject(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &projectBody{Body: projectOut(v)}, nil
}

func (h *handlers) putProject(ctx context.Context, a auth.Actor, in *projectPutIn) (*projectBody, error) {
	return h.updateProject(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchProject(ctx context.Context, a auth.Actor, in *projectPatchIn) (*projectBody, error) {
	return h.updateProject(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateProject(ctx context.Context, a auth.Actor, id string, ch ProjectChanges) (*projectBody, error) {
	v, err := h.svc.UpdateProject(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &projectBody{Body: projectOut(v)}, nil
}

func (h *handlers) deleteProject(ctx context.Context, a auth.Actor, in *byIDIn) (*struct{}, error) {
	return nil, h.svc.DeleteProject(ctx, a, in.ID)
}

// Mapping helpers shared by the project and task handlers.

// dateOut renders an optional date: null when unset.
func dateOut(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := string(d)
	return &s
}

// stampOut renders an optional stamp in UTC.
func stampOut(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// amountOut renders an optional amount in its currency: null when unset.
func amountOut(a *money.Amount, c money.Currency) *string {
	if a == nil {
		return nil
	}
	s := money.Format(*a, c)
	return &s
}

// nullableChange maps an optional nullable text field to a change: nil when not sent, "" when
// sent as null (clear it), else the value.
func nullableChange(n api.Nullable[string]) *string {
	if !n.Set {
		return nil
	}
	v := n.Value
	if n.Null {
		v = ""
	}
	return &v
}

// nullableDecimal is nullableChange for money and hours.
func nullableDecimal(n api.Nullable[api.Decimal]) *money.Decimal {
	if !n.Set {
		return nil
	}
	d := money.Decimal(n.Value) // "" when null: clears it
	if n.Null {
		d = ""
	}
	return &d
}

// dropBlank drops empty required values before the format checks: huma already reports them as
// required, and one message per problem is enough.
func dropBlank(fields ...**string) {
	for _, f := range fields {
		if *f != nil && **f == "" {
			*f = nil
		}
	}
}

// fieldErrors turns collected field messages into huma's located details, so a Resolve method
// reports them together with the schema's own errors.
func fieldErrors(f fault.Fields) []error {
	var errs []error
	for field, msgs := range f {
		for _, m := range msgs {
			errs = append(errs, &huma.ErrorDetail{Location: "body." + field, Message: m})
		}
	}
	return errs
}
