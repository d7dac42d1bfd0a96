package projects

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// TimeEntryView is a time entry with its display fields, as lists and details show it.
type TimeEntryView struct {
	TimeEntry   `bun:",extend"`
	ProjectName *string `bun:"project_name"`
	TaskTitle   *string `bun:"task_title"`
	UserName    *string `bun:"user_name"`
}

// userNameColumn is the SQL expression of the entry's user display name joined by
// selectTimeEntries, for search.
const userNameColumn = "COALESCE(NULLIF(TRIM(teu.first_name || ' ' || teu.last_name), ''), teu.username)"

// TimeEntryList declares the time entry list's filters, search and ordering (SPEC §5).
var TimeEntryList = &db.ListSpec{
	Filters: append([]db.Filter{
		{Name: "project", Column: "te.project_id", Kind: db.IDFilter},
		{Name: "user", Column: "te.user_id", Kind: db.IDFilter},
		{Name: "task", Column: "te.task_id", Kind: db.IDFilter},
		{Name: "is_billable", Column: "te.is_billable", Kind: db.BoolFilter},
		{Name: "invoiced", Column: "te.invoiced", Kind: db.BoolFilter},
		{Name: "date", Column: "te.date", Kind: db.DateFilter, Doc: "On this date (YYYY-MM-DD)."},
	}, db.DateRange("date", "te.date")...),
	Search: []string{"te.description", "tep.name", userNameColumn},
	Ordering: []db.OrderField{
		{Name: "date", Column: "te.date"},
		{Name: "created_at", Column: "te.created_at"},
	},
	Default:   "-date,-created_at",
	UpdatedAt: "te.updated_at",
	ID:        "te.id",
}

