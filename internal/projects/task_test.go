package projects

import (
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
)

// SPEC §5's exact task message.
const specEstimatedHours = "Estimated hours must be greater than 0"

func TestTaskRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ch   TaskChanges
		want map[string][]string
	}{
		{name: "valid", ch: TaskChanges{Project: refOf("p1"), Title: refOf("Interview staff")}},
		{name: "nothing", want: map[string][]string{"project": {specRequired}, "title": {specRequired}}},
		{name: "blank title", ch: TaskChanges{Project: refOf("p1"), Title: refOf("   ")},
			want: map[string][]string{"title": {specRequired}}},
		{name: "zero estimate", ch: TaskChanges{Project: refOf("p1"), Title: refOf("x"), EstimatedHours: refOf(money.Decimal("0"))},
			want: map[string][]string{"estimated_hours": {specEstimatedHours}}},
		{name: "negative estimate", ch: TaskChanges{Project: refOf("p1"), Title: refOf("x"), EstimatedHours: refOf(money.Decimal("-1.5"))},
			want: map[string][]string{"estimated_hours": {specEstimatedHours}}},
		{name: "smallest estimate", ch: TaskChanges{Project: refOf("p1"), Title: refOf("x"), EstimatedHours: refOf(money.Decimal("0.01"))}},
		{name: "estimate cleared", ch: TaskChanges{Project: refOf("p1"), Title: refOf("x"), EstimatedHours: refOf(money.Decimal(""))}},
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
		ch   TaskChanges
		want map[string][]string
	}{
		{name: "valid", ch: TaskChanges{Project: refOf("01900000-0000-7000-8000-000000000000"),
			EstimatedHours: refOf(money.Decimal("7.25")), DueDate: refOf("2026-05-01")}},
		{name: "ids", ch: TaskChanges{Project: refOf("p1"), AssignedTo: refOf("u1")},
			want: map[string][]string{"project": {MsgTaskProjectUnknown}, "assigned_to": {MsgTaskAssignee}}},
		{name: "assignee cleared", ch: TaskChanges{AssignedTo: refOf("")}},
		{name: "choices", ch: TaskChanges{Status: refOf("closed"), Priority: refOf("critical")},
			want: map[string][]string{"status": {`"closed" is not a valid choice.`}, "priority": {`"critical" is not a valid choice.`}}},
		{name: "three decimals", ch: TaskChanges{EstimatedHours: refOf(money.Decimal("1.125"))},
			want: map[string][]string{"estimated_hours": {"Ensure that there are no more than 2 decimal places."}}},
		{name: "not a number", ch: TaskChanges{EstimatedHours: refOf(money.Decimal("soon"))},
			want: map[string][]string{"estimated_hours": {"A valid number is required."}}},
		{name: "bad due date", ch: TaskChanges{DueDate: refOf("2026-13-01")},
			want: map[string][]string{"due_date": {date.MsgInvalid}}},
		{name: "due date cleared", ch: TaskChanges{DueDate: refOf("")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMessages(t, tc.ch.formatProblems(), tc.want)
		})
	}
}

func TestTaskApply(t *testing.T) {
	t.Parallel()
	h := money.Hours(300)
	task := &Task{ProjectID: "p1", AssignedTo: refOf("u1"), Title: "Old", Status: TaskTodo, Priority: "low",
		EstimatedHours: &h, DueDate: "2026-05-01"}
	TaskChanges{Title: refOf("  New  "), AssignedTo: refOf(""), Position: refOf(int64(7)),
		EstimatedHours: refOf(money.Decimal("12.5")), DueDate: refOf("")}.apply(task)
	if task.Title != "New" || task.AssignedTo != nil || task.Position != 7 || *task.EstimatedHours != 1250 ||
		task.DueDate != "" || task.ProjectID != "p1" || task.Priority != "low" {
		t.Errorf("after apply: %+v", task)
	}
	TaskChanges{EstimatedHours: refOf(money.Decimal(""))}.apply(task)
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
		status string
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
