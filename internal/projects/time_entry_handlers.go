package projects

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// TimeEntryOut is a time entry as the API shows it.
type TimeEntryOut struct {
	ID           string    `json:"id" format:"uuid"`
	Project      string    `json:"project" format:"uuid"`
	ProjectName  *string   `json:"project_name" nullable:"true"`
	Task         *string   `json:"task" nullable:"true" format:"uuid"`
	TaskTitle    *string   `json:"task_title" nullable:"true"`
	User         string    `json:"user" format:"uuid"`
	UserName     *string   `json:"user_name" nullable:"true"`
	Date         string    `json:"date" format:"date"`
	Hours        string    `json:"hours" example:"8.00" doc:"Hours with two decimals"`
	Description  string    `json:"description"`
	IsBillable   bool      `json:"is_billable"`
	HourlyRate   string    `json:"hourly_rate" example:"150.00" doc:"Money string in currency"`
	Currency     string    `json:"currency" example:"USD" doc:"The project's currency"`
	BilledAmount string    `json:"billed_amount" example:"1200.00" doc:"hours × hourly_rate rounded half-up to the currency's minor unit; 0 when not billable"`
	Invoiced     bool      `json:"invoiced" doc:"Set when an invoice bills the entry; an invoiced entry cannot be changed or deleted"`
	Invoice      *string   `json:"invoice" nullable:"true" format:"uuid"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func timeEntryOut(v *TimeEntryView) TimeEntryOut {
	te := v.TimeEntry
	cur := currencyFor(te.Currency)
	out := TimeEntryOut{ID: te.ID, Project: te.ProjectID, ProjectName: v.ProjectName, Task: te.TaskID,
		TaskTitle: v.TaskTitle, User: te.UserID, UserName: v.UserName, Date: string(te.Date), Hours: te.Hours.String(),
		Description: te.Description, IsBillable: te.IsBillable, HourlyRate: money.Format(te.HourlyRate, cur),
		Currency: cur.Code, BilledAmount: money.Format(te.BilledAmount, cur), Invoiced: te.Invoiced,
		Invoice: te.InvoiceID, CreatedAt: te.CreatedAt.UTC(), UpdatedAt: te.UpdatedAt.UTC()}
	if te.TaskID == nil {
		out.TaskTitle = nil
	}
	return out
}

// TimeEntryOptional are the time entry fields that may be left out, on every write. The
// read-only fields of TimeEntryOut are accepted and ignored, so a fetched entry can be sent back
// with PUT.
type TimeEntryOptional struct {
	Task         api.Nullable[string]      `json:"task,omitempty" doc:"Task id (a task of the same project); null for none"`
	User         *string                   `json:"user,omitempty" doc:"User id; defaults to the caller. Only owners, admins and managers may name another user (403 otherwise)"`
	IsBillable   *bool                     `json:"is_billable,omitempty" doc:"Defaults to true"`
	HourlyRate   api.Nullable[api.Decimal] `json:"hourly_rate,omitempty" doc:"Money in the project's currency, not negative; defaults to the project's rate (required when the project has none); null resets it to the project's rate"`
	ID           any                       `json:"id,omitempty" readOnly:"true"`
	ProjectName  any                       `json:"project_name,omitempty" readOnly:"true"`
	TaskTitle    any                       `json:"task_title,omitempty" readOnly:"true"`
	UserName     any                       `json:"user_name,omitempty" readOnly:"true"`
	Currency     any                       `json:"currency,omitempty" readOnly:"true"`
	BilledAmount any                       `json:"billed_amount,omitempty" readOnly:"true"`
	Invoiced     any                       `json:"invoiced,omitempty" readOnly:"true"`
	Invoice      any                       `json:"invoice,omitempty" readOnly:"true"`
	CreatedAt    any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt    any                       `json:"updated_at,omitempty" readOnly:"true"`
}

func (o TimeEntryOptional) changes(ch *TimeEntryChanges) {
	ch.Task = nullableChange(o.Task) // "" when null: no task
	ch.User, ch.IsBillable = o.User, o.IsBillable
	ch.HourlyRate = nullableDecimal(o.HourlyRate) // "" when null: the project's rate
}

// timeEntryWrite is the body of POST and PUT: the required fields plus the optional ones.
type timeEntryWrite struct {
	Project     string      `json:"project" minLength:"1" doc:"Project id (a project of your firm)"`
	Date        string      `json:"date" minLength:"1" example:"2026-02-10" doc:"Date, YYYY-MM-DD; not after the firm's today"`
	Hours       api.Decimal `json:"hours" doc:"Hours, more than 0 and at most 24, two decimals at most; the user's hours on the date may not exceed 24 in all"`
	Description string      `json:"description" minLength:"1"`
	TimeEntryOptional
}

func (b *timeEntryWrite) changes() TimeEntryChanges {
	h := money.Decimal(b.Hours)
	ch := TimeEntryChanges{Project: &b.Project, Date: &b.Date, Hours: &h, Description: &b.Description}
	b.TimeEntryOptional.changes(&ch)
	return ch
}

// timeEntryPatch is the body of PATCH: every field optional.
type timeEntryPatch struct {
	Project     *string      `json:"project,omitempty" minLength:"1" doc:"Project id (a project of your firm)"`
	Date        *string      `json:"date,omitempty" minLength:"1" example:"2026-02-10" doc:"Date, YYYY-MM-DD; not after the firm's today"`
	Hours       *api.Decimal `json:"hours,omitempty" doc:"Hours, more than 0 and at most 24, two decimals at most"`
	Description *string      `json:"description,omitempty" minLength:"1"`
	TimeEntryOptional
}

func (b *timeEntryPatch) changes() TimeEntryChanges {
	ch := TimeEntryChanges{Project: b.Project, Date: b.Date, Description: b.Description}
	if b.Hours != nil {
		h := money.Decimal(*b.Hours)
		ch.Hours = &h
	}
	b.TimeEntryOptional.changes(&ch)
	return ch
}

// timeEntryFormatErrors runs the format rules while huma checks the schema, so one response
// lists all. A caller who may not log time for others and names another user is answered 403
// first on create; on update that depends on the stored entry, so the service answers it (and
// the formats) instead.
func timeEntryFormatErrors(ctx huma.Context, ch TimeEntryChanges, create bool) []error {
	a, err := auth.ActorFrom(ctx.Context())
	if err != nil {
		return nil
	}
	if ch.User != nil && strings.TrimSpace(*ch.User) != a.UserID && auth.CanWrite(a, auth.TimeEntries) != nil {
		if create {
			return []error{fault.New(fault.Forbidden, MsgLogForOthers)}
		}
		return nil
	}
	dropBlank(&ch.Project, &ch.Date, &ch.Description) // huma reports them as required already
	if ch.Hours != nil && *ch.Hours == "" {
		ch.Hours = nil // null: huma reports it already
	}
	return fieldErrors(ch.formatProblems())
}

type timeEntryCreateIn struct{ Body timeEntryWrite }

func (in *timeEntryCreateIn) Resolve(ctx huma.Context) []error {
	return timeEntryFormatErrors(ctx, in.Body.changes(), true)
}

type timeEntryPutIn struct {
	ID   string `path:"id"`
	Body timeEntryWrite
}

func (in *timeEntryPutIn) Resolve(ctx huma.Context) []error {
	return timeEntryFormatErrors(ctx, in.Body.changes(), false)
}

type timeEntryPatchIn struct {
	ID   string `path:"id"`
	Body timeEntryPatch
}

func (in *timeEntryPatchIn) Resolve(ctx huma.Context) []error {
	return timeEntryFormatErrors(ctx, in.Body.changes(), false)
}

type timeEntryListIn struct{ api.ListInput }

type timeEntryBody struct {
	Body TimeEntryOut
}

type timeEntryCreated struct {
	Location string `header:"Location"`
	Body     TimeEntryOut
}

// mayLogTimeCheck is MayLogTime as an Authorize check.
func mayLogTimeCheck(_ context.Context, a auth.Actor, _ string) error { return MayLogTime(a) }

func (h *handlers) registerTimeEntries(a *api.API) {
	tags := []string{"Projects: time entries"}
	read := auth.Require(a, auth.TimeEntries, auth.Read)
	editable := auth.Authorize(a, h.svc.CheckTimeEntryEditable)
	conflict := []int{http.StatusConflict} // a concurrent change of the project or task (recheckEntryRefs)
	list := huma.Operation{OperationID: "list-time-entries", Method: http.MethodGet, Path: "/projects/time-entries/",
		Summary: "List time entries", Tags: tags, Middlewares: read}
	api.DocumentList(&list, TimeEntryList)
	api.Cacheable(&list)
	api.Register(a, list, auth.Handle(h.listTimeEntries))
	api.Register(a, huma.Operation{OperationID: "create-time-entry", Method: http.MethodPost, Path: "/projects/time-entries/",
		Summary: "Log time", Tags: tags, DefaultStatus: http.StatusCreated, Errors: conflict,
		Middlewares: auth.Authorize(a, mayLogTimeCheck)}, auth.Handle(h.createTimeEntry))
	api.Register(a, huma.Operation{OperationID: "get-time-entry", Method: http.MethodGet, Path: "/projects/time-entries/{id}/",
		Summary: "Get a time entry", Tags: tags, Middlewares: read}, auth.Handle(h.getTimeEntry))
	api.Register(a, huma.Operation{OperationID: "replace-time-entry", Method: http.MethodPut, Path: "/projects/time-entries/{id}/",
		Summary: "Update a time entry (full)", Tags: tags, Errors: conflict, Middlewares: editable}, auth.Handle(h.putTimeEntry))
	api.Register(a, huma.Operation{OperationID: "update-time-entry", Method: http.MethodPatch, Path: "/projects/time-entries/{id}/",
		Summary: "Update a time entry (partial)", Tags: tags, Errors: conflict, Middlewares: editable}, auth.Handle(h.patchTimeEntry))
	api.Register(a, huma.Operation{OperationID: "delete-time-entry", Method: http.MethodDelete, Path: "/projects/time-entries/{id}/",
		Summary: "Delete a time entry", Tags: tags, DefaultStatus: http.StatusNoContent}, auth.Handle(h.deleteTimeEntry))
}

func (h *handlers) listTimeEntries(ctx context.Context, a auth.Actor, in *timeEntryListIn) (*api.ListOutput[TimeEntryOut], error) {
	p, err := in.Parse(TimeEntryList)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListTimeEntries(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, rows, timeEntryOut)
}

func (h *handlers) createTimeEntry(ctx context.Context, a auth.Actor, in *timeEntryCreateIn) (*timeEntryCreated, error) {
	v, err := h.svc.CreateTimeEntry(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &timeEntryCreated{Location: api.Prefix + "/projects/time-entries/" + v.ID + "/", Body: timeEntryOut(v)}, nil
}

func (h *handlers) getTimeEntry(ctx context.Context, a auth.Actor, in *byIDIn) (*timeEntryBody, error) {
	v, err := h.svc.GetTimeEntry(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &timeEntryBody{Body: timeEntryOut(v)}, nil
}

func (h *handlers) putTimeEntry(ctx context.Context, a auth.Actor, in *timeEntryPutIn) (*timeEntryBody, error) {
	return h.updateTimeEntry(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchTimeEntry(ctx context.Context, a auth.Actor, in *timeEntryPatchIn) (*timeEntryBody, error) {
	return h.updateTimeEntry(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateTimeEntry(ctx context.Context, a auth.Actor, id string, ch TimeEntryChanges) (*timeEntryBody, error) {
	v, err := h.svc.UpdateTimeEntry(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &timeEntryBody{Body: timeEntryOut(v)}, nil
}

func (h *handlers) deleteTimeEntry(ctx context.Context, a auth.Actor, in *byIDIn) (*struct{}, error) {
	return nil, h.svc.DeleteTimeEntry(ctx, a, in.ID)
}
