package projects

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the status with its values.
func (TaskStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(taskStatuses()) }

// Schema documents the priority with its values.
func (TaskPriority) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(taskPriorities()) }

// TaskOut is a task as the API shows it.
type TaskOut struct {
	ID             string       `json:"id" format:"uuid"`
	Project        string       `json:"project" format:"uuid"`
	ProjectName    *string      `json:"project_name" nullable:"true"`
	AssignedTo     *string      `json:"assigned_to" nullable:"true" format:"uuid"`
	AssignedToName *string      `json:"assigned_to_name" nullable:"true"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	Status         TaskStatus   `json:"status"`
	Priority       TaskPriority `json:"priority"`
	Position       int64        `json:"position" doc:"Order on the Kanban board"`
	EstimatedHours *string      `json:"estimated_hours" export:"decimal" nullable:"true" example:"8.00" doc:"Hours, two decimals"`
	DueDate        *string      `json:"due_date" nullable:"true" format:"date"`
	CompletedAt    *time.Time   `json:"completed_at" nullable:"true" doc:"When the task last became done; null unless done"`
	CreatedBy      *string      `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	HoursLogged    string       `json:"hours_logged" export:"decimal" example:"3.50" doc:"Hours of the task's time entries"`
	resource.Trash
}

func taskOut(t *Task) TaskOut {
	out := TaskOut{ID: t.ID, Project: t.ProjectID, ProjectName: t.ProjectName, AssignedTo: t.AssignedTo,
		AssignedToName: t.AssignedToName, Title: t.Title, Description: t.Description, Status: t.Status,
		Priority: t.Priority, Position: t.Position, DueDate: t.DueDate.OrNull(), CompletedAt: stampOut(t.CompletedAt),
		CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(),
		HoursLogged: t.HoursLogged.String()}
	if t.EstimatedHours != nil {
		s := t.EstimatedHours.String()
		out.EstimatedHours = &s
	}
	if t.AssignedTo == nil {
		out.AssignedToName = nil
	}
	return out
}

// TaskPatch is the body of PATCH: every field optional; a required field sent as null is
// refused. The read-only fields of TaskOut are accepted and ignored, so a fetched task can be
// sent back.
type TaskPatch struct {
	Project        api.Nullable[string]      `json:"project,omitempty" minLength:"1" doc:"Project id (a project of your firm)"`
	Title          api.Nullable[string]      `json:"title,omitempty" minLength:"1" maxLength:"255"`
	AssignedTo     api.Nullable[string]      `json:"assigned_to,omitempty" doc:"User id (an active user of your firm)"`
	Description    *string                   `json:"description,omitempty"`
	Status         *TaskStatus               `json:"status,omitempty" doc:"Defaults to todo; done stamps completed_at, leaving done clears it"`
	Priority       *TaskPriority             `json:"priority,omitempty" doc:"Defaults to medium"`
	Position       *int64                    `json:"position,omitempty" minimum:"0" doc:"Order on the Kanban board; defaults to 0"`
	EstimatedHours api.Nullable[api.Decimal] `json:"estimated_hours,omitempty" doc:"Hours, greater than 0, at most two decimals"`
	DueDate        api.Nullable[string]      `json:"due_date,omitempty" example:"2026-05-15" doc:"Date, YYYY-MM-DD"`
	ID             any                       `json:"id,omitempty" readOnly:"true"`
	ProjectName    any                       `json:"project_name,omitempty" readOnly:"true"`
	AssignedToName any                       `json:"assigned_to_name,omitempty" readOnly:"true"`
	CompletedAt    any                       `json:"completed_at,omitempty" readOnly:"true"`
	CreatedBy      any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt      any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt      any                       `json:"updated_at,omitempty" readOnly:"true"`
	HoursLogged    any                       `json:"hours_logged,omitempty" readOnly:"true"`
}

// TaskWrite is the body of POST and PUT: the patch with the required fields required.
type TaskWrite struct {
	Project string `json:"project" minLength:"1" doc:"Project id (a project of your firm)"`
	Title   string `json:"title" minLength:"1" maxLength:"255"`
	TaskPatch
}

// apply merges the PATCH body into t and reports what cannot be merged: nulls, malformed hours
// and dates.
func (b *TaskPatch) apply(t *Task) fault.Fields {
	var nulls []string
	api.SetText(&t.ProjectID, api.RequiredChange("project", b.Project, &nulls))
	api.SetText(&t.Title, api.RequiredChange("title", b.Title, &nulls))
	api.SetID(&t.AssignedTo, b.AssignedTo.Change())
	api.SetText(&t.Description, b.Description)
	if b.Status != nil {
		t.Status = *b.Status
	}
	if b.Priority != nil {
		t.Priority = *b.Priority
	}
	if b.Position != nil {
		t.Position = *b.Position
	}
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if h := api.DecimalChange(b.EstimatedHours); h != nil {
		t.EstimatedHours = nil
		if *h != "" {
			if v, err := h.Hours(); err != nil {
				bad.Add("estimated_hours", err.Error())
			} else {
				t.EstimatedHours = &v
			}
		}
	}
	due := b.DueDate.Change()
	date.Check(&bad, "due_date", due, false)
	date.Set(&t.DueDate, due)
	return bad
}

// patch is the body as a PATCH that sends every required field.
func (b *TaskWrite) patch() *TaskPatch {
	p := b.TaskPatch
	p.Project, p.Title = api.Value(b.Project), api.Value(b.Title)
	return &p
}

// apply merges a POST or PUT body into t.
func (b *TaskWrite) apply(t *Task) fault.Fields { return b.patch().apply(t) }

// Check reports a new task's format problems with the schema's errors, in one response; the
// enums and missing or empty required fields are huma's to report. Changes have them checked by
// the service, after the policy: a consultant who may not edit a task learns that first, and one
// whose project field is ignored is not told it is malformed.
func (b *TaskWrite) Check(_ context.Context, _ auth.Actor, act resource.Action) error {
	if act != resource.Create {
		return nil
	}
	c := b.patch()
	c.Status, c.Priority = nil, nil
	api.DropBlankValues(&c.Project, &c.Title)
	t := &Task{Status: TaskTodo, Priority: DefaultTaskPriority}
	bad := c.apply(t)
	bad.Merge(t.formatProblems())
	return bad.Err()
}

func registerTasks(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Task, TaskOut, TaskWrite, TaskPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Task)(nil), Parents: []resource.Parent{{Column: "project_id", Model: (*Project)(nil), Name: "project"}}},
		Path:       "/projects/tasks/", Name: "task", Plural: "tasks", Tag: "Projects: tasks",
		Policy: taskPolicy{}, Load: s.loadTask, Query: taskQuery(), Cache: true,
		Out: taskOut, ID: func(t *Task) string { return t.ID },
		List:    s.ListTasks,
		Get:     s.GetTask,
		Create:  resource.Creating(s.CreateTask, (*TaskWrite).apply),
		Replace: resource.Updating(s.UpdateTask, (*TaskWrite).apply),
		Update:  resource.Updating(s.UpdateTask, (*TaskPatch).apply),
		Delete:  s.DeleteTask,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Descriptions: map[string]string{
			"list-tasks": "Ordering by priority follows importance: low < medium < high < urgent.",
			"replace-task": "Consultants may update tasks assigned to them or of projects they manage; for them the " +
				"project is read-only, and so is assigned_to unless they manage the project.",
			"update-task": "A PATCH that does not send status leaves completed_at as it is.",
			"delete-task": "A task with time entries cannot be deleted (409).",
		},
	})
}
