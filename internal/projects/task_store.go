package projects

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Task is a unit of work in a project, ordered on a Kanban board by Position: a row of tasks,
// with its project's name and manager (the policy's), its assignee's name and the hours logged
// on it.
type Task struct {
	bun.BaseModel `bun:"table:tasks,alias:t"`
	db.Deletion
	ID               string       `bun:"id,pk"`
	FirmID           string       `bun:"firm_id"`
	ProjectID        string       `bun:"project_id"`
	AssignedTo       *string      `bun:"assigned_to"`
	Title            string       `bun:"title"`
	Description      string       `bun:"description"`
	Status           TaskStatus   `bun:"status"`
	Priority         TaskPriority `bun:"priority"`
	Position         int64        `bun:"position"`
	EstimatedHours   *money.Hours `bun:"estimated_hours"`
	DueDate          date.Date    `bun:"due_date,nullzero"`
	CompletedAt      *time.Time   `bun:"completed_at"`
	CreatedBy        *string      `bun:"created_by"`
	CreatedAt        time.Time    `bun:"created_at"`
	UpdatedAt        time.Time    `bun:"updated_at"`
	ProjectName      *string      `bun:"project_name,scanonly"`
	ProjectManagerID *string      `bun:"project_manager_id,scanonly"`
	AssignedToName   *string      `bun:"assigned_to_name,scanonly"`
	HoursLogged      money.Hours  `bun:"hours_logged,scanonly"`
}

// taskPriorityRank is the SQL rank of a task's priority, low (0) to urgent (3), so that ordering
// by priority follows importance rather than the alphabet.
const taskPriorityRank = "CASE t.priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 END"

// taskQuery declares the task list's filters, search and ordering (SPEC §5).
func taskQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "project", Column: "t.project_id", Kind: db.IDFilter},
			{Name: "status", Column: "t.status", Kind: db.ChoiceFilter, Choices: db.Choices(taskStatuses())},
			{Name: "priority", Column: "t.priority", Kind: db.ChoiceFilter, Choices: db.Choices(taskPriorities())},
			{Name: "assigned_to", Column: "t.assigned_to", Kind: db.IDFilter},
		},
		Search: []string{"t.title", "t.description", "tp.name"},
		Ordering: []db.OrderField{
			{Name: "position", Column: "t.position"},
			{Name: "created_at", Column: "t.created_at"},
			{Name: "due_date", Column: "t.due_date"},
			{Name: "priority", Column: taskPriorityRank},
		},
		Default:   "position,-created_at",
		UpdatedAt: "t.updated_at",
		ID:        "t.id",
	}
}

// taskHours is the computed hours_logged of a task: a correlated scalar subquery answered from
// the index time_entries_task_hours, for the whole page in one statement.
const taskHours = `(SELECT CAST(COALESCE(SUM(te.hours), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.task_id = t.id AND te.deleted_at IS NULL) AS hours_logged`

