package projects

import (
	"context"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// Project is a piece of work for a client, optionally under a contract: a row of projects, with
// the names of its client, contract and manager, and the totals of its time entries (kept in
// project_totals, see withTotals).
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:pr"`
	db.Deletion
	ID                   string        `bun:"id,pk"`
	FirmID               string        `bun:"firm_id"`
	ClientID             string        `bun:"client_id"`
	ContractID           *string       `bun:"contract_id"`
	ProjectManagerID     *string       `bun:"project_manager_id"`
	ProjectCode          string        `bun:"project_code"`
	Name                 string        `bun:"name"`
	Description          string        `bun:"description"`
	Status               ProjectStatus `bun:"status"`
	BillingType          BillingType   `bun:"billing_type"`
	Budget               *money.Amount `bun:"budget"`
	HourlyRate           *money.Amount `bun:"hourly_rate"`
	Currency             string        `bun:"currency"`
	StartDate            date.Date     `bun:"start_date"`
	EndDate              date.Date     `bun:"end_date"`
	ActualCompletionDate date.Date     `bun:"actual_completion_date,nullzero"`
	Notes                string        `bun:"notes"`
	CreatedBy            *string       `bun:"created_by"`
	CreatedAt            time.Time     `bun:"created_at"`
	UpdatedAt            time.Time     `bun:"updated_at"`
	ClientName           *string       `bun:"client_name,scanonly"`
	ContractNumber       *string       `bun:"contract_number,scanonly"`
	ProjectManagerName   *string       `bun:"project_manager_name,scanonly"`
	TotalHoursLogged     money.Hours   `bun:"total_hours_logged,scanonly"`
	BillableHours        money.Hours   `bun:"billable_hours,scanonly"`
	TotalBilledAmount    money.Amount  `bun:"total_billed_amount,scanonly"`
	UnbilledAmount       money.Amount  `bun:"unbilled_amount,scanonly"`
}

// projectQuery declares the project list's filters, search and ordering (SPEC §5).
func projectQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "client", Column: "pr.client_id", Kind: db.IDFilter},
			{Name: "status", Column: "pr.status", Kind: db.ChoiceFilter, Choices: db.Choices(projectStatuses())},
			{Name: "billing_type", Column: "pr.billing_type", Kind: db.ChoiceFilter, Choices: db.Choices(billingTypes())},
			{Name: "project_manager", Column: "pr.project_manager_id", Kind: db.IDFilter},
			{Name: "contract", Column: "pr.contract_id", Kind: db.IDFilter},
		},
		Search: []string{"pr.project_code", "pr.name", crm.ClientNameColumn("prc")},
		Ordering: []db.OrderField{
			{Name: "project_code", Column: "lower(pr.project_code)"},
			{Name: "created_at", Column: "pr.created_at"},
			{Name: "start_date", Column: "pr.start_date"},
		},
		Default:   "-created_at",
		UpdatedAt: "pr.updated_at",
		ID:        "pr.id",
		Tally:     "projects",
	}
}

// maxCodeAttempts bounds the search for a free PRJ-YYYY-NNN code, past codes a firm typed in
// by hand.
const maxCodeAttempts = 1000