// ListTimeEntries lists the firm's time entries (every role that reads time entries sees them
// all).
func (s *Service) ListTimeEntries(ctx context.Context, a auth.Actor, p db.ListQuery) ([]TimeEntryView, int64, error) {
	if err := auth.CanRead(a, auth.TimeEntries); err != nil {
		return nil, 0, err
	}
	var rows []TimeEntryView
	if err := p.Window(p.Apply(selectTimeEntries(s.db.R, a.Firm(), &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	// The count joins the display tables only when the search needs their names: counting a
	// million entries through three joins took over a second, the entries alone a fraction.
	cq := p.Where(a.Firm().Select(s.db.R, (*TimeEntry)(nil)))
	if p.Searching() {
		cq = auth.WithUserName(cq.Join("LEFT JOIN projects AS tep ON tep.id = te.project_id"), "teu", "te.user_id", "user_name")
	}
	count, err := cq.Count(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	return rows, int64(count), nil
}

// GetTimeEntry returns one time entry of the firm.
func (s *Service) GetTimeEntry(ctx context.Context, a auth.Actor, id string) (*TimeEntryView, error) {
	if err := auth.CanRead(a, auth.TimeEntries); err != nil {
		return nil, err
	}
	return s.timeEntryView(ctx, s.db.R, a, id)
}

// CreateTimeEntry logs time: for the caller, or — for owners, admins and managers — for the
// user the request names. The rate defaults to the project's, the currency is the project's,
// and the user's hours on the date may not exceed 24 in all.
func (s *Service) CreateTimeEntry(ctx context.Context, a auth.Actor, ch TimeEntryChanges) (*TimeEntryView, error) {
	if err := MayLogTime(a); err != nil {
		return nil, err
	}
	if err := mayLogFor(a, a.UserID, ch.User); err != nil {
		return nil, err
	}
	if err := ch.formatProblems().Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	te := &TimeEntry{ID: db.NewID(), FirmID: a.FirmID, UserID: a.UserID, IsBillable: true, CreatedAt: now, UpdatedAt: now}
	ch.apply(te)
	var names entryNames
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if names, err = s.checkTimeEntry(ctx, tx, a, nil, te, ch.HourlyRate, today); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(te).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		return s.recheckEntryRefs(ctx, tx, a, nil, te)
	})
	if err != nil {
		return nil, err
	}
	if te.UserID == a.UserID {
		// Everything the view shows was in hand inside the transaction: no read-back.
		return &TimeEntryView{TimeEntry: *te, ProjectName: &names.project, TaskTitle: names.task, UserName: &a.Name}, nil
	}
	return s.timeEntryView(ctx, s.db.R, a, te.ID)
}

// UpdateTimeEntry changes a time entry: owners, admins and managers any, a consultant their own
// entries and those of projects they manage (IsAssignedUserOrReadOnly). An invoiced entry cannot
// change (CannotModifyInvoicedItems), and only owners, admins and managers may give an entry to
// another user.
func (s *Service) UpdateTimeEntry(ctx context.Context, a auth.Actor, id string, ch TimeEntryChanges) (*TimeEntryView, error) {
	if err := auth.CanRead(a, auth.TimeEntries); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		te, err := s.lockTimeEntry(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.checkEntryEditable(ctx, tx, a, te); err != nil {
			return err
		}
		if err := mayLogFor(a, te.UserID, ch.User); err != nil {
			return err
		}
		if err := ch.formatProblems().Err(); err != nil {
			return err
		}
		old := *te
		ch.apply(te)
		now := s.stamp()
		if _, err := s.checkTimeEntry(ctx, tx, a, &old, te, ch.HourlyRate, date.Today(now, a.Location())); err != nil {
			return err
		}
		te.UpdatedAt = now
		// invoiced and invoice_id belong to the finance module: an update never writes them.
		_, err = a.Firm().Update(tx, te).WherePK().ExcludeColumn("id", "firm_id", "invoiced", "invoice_id", "created_at").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		return s.recheckEntryRefs(ctx, tx, a, &old, te)
	})
	if err != nil {
		return nil, err
	}
	return s.timeEntryView(ctx, s.db.R, a, id)
}

// DeleteTimeEntry removes a time entry that is not invoiced; who may is as for UpdateTimeEntry.
func (s *Service) DeleteTimeEntry(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.TimeEntries); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		te, err := s.lockTimeEntry(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.checkEntryEditable(ctx, tx, a, te); err != nil {
			return err
		}
		_, err = a.Firm().Delete(tx, (*TimeEntry)(nil)).Where("te.id = ?", id).Exec(ctx)
		return db.Translate(err)
	})
}

// CheckTimeEntryEditable answers whether the actor may change or delete the entry, before
// anything is read from the request: not found (404) when it is not the firm's, forbidden (403)
// when the role or IsAssignedUserOrReadOnly refuses, and 400 when it is invoiced. The write
// itself checks again in its transaction.
func (s *Service) CheckTimeEntryEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.TimeEntries); err != nil {
		return err
	}
	if !validID(id) {
		return notFound()
	}
	te := new(TimeEntry)
	err := a.Firm().Select(s.db.R, te).Column("user_id", "project_id", "invoiced").Where("te.id = ?", id).Scan(ctx)
	if err != nil {
		return db.Translate(err)
	}
	return s.checkEntryEditable(ctx, s.db.R, a, te)
}

// MayLogTime lets the roles that write time entries, and consultants (for themselves), log time.
func MayLogTime(a auth.Actor) error {
	return auth.IsAssignedUserOrReadOnly(a, auth.TimeEntries, a.UserID, "")
}

// mayLogFor refuses a user field that names someone other than current (the caller on create,
// the entry's user on update) unless the caller writes every time entry (SPEC §1: a manager may
// log time for a consultant; a consultant only for themselves).
func mayLogFor(a auth.Actor, current string, user *string) error {
	if user == nil || strings.TrimSpace(*user) == current || auth.CanWrite(a, auth.TimeEntries) == nil {
		return nil
	}
	return fault.New(fault.Forbidden, MsgLogForOthers)
}

