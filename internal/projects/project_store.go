package projects

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// ProjectView is a project with its display and computed fields, as lists and details show it.
// The totals come from the project's time entries, summed in SQL for the whole page at once.
type ProjectView struct {
	Project            `bun:",extend"`
	ClientName         *string      `bun:"client_name"`
	ContractNumber     *string      `bun:"contract_number"`
	ProjectManagerName *string      `bun:"project_manager_name"`
	TotalHoursLogged   money.Hours  `bun:"-"`
	BillableHours      money.Hours  `bun:"-"`
	TotalBilledAmount  money.Amount `bun:"-"`
	UnbilledAmount     money.Amount `bun:"-"`
}

// ProjectList declares the project list's filters, search and ordering (SPEC §5).
var ProjectList = &db.ListSpec{
	Filters: []db.Filter{
		{Name: "client", Column: "pr.client_id", Kind: db.IDFilter},
		{Name: "status", Column: "pr.status", Kind: db.ChoiceFilter, Choices: ProjectStatuses},
		{Name: "billing_type", Column: "pr.billing_type", Kind: db.ChoiceFilter, Choices: BillingTypes},
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
}

// projectTotalsSQL sums a page's time entries per project in one grouped pass over the
// covering index time_entries_project_totals. Computing the totals for the page only — after
// ORDER BY and LIMIT have picked it — keeps a list's cost independent of how many projects the
// firm has; the ids come from a firm-scoped query. Hours and amounts are integers.
const projectTotalsSQL = `SELECT te.project_id,
	CAST(COALESCE(SUM(te.hours), 0) AS BIGINT) AS total_hours_logged,
	CAST(COALESCE(SUM(CASE WHEN te.is_billable THEN te.hours ELSE 0 END), 0) AS BIGINT) AS billable_hours,
	CAST(COALESCE(SUM(CASE WHEN te.is_billable THEN te.billed_amount ELSE 0 END), 0) AS BIGINT) AS total_billed_amount,
	CAST(COALESCE(SUM(CASE WHEN te.is_billable AND NOT te.invoiced THEN te.billed_amount ELSE 0 END), 0) AS BIGINT) AS unbilled_amount
FROM time_entries AS te WHERE te.project_id IN (?) GROUP BY te.project_id`

// projectTotals are one project's sums.
type projectTotals struct {
	ProjectID         string       `bun:"project_id"`
	TotalHoursLogged  money.Hours  `bun:"total_hours_logged"`
	BillableHours     money.Hours  `bun:"billable_hours"`
	TotalBilledAmount money.Amount `bun:"total_billed_amount"`
	UnbilledAmount    money.Amount `bun:"unbilled_amount"`
}

// addTotals fills the computed fields of the rows with one query, whatever their number.
func addTotals(ctx context.Context, idb bun.IDB, rows []ProjectView) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var totals []projectTotals
	if err := idb.NewRaw(projectTotalsSQL, bun.List(ids)).Scan(ctx, &totals); err != nil {
		return db.Translate(err)
	}
	byID := make(map[string]projectTotals, len(totals))
	for _, t := range totals {
		byID[t.ProjectID] = t
	}
	for i := range rows {
		t := byID[rows[i].ID]
		rows[i].TotalHoursLogged, rows[i].BillableHours = t.TotalHoursLogged, t.BillableHours
		rows[i].TotalBilledAmount, rows[i].UnbilledAmount = t.TotalBilledAmount, t.UnbilledAmount
	}
	return nil
}

// selectProjects starts a firm-scoped project query with the display and computed fields.
func selectProjects(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("pr.*")
	q = crm.WithClientName(q, "prc", "pr.client_id", "client_name")
	q = crm.WithContractNumber(q, "prk", "pr.contract_id", "contract_number")
	return auth.WithUserName(q, "prm", "pr.project_manager_id", "project_manager_name")
}

func (s *Service) listProjects(ctx context.Context, firm db.Firm, p db.ListQuery) ([]ProjectView, int64, error) {
	var rows []ProjectView
	if err := p.Window(p.Apply(selectProjects(s.db.R, firm, &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	// The count needs no display joins, except the client's when its name is searched: counting
	// a thousand projects through three joins cost more than the page itself.
	cq := p.Where(firm.Select(s.db.R, (*Project)(nil)))
	if p.Searching() {
		cq = crm.WithClientName(cq, "prc", "pr.client_id", "client_name")
	}
	count, err := cq.Count(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	return rows, int64(count), addTotals(ctx, s.db.R, rows)
}

// projectView reads one project of the firm with its display and computed fields.
func (s *Service) projectView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*ProjectView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(ProjectView)
	if err := selectProjects(idb, firm, v).Where("pr.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	rows := []ProjectView{*v}
	if err := addTotals(ctx, idb, rows); err != nil {
		return nil, err
	}
	return &rows[0], nil
}

// lockProject reads one project of the firm for a change, locking its row until the transaction
// ends.
func (s *Service) lockProject(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Project, error) {
	if !validID(id) {
		return nil, notFound()
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