// ListProjects lists the firm's projects with their totals: the page (totals joined from
// project_totals) and its count (from row_counts when nothing narrows the list).
func (s *Service) ListProjects(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Project, int64, error) {
	if err := resource.Check(projectPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	firm := a.Firm()
	var rows []Project
	if err := q.Window(q.Apply(selectProjects(s.db.R, firm, &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	// The count needs no display joins, except the client's when its name is searched: counting
	// a thousand projects through three joins cost more than the page itself.
	cq := q.Where(firm.Select(s.db.R, (*Project)(nil)))
	if q.Searching() {
		cq = crm.WithClientName(cq, "prc", "pr.client_id", "client_name")
	}
	count, err := q.Count(ctx, s.db.R, firm, cq)
	if err != nil {
		return nil, 0, err
	}
	return rows, count, nil
}

// GetProject returns one project of the firm with its totals.
func (s *Service) GetProject(ctx context.Context, a auth.Actor, id string) (*Project, error) {
	p, err := s.projectView(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return nil, err
	}
	return p, resource.Check(projectPolicy{}, a, resource.Read, p)
}

// loadProject reads a project for the policy check before a request's body (resource.Loader).
func (s *Service) loadProject(ctx context.Context, a auth.Actor, id string) (*Project, error) {
	return s.project(ctx, s.db.R, a.Firm(), id)
}

// CreateProject adds a project: edit fills in the request. The currency defaults to the firm's;
// without a project_code the project is given PRJ-YYYY-NNN, the year of the firm's today.
func (s *Service) CreateProject(ctx context.Context, a auth.Actor, edit func(*Project) fault.Fields) (*Project, error) {
	if err := resource.Check(projectPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	by := a.UserID
	p := &Project{ID: db.NewID(), FirmID: a.FirmID, Status: ProjectPlanning, BillingType: DefaultBillingType,
		Currency: money.CurrencyOf(a.Currency).Code, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	bad := edit(p)
	bad.Merge(p.formatProblems())
	if err := bad.Err(); err != nil {
		return nil, err
	}
	StampProject(nil, p, today)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkProject(ctx, tx, a, nil, p); err != nil {
			return err
		}
		if p.ProjectCode == "" {
			if err := s.assignProjectCode(ctx, tx, a, p, today); err != nil {
				return err
			}
		}
		_, err := tx.NewInsert().Model(p).Exec(ctx)
		return db.OnUnique(db.Translate(err), "project_code", MsgProjectCodeTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.projectView(ctx, s.db.R, a.Firm(), p.ID)
}

// UpdateProject changes a project as edit says, if the policy lets the caller. The rules apply
// to the effective values; completing stamps actual_completion_date, reopening clears it.
func (s *Service) UpdateProject(ctx context.Context, a auth.Actor, id string, edit func(*Project) fault.Fields) (*Project, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProject(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(projectPolicy{}, a, resource.Update, p); err != nil {
			return err
		}
		old := *p
		bad := edit(p)
		bad.Merge(p.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		now := s.stamp()
		StampProject(&old, p, date.Today(now, a.Location()))
		if err := s.checkProject(ctx, tx, a, &old, p); err != nil {
			return err
		}
		p.UpdatedAt = now
		_, err = a.Firm().Update(tx, p).WherePK().Exec(ctx)
		return db.OnUnique(db.Translate(err), "project_code", MsgProjectCodeTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.projectView(ctx, s.db.R, a.Firm(), id)
}

// DeleteProject removes a project that has no tasks and no time entries; otherwise 409.
func (s *Service) DeleteProject(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProject(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(projectPolicy{}, a, resource.Delete, p); err != nil {
			return err
		}
		for _, used := range []func(context.Context, bun.IDB, db.Firm, string) (bool, error){projectHasTasks, projectHasTime} {
			inUse, err := used(ctx, tx, a.Firm(), id)
			if err != nil {
				return err
			}
			if inUse {
				return fault.New(fault.Conflict, MsgProjectInUse)
			}
		}
		err = a.Firm().Remove(ctx, tx, (*Project)(nil), id, a.UserID, s.stamp())
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			// A task, entry or invoice added concurrently (or a later module's record).
			return fault.Wrap(fault.Conflict, MsgProjectInUse, err)
		}
		return err
	})
}

// checkProject applies the rules that need the merged project or the database: a code (on
// update; a new project is given one), a client, contract and project manager of the firm
// (checked when set or changed), the contract of the same client, a unique code, a currency
// that stays put once time is logged, and ProjectRules. old is nil on create.
func (s *Service) checkProject(ctx context.Context, tx bun.IDB, a auth.Actor, old, p *Project) error {
	firm := a.Firm()
	var bad fault.Fields
	if old != nil && p.ProjectCode == "" {
		bad.Add("project_code", validate.MsgRequired)
	}
	if p.ClientID != "" && (old == nil || old.ClientID != p.ClientID) {
		ok, err := s.clients.ClientExists(ctx, tx, firm, p.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgProjectClientUnknown)
		}
	}
	var contractClient string
	if p.ContractID != nil {
		client, ok, err := s.clients.ContractClient(ctx, tx, firm, *p.ContractID)
		switch {
		case err != nil:
			return err
		case !ok:
			bad.Add("contract", MsgProjectContract)
		default:
			contractClient = client
		}
	}
	if m := p.ProjectManagerID; m != nil && (old == nil || deref(old.ProjectManagerID) != *m) {
		ok, err := s.members.IsMember(ctx, tx, firm, *m)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("project_manager", MsgProjectManagerUnknown)
		}
	}
	if p.ProjectCode != "" {
		taken, err := projectCodeTaken(ctx, tx, firm, p.ProjectCode, p.ID)
		if err != nil {
			return err
		}
		if taken {
			bad.Add("project_code", MsgProjectCodeTaken)
		}
	}
	if old != nil && old.Currency != p.Currency {
		logged, err := projectHasTime(ctx, tx, firm, p.ID)
		if err != nil {
			return err
		}
		if logged {
			bad.Add("currency", MsgProjectCurrencyLocked)
		}
	}
	bad.Merge(ProjectRules(p, contractClient))
	return bad.Err()
}

// assignProjectCode gives p the next free PRJ-YYYY-NNN code of the firm, inside the caller's
// transaction (numbers a firm typed in by hand are skipped).
func (s *Service) assignProjectCode(ctx context.Context, tx bun.Tx, a auth.Actor, p *Project, today date.Date) error {
	year := today.Year()
	for range maxCodeAttempts {
		n, err := db.NextNumber(ctx, tx, a.FirmID, "project", year)
		if err != nil {
			return err
		}
		code := db.FormatNumber(ProjectCodePrefix, year, n)
		taken, err := projectCodeTaken(ctx, tx, a.Firm(), code, "")
		if err != nil {
			return err
		}
		if !taken {
			p.ProjectCode = code
			return nil
		}
	}
	return fault.New(fault.Conflict, MsgProjectCodeTaken)
}

// selectProjects starts a firm-scoped project query with the display fields.
func selectProjects(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("pr.*")
	q = crm.WithClientName(q, "prc", "pr.client_id", "client_name")
	q = crm.WithContractNumber(q, "prk", "pr.contract_id", "contract_number")
	q = auth.WithUserName(q, "prm", "pr.project_manager_id", "project_manager_name")
	return withTotals(q)
}

// withTotals adds the project's time totals, which triggers keep in project_totals in every
// time entry's own transaction (migration 00016): a page reads one row per project instead of
// summing its entries. A project without live time has no row, hence zeros.
func withTotals(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Join("LEFT JOIN project_totals AS prt ON prt.project_id = pr.id").
		ColumnExpr("COALESCE(prt.hours, 0) AS total_hours_logged").
		ColumnExpr("COALESCE(prt.billable_hours, 0) AS billable_hours").
		ColumnExpr("COALESCE(prt.billed_amount, 0) AS total_billed_amount").
		ColumnExpr("COALESCE(prt.unbilled_amount, 0) AS unbilled_amount")
}

// projectView reads one project of the firm with its display and computed fields.
func (s *Service) projectView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Project, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Project)
	if err := selectProjects(idb, firm, p).Where("pr.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return p, nil
}

// project reads one project of the firm (its row alone); NotFound for another firm's or an
// unknown id.
func (s *Service) project(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Project, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Project)
	err := firm.Select(idb, p).Where("pr.id = ?", id).Scan(ctx)
	return p, db.Translate(err)
}

// lockProject reads one project of the firm for a change, locking its row until the transaction
// ends.
func (s *Service) lockProject(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Project, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Project)
	err := s.db.ForUpdate(firm.Select(tx, p).Where("pr.id = ?", id)).Scan(ctx)
	return p, db.Translate(err)
}

// projectCodeTaken reports whether another project of the firm has this code, ignoring case.
func projectCodeTaken(ctx context.Context, idb bun.IDB, firm db.Firm, code, exceptID string) (bool, error) {
	q := firm.Select(idb, (*Project)(nil)).Where("lower(pr.project_code) = ?", strings.ToLower(code))
	if exceptID != "" {
		q = q.Where("pr.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

// projectHasTasks reports whether tasks belong to the project.
func projectHasTasks(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	ok, err := firm.Select(idb, (*Task)(nil)).Where("t.project_id = ?", id).Exists(ctx)
	return ok, db.Translate(err)
}

// projectHasTime reports whether time is logged on the project.
func projectHasTime(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	ok, err := firm.Select(idb, (*TimeEntry)(nil)).Where("te.project_id = ?", id).Exists(ctx)
	return ok, db.Translate(err)
}
