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
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the status with its values.
func (ProjectStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(projectStatuses()) }

// Schema documents the billing type with its values.
func (BillingType) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(billingTypes()) }

// ProjectOut is a project as the API shows it.
type ProjectOut struct {
	ID                   string        `json:"id" format:"uuid"`
	Client               string        `json:"client" format:"uuid"`
	ClientName           *string       `json:"client_name" nullable:"true"`
	Contract             *string       `json:"contract" nullable:"true" format:"uuid"`
	ContractNumber       *string       `json:"contract_number" nullable:"true" example:"CTR-2026-001"`
	ProjectManager       *string       `json:"project_manager" nullable:"true" format:"uuid"`
	ProjectManagerName   *string       `json:"project_manager_name" nullable:"true"`
	ProjectCode          string        `json:"project_code" example:"PRJ-2026-001"`
	Name                 string        `json:"name"`
	Description          string        `json:"description"`
	Status               ProjectStatus `json:"status"`
	BillingType          BillingType   `json:"billing_type"`
	Budget               *string       `json:"budget" export:"money" nullable:"true" example:"50000.00" doc:"Money string in currency"`
	HourlyRate           *string       `json:"hourly_rate" export:"money" nullable:"true" example:"150.00" doc:"Money string in currency"`
	Currency             string        `json:"currency" example:"USD"`
	StartDate            string        `json:"start_date" format:"date"`
	EndDate              string        `json:"end_date" format:"date"`
	ActualCompletionDate *string       `json:"actual_completion_date" nullable:"true" format:"date"`
	Notes                string        `json:"notes"`
	CreatedBy            *string       `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt            time.Time     `json:"created_at"`
	UpdatedAt            time.Time     `json:"updated_at"`
	TotalHoursLogged     string        `json:"total_hours_logged" export:"decimal" example:"12.50" doc:"Hours of every time entry"`
	BillableHours        string        `json:"billable_hours" export:"decimal" example:"10.00" doc:"Hours of billable time entries"`
	TotalBilledAmount    string        `json:"total_billed_amount" export:"money" example:"1500.00" doc:"Billed amount of billable time entries"`
	UnbilledAmount       string        `json:"unbilled_amount" export:"money" example:"300.00" doc:"Billed amount of billable time entries not yet invoiced"`
	BudgetUsedPercent    *string       `json:"budget_used_percent" export:"decimal" nullable:"true" example:"3.00" doc:"total_billed_amount / budget × 100, two decimals; null without a budget"`
	resource.Trash
}

func projectOut(p *Project) ProjectOut {
	cur := money.CurrencyOf(p.Currency)
	out := ProjectOut{ID: p.ID, Client: p.ClientID, ClientName: p.ClientName, Contract: p.ContractID,
		ContractNumber: p.ContractNumber, ProjectManager: p.ProjectManagerID, ProjectManagerName: p.ProjectManagerName,
		ProjectCode: p.ProjectCode, Name: p.Name, Description: p.Description, Status: p.Status,
		BillingType: p.BillingType, Budget: money.FormatPtr(p.Budget, cur), HourlyRate: money.FormatPtr(p.HourlyRate, cur),
		Currency: p.Currency, StartDate: string(p.StartDate), EndDate: string(p.EndDate),
		ActualCompletionDate: p.ActualCompletionDate.OrNull(), Notes: p.Notes, CreatedBy: p.CreatedBy,
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), TotalHoursLogged: p.TotalHoursLogged.String(),
		BillableHours: p.BillableHours.String(), TotalBilledAmount: money.Format(p.TotalBilledAmount, cur),
		UnbilledAmount: money.Format(p.UnbilledAmount, cur), BudgetUsedPercent: BudgetUsedPercent(p.TotalBilledAmount, p.Budget)}
	if p.ContractID == nil {
		out.ContractNumber = nil
	}
	if p.ProjectManagerID == nil {
		out.ProjectManagerName = nil
	}
	return out
}

// ProjectPatch is the body of PATCH: every field optional; a required field sent as null is
// refused. The read-only fields of ProjectOut are accepted and ignored, so a fetched project can
// be sent back.
type ProjectPatch struct {
	Client               api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Name                 api.Nullable[string]      `json:"name,omitempty" minLength:"1" maxLength:"255"`
	StartDate            api.Nullable[string]      `json:"start_date,omitempty" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate              api.Nullable[string]      `json:"end_date,omitempty" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	Contract             api.Nullable[string]      `json:"contract,omitempty" doc:"Contract id (a contract of the same client)"`
	ProjectManager       api.Nullable[string]      `json:"project_manager,omitempty" doc:"User id (an active user of your firm)"`
	ProjectCode          *string                   `json:"project_code,omitempty" maxLength:"50" doc:"Unique in the firm, ignoring case; PRJ-YYYY-NNN is assigned when omitted on create"`
	Description          *string                   `json:"description,omitempty"`
	Status               *ProjectStatus            `json:"status,omitempty" doc:"Defaults to planning; completed stamps actual_completion_date (the firm's today) when empty, leaving completed clears it"`
	BillingType          *BillingType              `json:"billing_type,omitempty" doc:"Defaults to time_and_materials"`
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

// ProjectWrite is the body of POST and PUT: the patch with the required fields required.
type ProjectWrite struct {
	Client    string `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Name      string `json:"name" minLength:"1" maxLength:"255"`
	StartDate string `json:"start_date" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate   string `json:"end_date" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ProjectPatch
}