// checkEntryEditable applies the object rules of a change to te: its user or its project's
// manager (IsAssignedUserOrReadOnly), then CannotModifyInvoicedItems, which binds admins too.
func (s *Service) checkEntryEditable(ctx context.Context, idb bun.IDB, a auth.Actor, te *TimeEntry) error {
	var manager string
	if auth.CanWrite(a, auth.TimeEntries) != nil {
		p, err := s.projectByID(ctx, idb, a.Firm(), te.ProjectID)
		if err != nil {
			return err
		}
		manager = deref(p.ProjectManagerID)
	}
	if err := auth.IsAssignedUserOrReadOnly(a, auth.TimeEntries, te.UserID, manager); err != nil {
		return err
	}
	return auth.CannotModifyInvoicedItems(te.Invoiced)
}

// checkTimeEntry applies the rules that need the merged entry, the database or the clock: a
// project, task and user of the firm, the rate and currency from the project, TimeEntryRules,
// the daily total and the billed amount. It holds a lock on the user until the transaction
// ends, so that the daily total still holds at commit. It returns the names of the entry's
// project and task, which it read anyway.
func (s *Service) checkTimeEntry(ctx context.Context, tx bun.Tx, a auth.Actor, old, te *TimeEntry, rate *money.Decimal, today date.Date) (entryNames, error) {
	var bad fault.Fields
	var names entryNames
	p, err := s.entryProject(ctx, tx, a, te, &bad)
	if err != nil {
		return names, err
	}
	task, err := s.entryTask(ctx, tx, a, te, &bad)
	if err != nil {
		return names, err
	}
	if err := s.checkEntryUser(ctx, tx, a, old, te, &bad); err != nil {
		return names, err
	}
	if p != nil {
		names.project = p.Name
		addAll(&bad, ApplyEntryRate(old, te, p, rate))
	}
	taskProject := ""
	if task != nil {
		taskProject, names.task = task.ProjectID, &task.Title
	}
	addAll(&bad, TimeEntryRules(old, te, taskProject, today))
	if !bad.Has("user") && !bad.Has("date") && !bad.Has("hours") {
		others, err := s.dayHours(ctx, tx, a.Firm(), te)
		if err != nil {
			return names, err
		}
		addAll(&bad, DayTotalRule(others, te.Hours))
	}
	if err := bad.Err(); err != nil {
		return names, err
	}
	te.BilledAmount, err = EntryBilledAmount(te.Hours, te.HourlyRate, te.IsBillable)
	if err != nil {
		return names, fault.Field("hourly_rate", err.Error())
	}
	return names, nil
}

// entryNames are the display names of a time entry's project and task (nil without one).
type entryNames struct {
	project string
	task    *string
}

// recheckEntryRefs runs after the write when the entry took a new project or task. Writing the
// reference waited for any transaction holding that row; one that changed the project's currency
// or moved the task to another project (having seen no time on it) has committed by now, and a
// fresh read shows whether the entry still fits. When it does not, the write conflicts (409) and
// rolls back. On SQLite the single writer already rules this out, so nothing is read again.
func (s *Service) recheckEntryRefs(ctx context.Context, tx bun.Tx, a auth.Actor, old, te *TimeEntry) error {
	if s.db.SerialWrites() {
		return nil
	}
	newProject := old == nil || old.ProjectID != te.ProjectID
	if newProject {
		var cur string
		err := a.Firm().Select(tx, (*Project)(nil)).Column("pr.currency").Where("pr.id = ?", te.ProjectID).Scan(ctx, &cur)
		if err != nil {
			return db.Translate(err)
		}
		if cur != te.Currency {
			return fault.New(fault.Conflict, db.MsgConcurrent)
		}
	}
	if te.TaskID != nil && (newProject || deref(old.TaskID) != *te.TaskID) {
		var project string
		err := a.Firm().Select(tx, (*Task)(nil)).Column("t.project_id").Where("t.id = ?", *te.TaskID).Scan(ctx, &project)
		if err != nil {
			return db.Translate(err)
		}
		if project != te.ProjectID {
			return fault.New(fault.Conflict, db.MsgConcurrent)
		}
	}
	return nil
}

