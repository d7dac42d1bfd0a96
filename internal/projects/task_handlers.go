package projects

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/danielgtaylor/huma/v2"
)

// TaskOut is a task as the API shows it.
type TaskOut struct {
	ID             string     `json:"id" format:"uuid"`
	Project        string     `json:"project" format:"uuid"`
	ProjectName    *string    `json:"project_name" nullable:"true"`
	AssignedTo     *string    `json:"assigned_to" nullable:"true" format:"uuid"`
	AssignedToName *string    `json:"assigned_to_name" nullable:"true"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Status         string     `json:"status" enum:"todo,in_progress,blocked,review,done"`
	Priority       string     `json:"priority" enum:"low,medium,high,urgent"`
	Position       int64      `json:"position" doc:"Order on the Kanban board"`
	EstimatedHours *string    `json:"estimated_hours" nullable:"true" example:"8.00" doc:"Hours, two decimals"`
	DueDate        *string    `json:"due_date" nullable:"true" format:"date"`
	CompletedAt    *time.Time `json:"completed_at" nullable:"true" doc:"When the task last became done; null unless done"`
	CreatedBy      *string    `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	HoursLogged    string     `json:"hours_logged" example:"3.50" doc:"Hours of the task's time entries"`
}

func taskOut(v *TaskView) TaskOut {
	t := v.Task
	out := TaskOut{ID: t.ID, Project: t.ProjectID, ProjectName: v.ProjectName, AssignedTo: t.AssignedTo,
		AssignedToName: v.AssignedToName, Title: t.Title, Description: t.Description, Status: t.Status,
		Priority: t.Priority, Position: t.Position, DueDate: dateOut(t.DueDate), CompletedAt: stampOut(t.CompletedAt),
		CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(),
		HoursLogged: v.HoursLogged.String()}
	if t.EstimatedHours != nil {
		s := t.EstimatedHours.String()
		out.EstimatedHours = &s
	}
	if t.AssignedTo == nil {
		out.AssignedToName = nil
	}
	return out
}

