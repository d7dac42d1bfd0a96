package projects

import (
	"math/big"
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// ProjectStatus is a stage of a project. SPEC §5 sets no state machine: any status may follow
// any other; only completing and reopening have effects (StampProject).
type ProjectStatus string

// The project statuses (SPEC §5).
const (
	ProjectPlanning   ProjectStatus = "planning"
	ProjectInProgress ProjectStatus = "in_progress"
	ProjectOnHold     ProjectStatus = "on_hold"
	ProjectCompleted  ProjectStatus = "completed"
	ProjectCancelled  ProjectStatus = "cancelled"
)

// projectStatuses lists the statuses in their usual order (validation, filters, OpenAPI).
func projectStatuses() []ProjectStatus {
	return []ProjectStatus{ProjectPlanning, ProjectInProgress, ProjectOnHold, ProjectCompleted, ProjectCancelled}
}

// BillingType is how a project is billed.
type BillingType string

// The billing types (SPEC §5).
const (
	BillingFixedPrice       BillingType = "fixed_price"
	BillingTimeAndMaterials BillingType = "time_and_materials"
	BillingRetainer         BillingType = "retainer"
	BillingNonBillable      BillingType = "non_billable"
)

// billingTypes lists the billing types (validation, filters, OpenAPI).
func billingTypes() []BillingType {
	return []BillingType{BillingFixedPrice, BillingTimeAndMaterials, BillingRetainer, BillingNonBillable}
}

// DefaultBillingType is a new project's billing type unless the request names another.
const DefaultBillingType = BillingTimeAndMaterials

// ProjectCodePrefix starts the codes the server assigns (PRJ-YYYY-NNN).
const ProjectCodePrefix = "PRJ"

// Project messages (SPEC §5, exact where the SPEC gives them).
const (
	MsgProjectEndBeforeStart = "End date must be after start date"
	MsgProjectContractClient = "Contract must belong to the same client as the project"
	MsgProjectCompletion     = "Completion date cannot be before start date"
	MsgProjectBudget         = "Budget must be greater than 0"
	MsgProjectHourlyRate     = "Hourly rate must be greater than 0"
	MsgProjectClientUnknown  = "Select a valid client."
	MsgProjectContract       = "Select a valid contract."
	MsgProjectManagerUnknown = "Select a user of your firm."
	MsgProjectCodeTaken      = "A project with this code already exists."
	MsgProjectInUse          = "This project has tasks or time entries and cannot be deleted."
	MsgProjectCurrencyLocked = "The currency cannot change once time has been logged on the project."
)

// projectPolicy decides who may do what to projects (SPEC §1's Projects area): every role that
// reads projects reads them; owners, admins and managers create, change and delete them. Update
// and delete ask only for read access before the project is read, so that another firm's or an
// unknown project answers 404 rather than 403.
type projectPolicy struct{}

func (projectPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Projects)
	}
	return auth.CanRead(a, auth.Projects)
}

func (projectPolicy) AllowOn(a auth.Actor, act resource.Action, _ *Project) error {
	if act == resource.Read {
		return nil
	}
	return auth.CanWrite(a, auth.Projects)
}

// formatProblems checks the fields of a merged project that have a format. The rules that need
// every field or the database are checked after (ProjectRules, checkProject), so that format
// messages come first and alone.
func (p *Project) formatProblems() fault.Fields {
	var f fault.Fields
	if p.ClientID != "" && badID(&p.ClientID) {
		f.Add("client", MsgProjectClientUnknown)
	}
	if badID(p.ContractID) {
		f.Add("contract", MsgProjectContract)
	}
	if badID(p.ProjectManagerID) {
		f.Add("project_manager", MsgProjectManagerUnknown)
	}
	if !slices.Contains(projectStatuses(), p.Status) {
		f.Add("status", validate.ChoiceMessage(p.Status))
	}
	if !slices.Contains(billingTypes(), p.BillingType) {
		f.Add("billing_type", validate.ChoiceMessage(p.BillingType))
	}
	return f
}

// ProjectRules checks a merged project against SPEC §5's rules, on its effective values.
// contractClient is the client of the linked contract ("" when there is none).
func ProjectRules(p *Project, contractClient string) fault.Fields {
	var f fault.Fields
	for field, v := range map[string]string{"client": p.ClientID, "name": p.Name,
		"start_date": string(p.StartDate), "end_date": string(p.EndDate)} {
		if v == "" {
			f.Add(field, validate.MsgRequired)
		}
	}
	if p.Budget != nil && *p.Budget <= 0 {
		f.Add("budget", MsgProjectBudget)
	}
	if p.HourlyRate != nil && *p.HourlyRate <= 0 {
		f.Add("hourly_rate", MsgProjectHourlyRate)
	}
	if !p.StartDate.IsZero() && !p.EndDate.IsZero() && !p.EndDate.After(p.StartDate) {
		f.Add("end_date", MsgProjectEndBeforeStart)
	}
	if p.ContractID != nil && contractClient != "" && contractClient != p.ClientID {
		f.Add("contract", MsgProjectContractClient)
	}
	if !p.ActualCompletionDate.IsZero() && !p.StartDate.IsZero() && p.ActualCompletionDate.Before(p.StartDate) {
		f.Add("actual_completion_date", MsgProjectCompletion)
	}
	return f
}

// StampProject applies SPEC §5's completion rule: a completed project without a completion date
// is completed today (the firm's); a project leaving completed (compared with old, nil on create)
// loses its completion date.
func StampProject(old, p *Project, today date.Date) {
	switch {
	case p.Status == ProjectCompleted && p.ActualCompletionDate.IsZero():
		p.ActualCompletionDate = today
	case p.Status != ProjectCompleted && old != nil && old.Status == ProjectCompleted:
		p.ActualCompletionDate = ""
	}
}

// BudgetUsedPercent is total_billed_amount / budget × 100, rounded half away from zero to two
// decimals ("12.50"); nil without a (positive) budget. Exact: no floating point.
func BudgetUsedPercent(billed money.Amount, budget *money.Amount) *string {
	if budget == nil || *budget <= 0 {
		return nil
	}
	num := new(big.Int).Mul(big.NewInt(int64(billed)), big.NewInt(100))
	s := new(big.Rat).SetFrac(num, big.NewInt(int64(*budget))).FloatString(2)
	return &s
}