// entryProject loads the entry's project, reporting an unknown one on project.
func (s *Service) entryProject(ctx context.Context, tx bun.IDB, a auth.Actor, te *TimeEntry, bad *fault.Fields) (*Project, error) {
	if te.ProjectID == "" {
		return nil, nil
	}
	p, err := s.projectByID(ctx, tx, a.Firm(), te.ProjectID)
	switch {
	case db.IsNotFound(err):
		bad.Add("project", MsgEntryProject)
		return nil, nil
	case err != nil:
		return nil, err
	}
	return p, nil
}

// entryTask loads the entry's task (nil without one), reporting an unknown task on task.
func (s *Service) entryTask(ctx context.Context, tx bun.IDB, a auth.Actor, te *TimeEntry, bad *fault.Fields) (*Task, error) {
	if te.TaskID == nil {
		return nil, nil
	}
	t, err := s.taskByID(ctx, tx, a.Firm(), *te.TaskID)
	switch {
	case db.IsNotFound(err):
		bad.Add("task", MsgEntryTask)
		return nil, nil
	case err != nil:
		return nil, err
	}
	return t, nil
}

// checkEntryUser requires a new or changed user (other than the caller) to be an active user of
// the firm.
func (s *Service) checkEntryUser(ctx context.Context, tx bun.IDB, a auth.Actor, old, te *TimeEntry, bad *fault.Fields) error {
	if te.UserID == "" || te.UserID == a.UserID || old != nil && old.UserID == te.UserID {
		return nil
	}
	ok, err := s.members.IsMember(ctx, tx, a.Firm(), te.UserID)
	if err != nil {
		return err
	}
	if !ok {
		bad.Add("user", MsgEntryUser)
	}
	return nil
}

// dayHours locks the entry's user and returns the hours of their other entries on the entry's
// date. The lock is on the user's row, not on the day's entries: locking rows that exist would
// not stop two concurrent first entries of a day from both passing the total. On SQLite the
// single writer already serialises the transactions (see db.ForUpdate).
func (s *Service) dayHours(ctx context.Context, tx bun.Tx, firm db.Firm, te *TimeEntry) (money.Hours, error) {
	if err := s.members.LockMember(ctx, tx, firm, te.UserID); err != nil {
		return 0, err
	}
	var sum int64
	err := firm.Select(tx, (*TimeEntry)(nil)).ColumnExpr("COALESCE(SUM(te.hours), 0)").
		Where("te.user_id = ? AND te.date = ? AND te.id <> ?", te.UserID, te.Date, te.ID).Scan(ctx, &sum)
	return money.Hours(sum), db.Translate(err)
}

// selectTimeEntries starts a firm-scoped time entry query with the display fields.
func selectTimeEntries(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("te.*").
		Join("LEFT JOIN projects AS tep ON tep.id = te.project_id").
		ColumnExpr("tep.name AS project_name").
		Join("LEFT JOIN tasks AS tet ON tet.id = te.task_id").
		ColumnExpr("tet.title AS task_title")
	return auth.WithUserName(q, "teu", "te.user_id", "user_name")
}

// timeEntryView reads one time entry of the actor's firm with its display fields.
func (s *Service) timeEntryView(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*TimeEntryView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(TimeEntryView)
	if err := selectTimeEntries(idb, a.Firm(), v).Where("te.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return v, nil
}

// lockTimeEntry reads one time entry of the firm for a change, locking its row until the
// transaction ends, so that a concurrent invoicing (which locks it too) and this change apply
// one after the other.
func (s *Service) lockTimeEntry(ctx context.Context, tx bun.Tx, a auth.Actor, id string) (*TimeEntry, error) {
	if !validID(id) {
		return nil, notFound()
	}
	te := new(TimeEntry)
	err := s.db.ForUpdate(a.Firm().Select(tx, te).Where("te.id = ?", id)).Scan(ctx)
	return te, db.Translate(err)
}
