package projects

import (
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// SPEC §5's exact task message.
const specEstimatedHours = "Estimated hours must be greater than 0"

func TestTaskRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ch   TaskPatch
		want map[string][]string
	}{
		{name: "valid", ch: TaskPatch{Project: sent("p1"), Title: sent("Interview staff")}},
		{name: "nothing", want: map[string][]string{"project": {specRequired}, "title": {specRequired}}},
		{name: "blank title", ch: TaskPatch{Project: sent("p1"), Title: sent("   ")},
			want: map[string][]string{"title": {specRequired}}},
		{name: "zero estimate", ch: TaskPatch{Project: sent("p1"), Title: sent("x"), EstimatedHours: dec("0")},
			want: map[string][]string{"estimated_hours": {specEstimatedHours}}},
		{name: "negative estimate", ch: TaskPatch{Project: sent("p1"), Title: sent("x"), EstimatedHours: dec("-1.5")},
			want: map[string][]string{"estimated_hours": {specEstimatedHours}}},
		{name: "smallest estimate", ch: TaskPatch{Project: sent("p1"), Title: sent("x"), EstimatedHours: dec("0.01")}},
		{name: "estimate cleared", ch: TaskPatch{Project: sent("p1"), Title: sent("x"), EstimatedHours: dec("")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			task := &Task{}
			tc.ch.apply(task)
			checkMessages(t, TaskRules(task), tc.want)
		})
	}
}

func TestTaskFormatProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ch   TaskPatch
		want map[string][]string
	}{
		{name: "valid", ch: TaskPatch{Project: sent("01900000-0000-7000-8000-000000000000"),
			EstimatedHours: dec("7.25"), DueDate: sent("2026-05-01")}},
		{name: "ids", ch: TaskPatch{Project: sent("p1"), AssignedTo: sent("u1")},
			want: map[string][]string{"project": {MsgTaskProjectUnknown}, "assigned_to": {MsgTaskAssignee}}},
		{name: "assignee cleared", ch: TaskPatch{AssignedTo: sent("")}},
		{name: "choices", ch: TaskPatch{Status: refOf(TaskStatus("closed")), Priority: refOf(TaskPriority("critical"))},
			want: map[string][]string{"status": {`"closed" is not a valid choice.`}, "priority": {`"critical" is not a valid choice.`}}},
		{name: "three decimals", ch: TaskPatch{EstimatedHours: dec("1.125")},
			want: map[string][]string{"estimated_hours": {"Ensure that there are no more than 2 decimal places."}}},
		{name: "not a number", ch: TaskPatch{EstimatedHours: dec("soon")},
			want: map[string][]string{"estimated_hours": {"A valid number is required."}}},
		{name: "bad due date", ch: TaskPatch{DueDate: sent("2026-13-01")},
			want: map[string][]string{"due_date": {date.MsgInvalid}}},
		{name: "due date cleared", ch: TaskPatch{DueDate: sent("")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMessages(t, taskFormat(tc.ch), tc.want)
		})
	}
}

// taskFormat is what a body's format checks report on a new task: what the body cannot merge,
// then the merged task's formats.
func taskFormat(b TaskPatch) fault.Fields {
	t := &Task{Status: TaskTodo, Priority: DefaultTaskPriority}
	bad := b.apply(t)
	bad.Merge(t.formatProblems())
	return bad
}

func TestTaskApply(t *testing.T) {
	t.Parallel()
	h := money.Hours(300)
	task := &Task{ProjectID: "p1", AssignedTo: refOf("u1"), Title: "Old", Status: TaskTodo, Priority: "low",
		EstimatedHours: &h, DueDate: "2026-05-01"}
	(&TaskPatch{Title: sent("  New  "), AssignedTo: sent(""), Position: refOf(int64(7)),
		EstimatedHours: dec("12.5"), DueDate: sent("")}).apply(task)
	if task.Title != "New" || task.AssignedTo != nil || task.Position != 7 || *task.EstimatedHours != 1250 ||
		task.DueDate != "" || task.ProjectID != "p1" || task.Priority != "low" {
		t.Errorf("after apply: %+v", task)
	}
	(&TaskPatch{EstimatedHours: dec("")}).apply(task)
	if task.EstimatedHours != nil {
		t.Errorf("estimate not cleared: %v", *task.EstimatedHours)
	}
}