// TaskOptional are the task fields that may be left out, on every write. The read-only fields of
// TaskOut are accepted and ignored, so a fetched task can be sent back with PUT.
type TaskOptional struct {
	AssignedTo     api.Nullable[string]      `json:"assigned_to,omitempty" doc:"User id (an active user of your firm)"`
	Description    *string                   `json:"description,omitempty"`
	Status         *string                   `json:"status,omitempty" enum:"todo,in_progress,blocked,review,done" doc:"Defaults to todo; done stamps completed_at, leaving done clears it"`
	Priority       *string                   `json:"priority,omitempty" enum:"low,medium,high,urgent" doc:"Defaults to medium"`
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

func (o TaskOptional) changes(ch *TaskChanges) {
	ch.AssignedTo = nullableChange(o.AssignedTo)
	ch.Description, ch.Status, ch.Priority, ch.Position = o.Description, o.Status, o.Priority, o.Position
	ch.EstimatedHours = nullableDecimal(o.EstimatedHours)
	ch.DueDate = nullableChange(o.DueDate)
}

// taskWrite is the body of POST and PUT: the required fields plus the optional ones.
type taskWrite struct {
	Project string `json:"project" minLength:"1" doc:"Project id (a project of your firm)"`
	Title   string `json:"title" minLength:"1" maxLength:"255"`
	TaskOptional
}

func (b *taskWrite) changes() TaskChanges {
	ch := TaskChanges{Project: &b.Project, Title: &b.Title}
	b.TaskOptional.changes(&ch)
	return ch
}

// taskPatch is the body of PATCH: every field optional; a required field sent as null is
// refused.
type taskPatch struct {
	Project api.Nullable[string] `json:"project,omitempty" minLength:"1" doc:"Project id (a project of your firm)"`
	Title   api.Nullable[string] `json:"title,omitempty" minLength:"1" maxLength:"255"`
	TaskOptional
}

func (b *taskPatch) changes() TaskChanges {
	ch := TaskChanges{Project: b.Project.Ptr(), Title: b.Title.Ptr()}
	for field, v := range map[string]api.Nullable[string]{"project": b.Project, "title": b.Title} {
		if v.Null {
			ch.Nulls = append(ch.Nulls, field)
		}
	}
	b.TaskOptional.changes(&ch)
	return ch
}

// taskFormatErrors runs the format rules of a new task while huma checks the schema, so one
// response lists all; the enums and missing or empty required fields are huma's to report.
// (Updates run them in the service, after the object rules: a consultant who may not edit a task
// learns that first, and one whose project field is ignored is not told it is malformed.)
func taskFormatErrors(ch TaskChanges) []error {
	ch.Status, ch.Priority = nil, nil
	dropBlank(&ch.Project, &ch.Title)
	return fieldErrors(ch.formatProblems())
}

type taskCreateIn struct{ Body taskWrite }

func (in *taskCreateIn) Resolve(huma.Context) []error {
	return taskFormatErrors(in.Body.changes())
}

type taskPutIn struct {
	ID   string `path:"id"`
	Body taskWrite
}

type taskPatchIn struct {
	ID   string `path:"id"`
	Body taskPatch
}

type taskListIn struct{ api.ListInput }

type taskBody struct {
	Body TaskOut
}

type taskCreated struct {
	Location string `header:"Location"`
	Body     TaskOut
}

func (h *handlers) registerTasks(a *api.API) {
	tags := []string{"Projects: tasks"}
	read := auth.Require(a, auth.Projects, auth.Read)
	editable := auth.Authorize(a, h.svc.CheckTaskEditable)
	list := huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/projects/tasks/",
		Summary: "List tasks", Tags: tags, Middlewares: read,
		Description: "Ordering by priority follows importance: low < medium < high < urgent."}
	api.DocumentList(&list, TaskList)
	api.Cacheable(&list)
	api.Register(a, list, auth.Handle(h.listTasks))
	api.Register(a, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: "/projects/tasks/",
		Summary: "Create a task", Tags: tags, DefaultStatus: http.StatusCreated,
		Middlewares: auth.Authorize(a, mayCreateTask)}, auth.Handle(h.createTask))
	api.Register(a, huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: "/projects/tasks/{id}/",
		Summary: "Get a task", Tags: tags, Middlewares: read}, auth.Handle(h.getTask))
	api.Register(a, huma.Operation{OperationID: "replace-task", Method: http.MethodPut, Path: "/projects/tasks/{id}/",
		Summary: "Update a task (full)", Tags: tags, Middlewares: editable,
		Description: "Consultants may update tasks assigned to them or of projects they manage; for them the " +
			"project is read-only, and so is assigned_to unless they manage the project."}, auth.Handle(h.putTask))
	api.Register(a, huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: "/projects/tasks/{id}/",
		Summary: "Update a task (partial)", Tags: tags, Middlewares: editable,
		Description: "A PATCH that does not send status leaves completed_at as it is."}, auth.Handle(h.patchTask))
	api.Register(a, huma.Operation{OperationID: "delete-task", Method: http.MethodDelete, Path: "/projects/tasks/{id}/",
		Summary: "Delete a task", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Description: "A task with time entries cannot be deleted (409)."}, auth.Handle(h.deleteTask))
}

func (h *handlers) listTasks(ctx context.Context, a auth.Actor, in *taskListIn) (*api.ListOutput[TaskOut], error) {
	p, err := in.Parse(TaskList)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListTasks(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, rows, taskOut)
}

func (h *handlers) createTask(ctx context.Context, a auth.Actor, in *taskCreateIn) (*taskCreated, error) {
	v, err := h.svc.CreateTask(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &taskCreated{Location: api.Prefix + "/projects/tasks/" + v.ID + "/", Body: taskOut(v)}, nil
}

func (h *handlers) getTask(ctx context.Context, a auth.Actor, in *byIDIn) (*taskBody, error) {
	v, err := h.svc.GetTask(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &taskBody{Body: taskOut(v)}, nil
}

func (h *handlers) putTask(ctx context.Context, a auth.Actor, in *taskPutIn) (*taskBody, error) {
	return h.updateTask(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchTask(ctx context.Context, a auth.Actor, in *taskPatchIn) (*taskBody, error) {
	return h.updateTask(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateTask(ctx context.Context, a auth.Actor, id string, ch TaskChanges) (*taskBody, error) {
	v, err := h.svc.UpdateTask(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &taskBody{Body: taskOut(v)}, nil
}

func (h *handlers) deleteTask(ctx context.Context, a auth.Actor, in *byIDIn) (*struct{}, error) {
	return nil, h.svc.DeleteTask(ctx, a, in.ID)
}
