package projects

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
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
	Hours        string    `json:"hours" export:"decimal" example:"8.00" doc:"Hours with two decimals"`
	Description  string    `json:"description"`
	IsBillable   bool      `json:"is_billable"`
	HourlyRate   string    `json:"hourly_rate" export:"money" example:"150.00" doc:"Money string in currency"`
	Currency     string    `json:"currency" example:"USD" doc:"The project's currency"`
	BilledAmount string    `json:"billed_amount" export:"money" example:"1200.00" doc:"hours × hourly_rate rounded half-up to the currency's minor unit; 0 when not billable"`
	Invoiced     bool      `json:"invoiced" doc:"Set when an invoice bills the entry; an invoiced entry cannot be changed or deleted"`
	Invoice      *string   `json:"invoice" nullable:"true" format:"uuid"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	resource.Trash
}

func timeEntryOut(te *TimeEntry) TimeEntryOut {
	cur := money.CurrencyOf(te.Currency)
	out := TimeEntryOut{ID: te.ID, Project: te.ProjectID, ProjectName: te.ProjectName, Task: te.TaskID,
		TaskTitle: te.TaskTitle, User: te.UserID, UserName: te.UserName, Date: string(te.Date), Hours: te.Hours.String(),
		Description: te.Description, IsBillable: te.IsBillable, HourlyRate: money.Format(te.HourlyRate, cur),
		Currency: cur.Code, BilledAmount: money.Format(te.BilledAmount, cur), Invoiced: te.Invoiced,
		Invoice: te.InvoiceID, CreatedAt: te.CreatedAt.UTC(), UpdatedAt: te.UpdatedAt.UTC()}
	if te.TaskID == nil {
		out.TaskTitle = nil
	}
	return out
}

// TimeEntryPatch is the body of PATCH: every field optional. The read-only fields of
// TimeEntryOut are accepted and ignored, so a fetched entry can be sent back.
type TimeEntryPatch struct {
	Project      *string                   `json:"project,omitempty" minLength:"1" doc:"Project id (a project of your firm)"`
	Date         *string                   `json:"date,omitempty" minLength:"1" example:"2026-02-10" doc:"Date, YYYY-MM-DD; not after the firm's today"`
	Hours        *api.Decimal              `json:"hours,omitempty" doc:"Hours, more than 0 and at most 24, two decimals at most"`
	Description  *string                   `json:"description,omitempty" minLength:"1"`
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

// TimeEntryWrite is the body of POST and PUT: the patch with the required fields required.
type TimeEntryWrite struct {
	Project     string      `json:"project" minLength:"1" doc:"Project id (a project of your firm)"`
	Date        string      `json:"date" minLength:"1" example:"2026-02-10" doc:"Date, YYYY-MM-DD; not after the firm's today"`
	Hours       api.Decimal `json:"hours" doc:"Hours, more than 0 and at most 24, two decimals at most; the user's hours on the date may not exceed 24 in all"`
	Description string      `json:"description" minLength:"1"`
	TimeEntryPatch
}

// decimalText is the grammar of a decimal in a request, whatever the currency.
var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// apply merges the PATCH body into te and reports what cannot be merged: malformed dates and
// hours, a rate that is not a number. The rate's decimals depend on the currency of the entry's
// project, so the service reads it once the project is known (ApplyEntryRate).
func (b *TimeEntryPatch) apply(te *TimeEntry) fault.Fields {
	var bad fault.Fields
	api.SetText(&te.ProjectID, b.Project)
	api.SetID(&te.TaskID, b.Task.Change()) // "" when null: no task
	api.SetText(&te.UserID, b.User)
	date.Check(&bad, "date", b.Date, true)
	date.Set(&te.Date, b.Date)
	if h := b.Hours; h != nil {
		if *h == "" {
			bad.Add("hours", validate.MsgRequired)
		} else if v, err := h.Hours(); err != nil {
			bad.Add("hours", err.Error())
		} else {
			te.Hours = v
		}
	}
	api.SetText(&te.Description, b.Description)
	if b.IsBillable != nil {
		te.IsBillable = *b.IsBillable
	}
	te.rateSent = api.DecimalChange(b.HourlyRate) // "" when null: the project's rate
	if r := te.rateSent; r != nil && *r != "" && !decimalText.MatchString(string(*r)) {
		bad.Add("hourly_rate", money.ErrInvalidNumber.Error())
	}
	return bad
}

// patch is the body as a PATCH that sends every required field.
func (b *TimeEntryWrite) patch() *TimeEntryPatch {
	p := b.TimeEntryPatch
	project, day, hours, description := b.Project, b.Date, b.Hours, b.Description
	p.Project, p.Date, p.Hours, p.Description = &project, &day, &hours, &description
	return &p
}

// apply merges a POST or PUT body into te.
func (b *TimeEntryWrite) apply(te *TimeEntry) fault.Fields { return b.patch().apply(te) }

// Check reports a POST or PUT body's problems with the schema's errors, in one response.
func (b *TimeEntryWrite) Check(ctx context.Context, a auth.Actor, act resource.Action) error {
	return b.patch().Check(ctx, a, act)
}

// Check reports the body's format problems with the schema's errors, in one response; missing
// or empty required fields are huma's to report. A caller who may not log time for others and
// names another user is answered 403 first on create; on a change that depends on the stored
// entry, so the service answers it (and the formats) instead.
func (b *TimeEntryPatch) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	if b.User != nil && strings.TrimSpace(*b.User) != a.UserID {
		if err := resource.Check(timeEntryPolicy{}, a, LogForOthers, nil); err != nil {
			if act == resource.Create {
				return err
			}
			return nil
		}
	}
	c := *b
	api.DropBlank(&c.Project, &c.Date, &c.Description)
	if c.Hours != nil && *c.Hours == "" {
		c.Hours = nil // null: huma reports it already
	}
	te := &TimeEntry{UserID: a.UserID, IsBillable: true}
	bad := c.apply(te)
	bad.Merge(te.formatProblems())
	return bad.Err()
}

func registerTimeEntries(a *api.API, s *Service) {
	conflict := []int{http.StatusConflict} // a concurrent change of the project or task (recheckEntryRefs)
	resource.Register(a, resource.Resource[TimeEntry, TimeEntryOut, TimeEntryWrite, TimeEntryPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*TimeEntry)(nil), Parents: []resource.Parent{{Column: "project_id", Model: (*Project)(nil), Name: "project"}, {Column: "task_id", Model: (*Task)(nil), Name: "task"}}},
		Path:       "/projects/time-entries/", Name: "time entry", Plural: "time entries", Tag: "Projects: time entries",
		Policy: timeEntryPolicy{}, Load: s.loadTimeEntry, Query: timeEntryQuery(), Cache: true,
		Out: timeEntryOut, ID: func(te *TimeEntry) string { return te.ID },
		List:      s.ListTimeEntries,
		Stream:    s.EachTimeEntry,
		Get:       s.GetTimeEntry,
		Create:    resource.Creating(s.CreateTimeEntry, (*TimeEntryWrite).apply),
		Replace:   resource.Updating(s.UpdateTimeEntry, (*TimeEntryWrite).apply),
		Update:    resource.Updating(s.UpdateTimeEntry, (*TimeEntryPatch).apply),
		Delete:    s.DeleteTimeEntry,
		Summaries: map[resource.Action]string{resource.Create: "Log time"},
		Errors:    map[resource.Action][]int{resource.Create: conflict, resource.Update: conflict},
	})
}
