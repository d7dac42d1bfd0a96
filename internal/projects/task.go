package projects

import (
	"slices"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// TaskStatus is a stage of a task, a column of a Kanban board; any may follow any other.
type TaskStatus string

// The task statuses (SPEC §5).
const (
	TaskTodo       TaskStatus = "todo"
	TaskInProgress TaskStatus = "in_progress"
	TaskBlocked    TaskStatus = "blocked"
	TaskReview     TaskStatus = "review"
	TaskDone       TaskStatus = "done"
)

// taskStatuses lists the statuses in board order (validation, filters, OpenAPI).
func taskStatuses() []TaskStatus {
	return []TaskStatus{TaskTodo, TaskInProgress, TaskBlocked, TaskReview, TaskDone}
}

// TaskPriority is how urgent a task is.
type TaskPriority string

// The task priorities (SPEC §5).
const (
	TaskLow    TaskPriority = "low"
	TaskMedium TaskPriority = "medium"
	TaskHigh   TaskPriority = "high"
	TaskUrgent TaskPriority = "urgent"
)

// taskPriorities lists the priorities from lowest to highest (validation, filters, OpenAPI).
func taskPriorities() []TaskPriority {
	return []TaskPriority{TaskLow, TaskMedium, TaskHigh, TaskUrgent}
}

// DefaultTaskPriority is a new task's priority unless the request names another.
const DefaultTaskPriority = TaskMedium

// Task messages (SPEC §5, exact where the SPEC gives them).
const (
	MsgTaskEstimatedHours = "Estimated hours must be greater than 0"
	MsgTaskProjectUnknown = "Select a valid project."
	MsgTaskAssignee       = "Select a user of your firm."
	MsgTaskInUse          = "This task has time entries and cannot be deleted."
	MsgTaskProjectLocked  = "A task with time entries cannot move to another project."
	MsgTaskReassign       = "You do not have permission to change the assignee of a task."
)

// taskPolicy decides who may do what to tasks (SPEC §1's Projects area): every role that reads
// projects reads tasks; owners, admins and managers create, change and delete any; a consultant
// changes the tasks assigned to them and those of the projects they manage, but creates and
// deletes none. Update and delete ask only for read
// access before the task is read, so that an unknown task answers 404 rather than 403.
type taskPolicy struct{}

func (taskPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Projects)
	}
	return auth.CanRead(a, auth.Projects)
}

func (taskPolicy) AllowOn(a auth.Actor, act resource.Action, t *Task) error {
	switch act {
	case resource.Read:
		return nil
	case resource.Update:
		if auth.CanWrite(a, auth.Projects) == nil || a.Role == auth.Consultant && t.concerns(a.UserID) {
			return nil
		}
		return auth.Forbidden()
	}
	return auth.CanWrite(a, auth.Projects)
}

// concerns reports whether the task is assigned to the user or belongs to a project they manage.
func (t *Task) concerns(user string) bool {
	return user != "" && (deref(t.AssignedTo) == user || deref(t.ProjectManagerID) == user)
}

// keepReadOnly undoes what an edit did to the project of a task the caller edits only because
// it concerns them (a consultant): the project is read-only for them, and what the body says of
// it is ignored. The assignee is theirs to change only on the projects they manage; anyone
// else who sends a different one is refused (403).
func (t *Task) keepReadOnly(a auth.Actor, old *Task) error {
	if auth.CanWrite(a, auth.Projects) == nil {
		return nil
	}
	t.ProjectID = old.ProjectID
	if deref(old.ProjectManagerID) != a.UserID && deref(t.AssignedTo) != deref(old.AssignedTo) {
		return fault.New(fault.Forbidden, MsgTaskReassign)
	}
	return nil
}

// formatProblems checks the fields of a merged task that have a format. The rules that need
// every field or the database are checked after (TaskRules, checkTask), so that format messages
// come first and alone.
func (t *Task) formatProblems() fault.Fields {
	var f fault.Fields
	if t.ProjectID != "" && badID(&t.ProjectID) {
		f.Add("project", MsgTaskProjectUnknown)
	}
	if badID(t.AssignedTo) {
		f.Add("assigned_to", MsgTaskAssignee)
	}
	if !slices.Contains(taskStatuses(), t.Status) {
		f.Add("status", validate.ChoiceMessage(t.Status))
	}
	if !slices.Contains(taskPriorities(), t.Priority) {
		f.Add("priority", validate.ChoiceMessage(t.Priority))
	}
	return f
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