// apply merges the PATCH body into p and reports what cannot be merged: nulls, an unknown
// currency, malformed amounts and dates, and stored amounts the new currency cannot hold.
// Amounts are read in the project's currency (the one sent, when valid); when p has none (a
// body checked before the stored project is known) they are left to the service.
func (b *ProjectPatch) apply(p *Project) fault.Fields {
	var nulls []string
	api.SetText(&p.ClientID, api.RequiredChange("client", b.Client, &nulls))
	api.SetText(&p.Name, api.RequiredChange("name", b.Name, &nulls))
	start := api.RequiredChange("start_date", b.StartDate, &nulls)
	end := api.RequiredChange("end_date", b.EndDate, &nulls)
	api.SetID(&p.ContractID, b.Contract.Change())
	api.SetID(&p.ProjectManagerID, b.ProjectManager.Change())
	api.SetText(&p.ProjectCode, b.ProjectCode)
	api.SetText(&p.Description, b.Description)
	api.SetText(&p.Notes, b.Notes)
	if b.Status != nil {
		p.Status = *b.Status
	}
	if b.BillingType != nil {
		p.BillingType = *b.BillingType
	}
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	old, cur := api.ChangeCurrency(&bad, p.Currency, b.Currency)
	p.Currency = cur.Code
	p.Budget = api.MergeAmount(&bad, "budget", b.Budget, p.Budget, old, cur)
	p.HourlyRate = api.MergeAmount(&bad, "hourly_rate", b.HourlyRate, p.HourlyRate, old, cur)
	completion := b.ActualCompletionDate.Change()
	date.Check(&bad, "start_date", start, true)
	date.Check(&bad, "end_date", end, true)
	date.Check(&bad, "actual_completion_date", completion, false)
	date.Set(&p.StartDate, start)
	date.Set(&p.EndDate, end)
	date.Set(&p.ActualCompletionDate, completion)
	return bad
}

// patch is the body as a PATCH that sends every required field.
func (b *ProjectWrite) patch() *ProjectPatch {
	p := b.ProjectPatch
	p.Client, p.Name = api.Value(b.Client), api.Value(b.Name)
	p.StartDate, p.EndDate = api.Value(b.StartDate), api.Value(b.EndDate)
	return &p
}

// apply merges a POST or PUT body into p.
func (b *ProjectWrite) apply(p *Project) fault.Fields { return b.patch().apply(p) }

// Check reports a POST or PUT body's format problems with the schema's errors, in one response.
func (b *ProjectWrite) Check(ctx context.Context, a auth.Actor, act resource.Action) error {
	return b.patch().Check(ctx, a, act)
}

// Check reports the body's format problems with the schema's errors, in one response. The enums
// and missing or empty required fields are huma's to report. A new project's amounts are read in
// the firm's currency; a change's stored currency is not known yet, so its amounts are checked
// here only with a sent currency (the service checks everything again in any case).
func (b *ProjectPatch) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	c := *b
	c.Status, c.BillingType = nil, nil
	api.DropBlankValues(&c.Client, &c.Name, &c.StartDate, &c.EndDate)
	p := &Project{Status: ProjectPlanning, BillingType: DefaultBillingType}
	if act == resource.Create {
		p.Currency = money.CurrencyOf(a.Currency).Code
	}
	bad := c.apply(p)
	bad.Merge(p.formatProblems())
	return bad.Err()
}

func registerProjects(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Project, ProjectOut, ProjectWrite, ProjectPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Project)(nil), Taken: MsgProjectCodeTaken},
		Path:       "/projects/projects/", Name: "project", Plural: "projects", Tag: "Projects: projects",
		Policy: projectPolicy{}, Load: s.loadProject, Query: projectQuery(), Cache: true,
		Out: projectOut, ID: func(p *Project) string { return p.ID },
		List:    s.ListProjects,
		Get:     s.GetProject,
		Create:  resource.Creating(s.CreateProject, (*ProjectWrite).apply),
		Replace: resource.Updating(s.UpdateProject, (*ProjectWrite).apply),
		Update:  resource.Updating(s.UpdateProject, (*ProjectPatch).apply),
		Delete:  s.DeleteProject,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Descriptions: map[string]string{
			"list-projects": "Each project carries its time totals (total_hours_logged, billable_hours, total_billed_amount, " +
				"unbilled_amount, budget_used_percent), computed for the whole page in one query.",
			"delete-project": "A project with tasks or time entries cannot be deleted (409).",
		},
	})
}
