package projects

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// ProjectView is a project with its display and computed fields, as lists and details show it.
// The totals come from the project's time entries, computed in SQL.
type ProjectView struct {
	Project            `bun:",extend"`
	ClientName         *string      `bun:"client_name"`
	ContractNumber     *string      `bun:"contract_number"`
	ProjectManagerName *string      `bun:"project_manager_name"`
	TotalHoursLogged   money.Hours  `bun:"total_hours_logged"`
	BillableHours      money.Hours  `bun:"billable_hours"`
	TotalBilledAmount  money.Amount `bun:"total_billed_amount"`
	UnbilledAmount     money.Amount `bun:"unbilled_amount"`
}

// ProjectList declares the project list's filters, search and ordering (SPEC §5).
var ProjectList = &api.ListSpec{
	Filters: []api.Filter{
		{Name: "client", Column: "pr.client_id", Kind: api.ID},
		{Name: "status", Column: "pr.status", Kind: api.Choice, Choices: ProjectStatuses},
		{Name: "billing_type", Column: "pr.billing_type", Kind: api.Choice, Choices: BillingTypes},
		{Name: "project_manager", Column: "pr.project_manager_id", Kind: api.ID},
		{Name: "contract", Column: "pr.contract_id", Kind: api.ID},
	},
	Search: []string{"pr.project_code", "pr.name", crm.ClientNameColumn("prc")},
	Ordering: []api.OrderField{
		{Name: "project_code", Column: "lower(pr.project_code)"},
		{Name: "created_at", Column: "pr.created_at"},
		{Name: "start_date", Column: "pr.start_date"},
	},
	Default:   "-created_at",
	UpdatedAt: "pr.updated_at",
	ID:        "pr.id",
}

// projectTotals are the computed columns of a project: one correlated scalar subquery each,
// answered from the covering index time_entries_project_totals, so a page of any size costs the
// same number of statements. Hours and amounts are integers (hundredths, minor units).
const projectTotals = `(SELECT CAST(COALESCE(SUM(te.hours), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.project_id = pr.id) AS total_hours_logged,
(SELECT CAST(COALESCE(SUM(te.hours), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.project_id = pr.id AND te.is_billable = TRUE) AS billable_hours,
(SELECT CAST(COALESCE(SUM(te.billed_amount), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.project_id = pr.id AND te.is_billable = TRUE) AS total_billed_amount,
(SELECT CAST(COALESCE(SUM(te.billed_amount), 0) AS BIGINT) FROM time_entries AS te
	WHERE te.project_id = pr.id AND te.is_billable = TRUE AND te.invoiced = FALSE) AS unbilled_amount`

// selectProjects starts a firm-scoped project query with the display and computed fields.
func selectProjects(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("pr.*")
	q = crm.WithClientName(q, "prc", "pr.client_id", "client_name")
	q = crm.WithContractNumber(q, "prk", "pr.contract_id", "contract_number")
	q = auth.WithUserName(q, "prm", "pr.project_manager_id", "project_manager_name")
	return q.ColumnExpr(projectTotals)
}

func (s *Service) listProjects(ctx context.Context, firm db.Firm, p api.Params) ([]ProjectView, int64, error) {
	var rows []ProjectView
	count, err := p.Window(p.Apply(selectProjects(s.db.R, firm, &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// projectView reads one project of the firm with its display and computed fields.
func (s *Service) projectView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*ProjectView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(ProjectView)
	err := selectProjects(idb, firm, v).Where("pr.id = ?", id).Scan(ctx)
	return v, db.Translate(err)
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
