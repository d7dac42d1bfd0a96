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

// TimeEntry is hours a user logged on a project (and optionally a task) on a date: a row of
// time_entries, with the names of its project, task and user, and its project's manager (the
// policy's).
type TimeEntry struct {
	bun.BaseModel `bun:"table:time_entries,alias:te"`
	db.Deletion
	ID               string       `bun:"id,pk"`
	FirmID           string       `bun:"firm_id"`
	ProjectID        string       `bun:"project_id"`
	TaskID           *string      `bun:"task_id"`
	UserID           string       `bun:"user_id"`
	Date             date.Date    `bun:"date"`
	Hours            money.Hours  `bun:"hours"`
	Description      string       `bun:"description"`
	IsBillable       bool         `bun:"is_billable"`
	HourlyRate       money.Amount `bun:"hourly_rate"`
	Currency         string       `bun:"currency"`
	BilledAmount     money.Amount `bun:"billed_amount"`
	Invoiced         bool         `bun:"invoiced"`
	InvoiceID        *string      `bun:"invoice_id"`
	CreatedAt        time.Time    `bun:"created_at"`
	UpdatedAt        time.Time    `bun:"updated_at"`
	ProjectName      *string      `bun:"project_name,scanonly"`
	TaskTitle        *string      `bun:"task_title,scanonly"`
	UserName         *string      `bun:"user_name,scanonly"`
	ProjectManagerID *string      `bun:"project_manager_id,scanonly"`

	// rateSent is the rate an edit sent (nil: none; "": back to the project's). It is read in
	// the currency of the entry's project, known once the project is (ApplyEntryRate).
	rateSent *money.Decimal
}

// userNameColumn is the SQL expression of the entry's user display name joined by
// selectTimeEntries, for search.
const userNameColumn = "COALESCE(NULLIF(TRIM(teu.first_name || ' ' || teu.last_name), ''), teu.username)"

// timeEntryQuery declares the time entry list's filters, search and ordering (SPEC §5).
func timeEntryQuery() *db.ListSpec {
	return &db.ListSpec{
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
		Tally:     "time_entries",
	}
}

