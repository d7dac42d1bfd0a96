package projects

import (
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Task statuses (SPEC §5), the columns of a Kanban board.
const (
	TaskTodo       = "todo"
	TaskInProgress = "in_progress"
	TaskBlocked    = "blocked"
	TaskReview     = "review"
	TaskDone       = "done"
)

// TaskStatuses are the stages of a task; any may follow any other.
var TaskStatuses = []string{TaskTodo, TaskInProgress, TaskBlocked, TaskReview, TaskDone}

// TaskPriorities are the priorities of a task, from lowest to highest.
var TaskPriorities = []string{"low", "medium", "high", "urgent"}

// DefaultTaskPriority is a new task's priority unless the request names another.
const DefaultTaskPriority = "medium"

// Task messages (SPEC §5, exact where the SPEC gives them).
const (
	MsgTaskEstimatedHours = "Estimated hours must be greater than 0"
	MsgTaskProjectUnknown = "Select a valid project."
	MsgTaskAssignee       = "Select a user of your firm."
	MsgTaskInUse          = "This task has time entries and cannot be deleted."
	MsgTaskProjectLocked  = "A task with time entries cannot move to another project."
)

// TaskChanges are the writable fields of a task; nil leaves a field as it is. Create and PUT set
// the required fields; PATCH only the ones sent. An empty AssignedTo, EstimatedHours or DueDate
// clears it.
type TaskChanges struct {
	Project        *string
	AssignedTo     *string
	Title          *string
	Description    *string
	Status         *string
	Priority       *string
	Position       *int64
	EstimatedHours *money.Decimal
	DueDate        *string
	Nulls          []string // fields that may not be null, sent as null
}

// formatProblems checks the fields that have a format, for whatever the request sent.
func (ch TaskChanges) formatProblems() fault.Fields {
	var f fault.Fields
	for _, field := range ch.Nulls {
		f.Add(field, MsgFieldNull)
	}
	if p := ch.Project; p != nil && !validID(strings.TrimSpace(*p)) {
		f.Add("project", MsgTaskProjectUnknown)
	}
	if u := ch.AssignedTo; u != nil && *u != "" && !validID(strings.TrimSpace(*u)) {
		f.Add("assigned_to", MsgTaskAssignee)
	}
	if ch.Status != nil && !slices.Contains(TaskStatuses, *ch.Status) {
		f.Add("status", validate.ChoiceMessage(*ch.Status))
	}
	if ch.Priority != nil && !slices.Contains(TaskPriorities, *ch.Priority) {
		f.Add("priority", validate.ChoiceMessage(*ch.Priority))
	}
	if h := ch.EstimatedHours; h != nil && *h != "" {
		if _, err := h.Hours(); err != nil {
			f.Add("estimated_hours", err.Error())
		}
	}
	checkDateText(&f, "due_date", ch.DueDate, false)
	return f
}

// apply merges the (format-checked) changes into t.
func (ch TaskChanges) apply(t *Task) {
	if ch.Project != nil {
		t.ProjectID = strings.TrimSpace(*ch.Project)
	}
	setOptionalID(&t.AssignedTo, ch.AssignedTo)
	setTrimmed(&t.Title, ch.Title)
	setTrimmed(&t.Description, ch.Description)
	setTrimmed(&t.Status, ch.Status)
	setTrimmed(&t.Priority, ch.Priority)
	if ch.Position != nil {
		t.Position = *ch.Position
	}
	if h := ch.EstimatedHours; h != nil {
		t.EstimatedHours = nil
		if *h != "" {
			if v, err := h.Hours(); err == nil {
				t.EstimatedHours = &v
			}
		}
	}
	setDateText(&t.DueDate, ch.DueDate)
}

// TaskRules checks a merged task against SPEC §5's rules.
func TaskRules(t *Task) fault.Fields {
	var f fault.Fields
	if t.ProjectID == "" {
		f.Add("project", validate.MsgRequired)
	}
	if t.Title == "" {
		f.Add("title", validate.MsgRequired)
	}
	if t.EstimatedHours != nil && *t.EstimatedHours <= 0 {
		f.Add("estimated_hours", MsgTaskEstimatedHours)
	}
	return f
}

// StampTask applies SPEC §5's completion rule, compared with old (nil on create): a task
// becoming done is completed now; a task leaving done is no longer completed; a change that
// leaves the status alone leaves completed_at alone.
func StampTask(old, t *Task, now time.Time) {
	wasDone := old != nil && old.Status == TaskDone
	switch {
	case t.Status == TaskDone && !wasDone:
		at := now
		t.CompletedAt = &at
	case t.Status != TaskDone:
		t.CompletedAt = nil
	}
}