// ListTasks lists the firm's tasks.
func (s *Service) ListTasks(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Task, int64, error) {
	if err := resource.Check(taskPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Task
	count, err := q.Window(q.Apply(selectTasks(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// GetTask returns one task of the firm.
func (s *Service) GetTask(ctx context.Context, a auth.Actor, id string) (*Task, error) {
	t, err := s.taskView(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return nil, err
	}
	return t, resource.Check(taskPolicy{}, a, resource.Read, t)
}

// loadTask reads a task with its project's manager for the policy check before a request's body
// (resource.Loader).
func (s *Service) loadTask(ctx context.Context, a auth.Actor, id string) (*Task, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	t := new(Task)
	err := withProjectManager(s.db.R, a.Firm(), t, "JOIN").Where("t.id = ?", id).Scan(ctx)
	return t, db.Translate(err)
}

// CreateTask adds a task to a project of the firm: edit fills in the request.
func (s *Service) CreateTask(ctx context.Context, a auth.Actor, edit func(*Task) fault.Fields) (*Task, error) {
	if err := resource.Check(taskPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	by := a.UserID
	t := &Task{ID: db.NewID(), FirmID: a.FirmID, Status: TaskTodo, Priority: DefaultTaskPriority, CreatedBy: &by,
		CreatedAt: now, UpdatedAt: now}
	bad := edit(t)
	bad.Merge(t.formatProblems())
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkTask(ctx, tx, a, nil, t); err != nil {
			return err
		}
		StampTask(nil, t, now)
		_, err := tx.NewInsert().Model(t).Value("estimated_hours", "?", hoursColumn(t.EstimatedHours)).Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.taskView(ctx, s.db.R, a.Firm(), t.ID)
}

// UpdateTask changes a task as edit says, if the policy lets the caller; a project the caller
// may not change is kept, an assignee they may not change refused (keepReadOnly).
func (s *Service) UpdateTask(ctx context.Context, a auth.Actor, id string, edit func(*Task) fault.Fields) (*Task, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.lockTask(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := s.addProjectManager(ctx, tx, a.Firm(), t); err != nil {
			return err
		}
		if err := resource.Check(taskPolicy{}, a, resource.Update, t); err != nil {
			return err
		}
		old := *t
		bad := edit(t)
		if err := t.keepReadOnly(a, &old); err != nil {
			return err
		}
		bad.Merge(t.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		if err := s.checkTask(ctx, tx, a, &old, t); err != nil {
			return err
		}
		now := s.stamp()
		StampTask(&old, t, now)
		t.UpdatedAt = now
		_, err = a.Firm().Update(tx, t).Value("estimated_hours", "?", hoursColumn(t.EstimatedHours)).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.taskView(ctx, s.db.R, a.Firm(), id)
}

// DeleteTask removes a task without time entries; otherwise 409.
func (s *Service) DeleteTask(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.lockTask(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(taskPolicy{}, a, resource.Delete, t); err != nil {
			return err
		}
		logged, err := taskHasTime(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if logged {
			return fault.New(fault.Conflict, MsgTaskInUse)
		}
		err = a.Firm().Remove(ctx, tx, (*Task)(nil), id, a.UserID, s.stamp())
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgTaskInUse, err) // an entry logged concurrently
		}
		return err
	})
}

// checkTask applies the rules that need the database: a project of the firm (and a task with
// time entries stays in its project), an active assignee of the firm (both checked when set or
// changed), and TaskRules. old is nil on create.
func (s *Service) checkTask(ctx context.Context, tx bun.IDB, a auth.Actor, old, t *Task) error {
	firm := a.Firm()
	var bad fault.Fields
	if t.ProjectID != "" && (old == nil || old.ProjectID != t.ProjectID) {
		if _, err := s.project(ctx, tx, firm, t.ProjectID); err != nil {
			if !db.IsNotFound(err) {
				return err
			}
			bad.Add("project", MsgTaskProjectUnknown)
		} else if old != nil {
			logged, err := taskHasTime(ctx, tx, firm, t.ID)
			if err != nil {
				return err
			}
			if logged {
				bad.Add("project", MsgTaskProjectLocked)
			}
		}
	}
	if u := t.AssignedTo; u != nil && (old == nil || deref(old.AssignedTo) != *u) {
		ok, err := s.members.IsMember(ctx, tx, firm, *u)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("assigned_to", MsgTaskAssignee)
		}
	}
	bad.Merge(TaskRules(t))
	return bad.Err()
}

// withProjectManager starts a firm-scoped task query with its project's manager, joined as join
// says ("JOIN", or "LEFT JOIN" for lists, which must not lose a row).
func withProjectManager(idb bun.IDB, firm db.Firm, dest any, join string) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("t.*").
		Join(join + " projects AS tp ON tp.id = t.project_id").
		ColumnExpr("tp.project_manager_id")
}

// selectTasks starts a firm-scoped task query with the display and computed fields.
func selectTasks(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := withProjectManager(idb, firm, dest, "LEFT JOIN").ColumnExpr("tp.name AS project_name")
	q = auth.WithUserName(q, "ta", "t.assigned_to", "assigned_to_name")
	return q.ColumnExpr(taskHours)
}

// taskView reads one task of the firm with its display and computed fields.
func (s *Service) taskView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Task, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	t := new(Task)
	err := selectTasks(idb, firm, t).Where("t.id = ?", id).Scan(ctx)
	return t, db.Translate(err)
}

// task reads one task of the firm (its row alone); NotFound for another firm's or an unknown id.
func (s *Service) task(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Task, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	t := new(Task)
	err := firm.Select(idb, t).Where("t.id = ?", id).Scan(ctx)
	return t, db.Translate(err)
}

// lockTask reads one task of the firm for a change, locking its row until the transaction ends.
func (s *Service) lockTask(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Task, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	t := new(Task)
	err := s.db.ForUpdate(firm.Select(tx, t).Where("t.id = ?", id)).Scan(ctx)
	return t, db.Translate(err)
}

// addProjectManager reads the manager of the task's project, which the policy asks about. It is
// read apart from the locked task: locking through a join would lock the project too.
func (s *Service) addProjectManager(ctx context.Context, idb bun.IDB, firm db.Firm, t *Task) error {
	p, err := s.project(ctx, idb, firm, t.ProjectID)
	if err != nil {
		return err
	}
	t.ProjectManagerID = p.ProjectManagerID
	return nil
}

// hoursColumn is the value of an optional hours column: the hundredths as an integer, or NULL.
// bun would write a *money.Hours as JSON ("\"8.00\""), because it implements json.Marshaler.
func hoursColumn(h *money.Hours) any {
	if h == nil {
		return nil
	}
	return int64(*h)
}

// taskHasTime reports whether time is logged on the task.
func taskHasTime(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	ok, err := firm.Select(idb, (*TimeEntry)(nil)).Where("te.task_id = ?", id).Exists(ctx)
	return ok, db.Translate(err)
}