// ListTimeEntries lists the firm's time entries (every role that reads time entries sees them
// all).
func (s *Service) ListTimeEntries(ctx context.Context, a auth.Actor, q db.ListQuery) ([]TimeEntry, int64, error) {
	if err := resource.Check(timeEntryPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []TimeEntry
	if err := q.Window(q.Apply(selectTimeEntries(s.db.R, a.Firm(), &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	// The count joins the display tables only when the search needs their names: counting a
	// million entries through three joins took over a second, the entries alone a fraction.
	cq := q.Where(a.Firm().Select(s.db.R, (*TimeEntry)(nil)))
	if q.Searching() {
		cq = auth.WithUserName(cq.Join("LEFT JOIN projects AS tep ON tep.id = te.project_id"), "teu", "te.user_id", "user_name")
	}
	count, err := q.Count(ctx, s.db.R, a.Firm(), cq)
	if err != nil {
		return nil, 0, err
	}
	return rows, count, nil
}

// EachTimeEntry reads every time entry the list query selects (no page window), one at a time,
// in the list's order, from the reader pool: the CSV and XLSX exports of the list.
func (s *Service) EachTimeEntry(ctx context.Context, a auth.Actor, q db.ListQuery, each func(*TimeEntry) error) error {
	if err := resource.Check(timeEntryPolicy{}, a, resource.List, nil); err != nil {
		return err
	}
	return db.Each(ctx, q.Apply(selectTimeEntries(s.db.R, a.Firm(), (*TimeEntry)(nil))), each)
}

// GetTimeEntry returns one time entry of the firm.
func (s *Service) GetTimeEntry(ctx context.Context, a auth.Actor, id string) (*TimeEntry, error) {
	te, err := s.timeEntryView(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return nil, err
	}
	return te, resource.Check(timeEntryPolicy{}, a, resource.Read, te)
}

// loadTimeEntry reads an entry with its project's manager for the policy check before a
// request's body (resource.Loader).
func (s *Service) loadTimeEntry(ctx context.Context, a auth.Actor, id string) (*TimeEntry, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	te := new(TimeEntry)
	err := a.Firm().Select(s.db.R, te).ColumnExpr("te.*").
		Join("LEFT JOIN projects AS tep ON tep.id = te.project_id").ColumnExpr("tep.project_manager_id").
		Where("te.id = ?", id).Scan(ctx)
	return te, db.Translate(err)
}

// CreateTimeEntry logs time: edit fills in the request. The entry is the caller's unless the
// request names a user the policy lets the caller log for (LogForOthers); the rate defaults to
// the project's, the currency is the project's, and the user's hours on the date may not exceed
// 24 in all. Whether the caller may log time at all is decided by their role alone.
func (s *Service) CreateTimeEntry(ctx context.Context, a auth.Actor, edit func(*TimeEntry) fault.Fields) (*TimeEntry, error) {
	if err := resource.Check(timeEntryPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	te := &TimeEntry{ID: db.NewID(), FirmID: a.FirmID, UserID: a.UserID, IsBillable: true, CreatedAt: now, UpdatedAt: now}
	bad := edit(te)
	if err := mayLogFor(a, a.UserID, te); err != nil {
		return nil, err
	}
	bad.Merge(te.formatProblems())
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkTimeEntry(ctx, tx, a, nil, te, today); err != nil {
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
		// Everything the API shows was in hand inside the transaction: no read-back.
		te.UserName = &a.Name
		return te, nil
	}
	return s.timeEntryView(ctx, s.db.R, a.Firm(), te.ID)
}

// UpdateTimeEntry changes a time entry as edit says, if the policy lets the caller; giving the
// entry to another user is LogForOthers.
func (s *Service) UpdateTimeEntry(ctx context.Context, a auth.Actor, id string, edit func(*TimeEntry) fault.Fields) (*TimeEntry, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		te, err := s.lockTimeEntry(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := resource.Check(timeEntryPolicy{}, a, resource.Update, te); err != nil {
			return err
		}
		old := *te
		bad := edit(te)
		if err := mayLogFor(a, old.UserID, te); err != nil {
			return err
		}
		bad.Merge(te.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.stamp()
		if err := s.checkTimeEntry(ctx, tx, a, &old, te, date.Today(now, a.Location())); err != nil {
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
	return s.timeEntryView(ctx, s.db.R, a.Firm(), id)
}

// DeleteTimeEntry removes a time entry, if the policy lets the caller.
func (s *Service) DeleteTimeEntry(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		te, err := s.lockTimeEntry(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := resource.Check(timeEntryPolicy{}, a, resource.Delete, te); err != nil {
			return err
		}
		err = a.Firm().Remove(ctx, tx, (*TimeEntry)(nil), id, a.UserID, s.stamp())
		return db.Translate(err)
	})
}

// checkTimeEntry applies the rules that need the merged entry, the database or the clock: a
// project, task and user of the firm, the rate and currency from the project, TimeEntryRules,
// the daily total and the billed amount. It holds a lock on the user until the transaction
// ends, so that the daily total still holds at commit. It fills in the names of the entry's
// project and task, which it reads anyway. old is nil on create.
func (s *Service) checkTimeEntry(ctx context.Context, tx bun.Tx, a auth.Actor, old, te *TimeEntry, today date.Date) error {
	var bad fault.Fields
	p, err := s.entryProject(ctx, tx, a, te, &bad)
	if err != nil {
		return err
	}
	task, err := s.entryTask(ctx, tx, a, te, &bad)
	if err != nil {
		return err
	}
	if err := s.checkEntryUser(ctx, tx, a, old, te, &bad); err != nil {
		return err
	}
	if p != nil {
		te.ProjectName = &p.Name
		bad.Merge(ApplyEntryRate(old, te, p, te.rateSent))
	}
	taskProject := ""
	te.TaskTitle = nil
	if task != nil {
		taskProject, te.TaskTitle = task.ProjectID, &task.Title
	}
	bad.Merge(TimeEntryRules(old, te, taskProject, today))
	if !bad.Has("user") && !bad.Has("date") && !bad.Has("hours") {
		others, err := s.dayHours(ctx, tx, a.Firm(), te)
		if err != nil {
			return err
		}
		bad.Merge(DayTotalRule(others, te.Hours))
	}
	if err := bad.Err(); err != nil {
		return err
	}
	te.BilledAmount, err = EntryBilledAmount(te.Hours, te.HourlyRate, te.IsBillable)
	if err != nil {
		return fault.Field("hourly_rate", err.Error())
	}
	return nil
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
	p, err := s.project(ctx, tx, a.Firm(), te.ProjectID)
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
	t, err := s.task(ctx, tx, a.Firm(), *te.TaskID)
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

// timeEntryView reads one time entry of the firm with its display fields.
func (s *Service) timeEntryView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*TimeEntry, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	te := new(TimeEntry)
	if err := selectTimeEntries(idb, firm, te).Where("te.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return te, nil
}

// lockTimeEntry reads one time entry of the firm for a change, locking its row until the
// transaction ends, so that a concurrent invoicing (which locks it too) and this change apply
// one after the other. When the policy needs it, the manager of the entry's project is read
// too, apart: locking through a join would lock the project as well.
func (s *Service) lockTimeEntry(ctx context.Context, tx bun.Tx, a auth.Actor, id string) (*TimeEntry, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	te := new(TimeEntry)
	if err := s.db.ForUpdate(a.Firm().Select(tx, te).Where("te.id = ?", id)).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if (timeEntryPolicy{}).needsManager(a, te) {
		p, err := s.project(ctx, tx, a.Firm(), te.ProjectID)
		if err != nil {
			return nil, err
		}
		te.ProjectManagerID = p.ProjectManagerID
	}
	return te, nil
}
