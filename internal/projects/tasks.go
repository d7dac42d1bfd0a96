package projects

import (
	"context"
	"database/sql"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// TaskView is a task with its display and computed fields, as lists and details show it.
type TaskView struct {
	Task           `bun:",extend"`
	ProjectName    *string     `bun:"project_name"`
	AssignedToName *string     `bun:"assigned_to_name"`
	HoursLogged    money.Hours `bun:"hours_logged"`
}

// taskPriorityRank is the SQL rank of a task's priority, low (0) to urgent (3), so that ordering
// by priority follows importance rather than the alphabet.
const taskPriorityRank = "CASE t.priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 END"

// TaskList declares the task list's filters, search and ordering (SPEC §5).
var TaskList = &db.ListSpec{
	Filters: []db.Filter{
		{Name: "project", Column: "t.project_id", Kind: db.IDFilter},
		{Name: "status", Column: "t.status", Kind: db.ChoiceFilter, Choices: TaskStatuses},
		{Name: "priority", Column: "t.priority", Kind: db.ChoiceFilter, Choices: TaskPriorities},
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

// taskHours is the computed hours_logged of a task: a correlated scalar subquery answered from
// the index time_entries_task_hours, for the whole page in one statement.
const taskHours = `(SELECT CAST(COALESCE(SUM(te.hours), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.task_id = t.id) AS hours_logged`

// ListTasks lists the firm's tasks (every role reads tasks).
func (s *Service) ListTasks(ctx context.Context, a auth.Actor, p db.ListQuery) ([]TaskView, int64, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, 0, err
	}
	var rows []TaskView
	count, err := p.Window(p.Apply(selectTasks(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// GetTask returns one task of the firm.
func (s *Service) GetTask(ctx context.Context, a auth.Actor, id string) (*TaskView, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, err
	}
	return s.taskView(ctx, s.db.R, a.Firm(), id)
}

// CreateTask adds a task to a project of the firm (owners, admins and managers).
func (s *Service) CreateTask(ctx context.Context, a auth.Actor, ch TaskChanges) (*TaskView, error) {
	if err := auth.CanWrite(a, auth.Projects); err != nil {
		return nil, err
	}
	if err := ch.formatProblems().Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	by := a.UserID
	t := &Task{ID: db.NewID(), FirmID: a.FirmID, Status: TaskTodo, Priority: DefaultTaskPriority, CreatedBy: &by,
		CreatedAt: now, UpdatedAt: now}
	ch.apply(t)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var bad fault.Fields
		if err := s.checkTask(ctx, tx, a, nil, t, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
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

// UpdateTask changes a task: owners, admins and managers any; a consultant a task assigned to
// them or of a project they manage (IsAssignedUserOrReadOnly). For such a consultant the project
// is read-only, and so is the assignee unless they manage the project: both are ignored.
func (s *Service) UpdateTask(ctx context.Context, a auth.Actor, id string, ch TaskChanges) (*TaskView, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.lockTask(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		manager, err := s.projectManagerOf(ctx, tx, a.Firm(), t.ProjectID)
		if err != nil {
			return err
		}
		if err := auth.IsAssignedUserOrReadOnly(a, auth.Projects, deref(t.AssignedTo), manager); err != nil {
			return err
		}
		if auth.CanWrite(a, auth.Projects) != nil {
			ch.Project = nil
			if manager != a.UserID {
				ch.AssignedTo = nil
			}
		}
		if err := ch.formatProblems().Err(); err != nil {
			return err
		}
		old := *t
		ch.apply(t)
		var bad fault.Fields
		if err := s.checkTask(ctx, tx, a, &old, t, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
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

// DeleteTask removes a task without time entries (owners, admins and managers); otherwise 409.
func (s *Service) DeleteTask(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.lockTask(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.Projects); err != nil {
			return err
		}
		logged, err := taskHasTime(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if logged {
			return fault.New(fault.Conflict, MsgTaskInUse)
		}
		_, err = a.Firm().Delete(tx, (*Task)(nil)).Where("t.id = ?", id).Exec(ctx)
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgTaskInUse, err) // an entry logged concurrently
		}
		return err
	})
}

// CheckTaskEditable answers, before the body is read, whether the actor may change the task: 404
// when it is not the firm's, 403 when IsAssignedUserOrReadOnly refuses. The write itself checks
// again in its transaction.
func (s *Service) CheckTaskEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return err
	}
	if !validID(id) {
		return notFound()
	}
	var assigned, manager sql.NullString
	err := a.Firm().Select(s.db.R, (*Task)(nil)).ColumnExpr("t.assigned_to, tp.project_manager_id").
		Join("JOIN projects AS tp ON tp.id = t.project_id").Where("t.id = ?", id).Scan(ctx, &assigned, &manager)
	if err != nil {
		return db.Translate(err)
	}
	return auth.IsAssignedUserOrReadOnly(a, auth.Projects, assigned.String, manager.String)
}

// mayCreateTask lets the roles that write projects create tasks.
func mayCreateTask(_ context.Context, a auth.Actor, _ string) error {
	return auth.CanWrite(a, auth.Projects)
}

// checkTask applies the rules that need the database: a project of the firm (and a task with
// time entries stays in its project), an active assignee of the firm (both checked when set or
// changed), and TaskRules. Messages are added to bad.
func (s *Service) checkTask(ctx context.Context, tx bun.IDB, a auth.Actor, old, t *Task, bad *fault.Fields) error {
	firm := a.Firm()
	if t.ProjectID != "" && (old == nil || old.ProjectID != t.ProjectID) {
		if _, err := s.projectByID(ctx, tx, firm, t.ProjectID); err != nil {
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
	addAll(bad, TaskRules(t))
	return nil
}

// selectTasks starts a firm-scoped task query with the display and computed fields.
func selectTasks(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("t.*").
		Join("LEFT JOIN projects AS tp ON tp.id = t.project_id").
		ColumnExpr("tp.name AS project_name")
	q = auth.WithUserName(q, "ta", "t.assigned_to", "assigned_to_name")
	return q.ColumnExpr(taskHours)
}

// taskView reads one task of the firm with its display and computed fields.
func (s *Service) taskView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*TaskView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(TaskView)
	err := selectTasks(idb, firm, v).Where("t.id = ?", id).Scan(ctx)
	return v, db.Translate(err)
}

// lockTask reads one task of the firm for a change, locking its row until the transaction ends.
func (s *Service) lockTask(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Task, error) {
	if !validID(id) {
		return nil, notFound()
	}
	t := new(Task)
	err := s.db.ForUpdate(firm.Select(tx, t).Where("t.id = ?", id)).Scan(ctx)
	return t, db.Translate(err)
}

// projectManagerOf returns the manager of a project of the firm ("" when it has none).
func (s *Service) projectManagerOf(ctx context.Context, idb bun.IDB, firm db.Firm, projectID string) (string, error) {
	p, err := s.projectByID(ctx, idb, firm, projectID)
	if err != nil {
		return "", err
	}
	return deref(p.ProjectManagerID), nil
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
