package gen

import (
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// tasks builds n tasks of project p, ordered on its board, mostly assigned to its team, with
// statuses that follow the project's, and records them in w.
func (b *builder) tasks(p *projects.Project, w *projectWork, n int) []projects.Task {
	out := make([]projects.Task, n)
	created := b.cal.dayOf(p.CreatedAt)
	for i := range out {
		t := projects.Task{
			ID: db.NewID(), FirmID: b.firmID, ProjectID: p.ID, Title: pick(b.r, b.v.taskTitles),
			Status: b.taskStatus(p.Status), Position: int64(i),
			Priority:  pick(b.r, []projects.TaskPriority{"low", "low", "medium", "medium", "medium", "high", "high", "urgent"}),
			CreatedBy: p.CreatedBy,
		}
		day := b.cal.past(created + b.r.between(0, 14))
		t.CreatedAt = b.later(p.CreatedAt, max(day, created))
		ref := taskRef{id: t.ID, assignee: -1}
		if len(w.team) > 0 && b.r.chance(0.85) {
			ref.assignee = pick(b.r, w.team)
			id := b.loggerID(ref.assignee)
			t.AssignedTo = &id
		}
		if b.r.chance(0.7) {
			h := money.Hours(b.r.between(2, 80) * 100)
			t.EstimatedHours = &h
		}
		if b.r.chance(0.6) {
			t.DueDate = b.cal.date(b.r.between(b.cal.dayOf(p.StartDate.Time()), b.cal.dayOf(p.EndDate.Time())))
		}
		if b.r.chance(0.2) {
			t.Description = "See the engagement plan for the acceptance criteria."
		}
		t.UpdatedAt = t.CreatedAt
		if t.Status == projects.TaskDone {
			from := b.cal.dayOf(t.CreatedAt)
			at := b.later(t.CreatedAt, b.r.between(from, max(from, w.last)))
			t.CompletedAt, t.UpdatedAt = &at, at
		}
		out[i] = t
		w.tasks = append(w.tasks, ref)
	}
	return out
}

// taskStatus draws a task's status to match its project's: a completed project's tasks are
// almost all done, a planned project's not started.
func (b *builder) taskStatus(project projects.ProjectStatus) projects.TaskStatus {
	switch project {
	case projects.ProjectCompleted:
		return pick(b.r, []projects.TaskStatus{"done", "done", "done", "done", "done", "done", "done", "done", "done", "review"})
	case projects.ProjectPlanning:
		return pick(b.r, []projects.TaskStatus{"todo", "todo", "todo", "todo", "in_progress"})
	default:
		return pick(b.r, []projects.TaskStatus{"todo", "todo", "in_progress", "in_progress", "blocked", "review", "done", "done", "done", "done"})
	}
}

// loggerID is the user id of logger index i (managers, then consultants).
func (b *builder) loggerID(i int) string {
	if i < len(b.staff.managers) {
		return b.staff.managers[i].id
	}
	return b.staff.consultants[i-len(b.staff.managers)].id
}