func TestStampTask(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	earlier := now.Add(-48 * time.Hour)
	tests := []struct {
		name   string
		old    *Task // nil on create
		status TaskStatus
		stored *time.Time // completed_at before the stamp
		want   *time.Time
	}{
		{name: "created done", status: TaskDone, want: &now},
		{name: "created todo", status: TaskTodo},
		{name: "becomes done", old: &Task{Status: TaskReview}, status: TaskDone, want: &now},
		{name: "stays done (PATCH without status)", old: &Task{Status: TaskDone, CompletedAt: &earlier},
			status: TaskDone, stored: &earlier, want: &earlier},
		{name: "reopened", old: &Task{Status: TaskDone, CompletedAt: &earlier}, status: TaskInProgress, stored: &earlier},
		{name: "other change", old: &Task{Status: TaskTodo}, status: TaskBlocked},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			task := &Task{Status: tc.status, CompletedAt: tc.stored}
			StampTask(tc.old, task, now)
			switch {
			case tc.want == nil && task.CompletedAt != nil:
				t.Errorf("completed_at = %v, want null", *task.CompletedAt)
			case tc.want != nil && (task.CompletedAt == nil || !task.CompletedAt.Equal(*tc.want)):
				t.Errorf("completed_at = %v, want %v", task.CompletedAt, *tc.want)
			}
		})
	}
}

// TestTaskPolicy is SPEC §1's Projects area for tasks (the old IsAssignedUserOrReadOnly table):
// every role reads them; owners, admins and managers create, change and delete any; a
// consultant changes the tasks assigned to them and those of the projects they manage, and
// creates and deletes none; an accountant only reads; an unknown role does nothing.
func TestTaskPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, updateNobodys, updateAssigned, updateManaged, delete bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true, true, true},
		auth.Consultant: {true, true, false, false, true, true, false},
		auth.Accountant: {true, true, false, false, false, false, false},
		"superuser":     {},
	}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			nobodys := &Task{AssignedTo: refOf("someone"), ProjectManagerID: refOf("someone-else")}
			assigned := &Task{AssignedTo: refOf("me"), ProjectManagerID: refOf("someone-else")}
			managed := &Task{AssignedTo: refOf("someone"), ProjectManagerID: refOf("me")}
			unassigned := &Task{}
			p := taskPolicy{}
			wantPolicy(t, "list", resource.Check(p, a, resource.List, nil), w.list)
			wantPolicy(t, "read", resource.Check(p, a, resource.Read, nobodys), w.read)
			wantPolicy(t, "create", resource.Check(p, a, resource.Create, nil), w.create)
			wantPolicy(t, "update someone else's", resource.Check(p, a, resource.Update, nobodys), w.updateNobodys)
			wantPolicy(t, "update unassigned", resource.Check(p, a, resource.Update, unassigned), w.updateNobodys)
			wantPolicy(t, "update assigned", resource.Check(p, a, resource.Update, assigned), w.updateAssigned)
			wantPolicy(t, "update managed", resource.Check(p, a, resource.Update, managed), w.updateManaged)
			wantPolicy(t, "delete someone else's", resource.Check(p, a, resource.Delete, nobodys), w.delete)
			wantPolicy(t, "delete assigned", resource.Check(p, a, resource.Delete, assigned), w.delete)
			wantPolicy(t, "delete managed", resource.Check(p, a, resource.Delete, managed), w.delete)
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		p := taskPolicy{}
		noUser := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		me := auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}
		wantPolicy(t, "no user id, unassigned", resource.Check(p, noUser, resource.Update, &Task{}), false)
		wantPolicy(t, "no user id, empty ids", resource.Check(p, noUser, resource.Update,
			&Task{AssignedTo: refOf(""), ProjectManagerID: refOf("")}), false)
		wantPolicy(t, "unassigned task", resource.Check(p, me, resource.Update, &Task{}), false)
		wantPolicy(t, "empty assignee and manager", resource.Check(p, me, resource.Update,
			&Task{AssignedTo: refOf(""), ProjectManagerID: refOf("")}), false)
	})
}
