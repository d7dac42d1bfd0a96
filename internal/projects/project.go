package projects

import (
	"math/big"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Project statuses (SPEC §5).
const (
	ProjectPlanning   = "planning"
	ProjectInProgress = "in_progress"
	ProjectOnHold     = "on_hold"
	ProjectCompleted  = "completed"
	ProjectCancelled  = "cancelled"
)

// ProjectStatuses are the stages of a project. SPEC §5 sets no state machine: any status may
// follow any other; only completing and reopening have effects (StampProject).
var ProjectStatuses = []string{ProjectPlanning, ProjectInProgress, ProjectOnHold, ProjectCompleted, ProjectCancelled}

// BillingTypes are the ways a project is billed; DefaultBillingType applies when none is given.
var BillingTypes = []string{"fixed_price", "time_and_materials", "retainer", "non_billable"}

// DefaultBillingType is a new project's billing type unless the request names another.
const DefaultBillingType = "time_and_materials"

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
	MsgFieldNull             = "This field may not be null."
)

// ProjectChanges are the writable fields of a project; nil leaves a field as it is. Create and
// PUT set the required fields; PATCH only the ones sent. Dates are "YYYY-MM-DD" text. An empty
// Contract, ProjectManager, Budget, HourlyRate or ActualCompletionDate clears it; an empty
// ProjectCode on create asks for a server-assigned code.
type ProjectChanges struct {
	Client               *string
	Contract             *string
	ProjectManager       *string
	ProjectCode          *string
	Name                 *string
	Description          *string
	Status               *string
	BillingType          *string
	Budget               *money.Decimal
	HourlyRate           *money.Decimal
	Currency             *string
	StartDate            *string
	EndDate              *string
	ActualCompletionDate *string
	Notes                *string
	Nulls                []string // fields that may not be null, sent as null
}

// formatProblems checks the fields that have a format, for whatever the request sent. cur is the
// currency the project has (stored, or the firm's on create); a zero cur skips the amount checks
// unless the request names a currency (the handler does not know the stored one).
func (ch ProjectChanges) formatProblems(cur money.Currency) fault.Fields {
	var f fault.Fields
	for _, field := range ch.Nulls {
		f.Add(field, MsgFieldNull)
	}
	if c := ch.Client; c != nil && !validID(strings.TrimSpace(*c)) {
		f.Add("client", MsgProjectClientUnknown)
	}
	if c := ch.Contract; c != nil && *c != "" && !validID(strings.TrimSpace(*c)) {
		f.Add("contract", MsgProjectContract)
	}
	if m := ch.ProjectManager; m != nil && *m != "" && !validID(strings.TrimSpace(*m)) {
		f.Add("project_manager", MsgProjectManagerUnknown)
	}
	if ch.Status != nil && !slices.Contains(ProjectStatuses, *ch.Status) {
		f.Add("status", validate.ChoiceMessage(*ch.Status))
	}
	if ch.BillingType != nil && !slices.Contains(BillingTypes, *ch.BillingType) {
		f.Add("billing_type", validate.ChoiceMessage(*ch.BillingType))
	}
	checkCurrencyText(&f, ch.Currency)
	if c, ok := sentCurrency(ch.Currency, cur); ok {
		checkAmountText(&f, "budget", ch.Budget, c)
		checkAmountText(&f, "hourly_rate", ch.HourlyRate, c)
	}
	checkDateText(&f, "start_date", ch.StartDate, true)
	checkDateText(&f, "end_date", ch.EndDate, true)
	checkDateText(&f, "actual_completion_date", ch.ActualCompletionDate, false)
	return f
}

// apply merges the (format-checked) changes into p. When the currency changes without a new
// amount, a stored budget or rate keeps its figure in the new currency ("1600.00" USD becomes
// "1600.00" EUR); a figure the new currency cannot hold is reported on its field.
func (ch ProjectChanges) apply(p *Project) fault.Fields {
	var f fault.Fields
	if ch.Client != nil {
		p.ClientID = strings.TrimSpace(*ch.Client)
	}
	setOptionalID(&p.ContractID, ch.Contract)
	setOptionalID(&p.ProjectManagerID, ch.ProjectManager)
	setTrimmed(&p.ProjectCode, ch.ProjectCode)
	setTrimmed(&p.Name, ch.Name)
	setTrimmed(&p.Description, ch.Description)
	setTrimmed(&p.Status, ch.Status)
	setTrimmed(&p.BillingType, ch.BillingType)
	setTrimmed(&p.Notes, ch.Notes)
	old, hadCurrency := money.LookupCurrency(p.Currency)
	cur := old
	if ch.Currency != nil {
		cur, _ = money.LookupCurrency(strings.TrimSpace(*ch.Currency))
	}
	p.Currency = cur.Code
	p.Budget = mergeAmount(&f, "budget", p.Budget, ch.Budget, old, cur, hadCurrency)
	p.HourlyRate = mergeAmount(&f, "hourly_rate", p.HourlyRate, ch.HourlyRate, old, cur, hadCurrency)
	setDateText(&p.StartDate, ch.StartDate)
	setDateText(&p.EndDate, ch.EndDate)
	setDateText(&p.ActualCompletionDate, ch.ActualCompletionDate)
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

// sentCurrency is the currency amounts of the request are read in: the one it sends when that is
// valid, else cur (the stored or the firm's). ok is false when neither is known.
func sentCurrency(sent *string, cur money.Currency) (money.Currency, bool) {
	if sent != nil {
		if c, ok := money.LookupCurrency(strings.TrimSpace(*sent)); ok {
			return c, true
		}
	}
	return cur, cur.Code != ""
}

// currencyFor returns a currency known to be valid (the firm's or a stored one).
func currencyFor(code string) money.Currency {
	if c, ok := money.LookupCurrency(code); ok {
		return c
	}
	c, _ := money.LookupCurrency("USD")
	return c
}

// checkCurrencyText reports an unknown currency code.
func checkCurrencyText(f *fault.Fields, sent *string) {
	if sent == nil {
		return
	}
	if _, ok := money.LookupCurrency(strings.TrimSpace(*sent)); !ok {
		f.Add("currency", money.ErrUnknownCurrency.Error())
	}
}

// checkAmountText reports a malformed optional amount ("" clears it and is fine). Whether it is
// positive is a rule of the merged project (ProjectRules).
func checkAmountText(f *fault.Fields, field string, v *money.Decimal, c money.Currency) {
	if v == nil || *v == "" {
		return
	}
	if _, err := v.Amount(c); err != nil {
		f.Add(field, err.Error())
	}
}

// checkDateText reports a malformed date; an empty one is refused only when required.
func checkDateText(f *fault.Fields, field string, v *string, required bool) {
	switch {
	case v == nil:
	case *v == "":
		if required {
			f.Add(field, validate.MsgRequired)
		}
	default:
		if _, err := date.Parse(*v); err != nil {
			f.Add(field, date.MsgInvalid)
		}
	}
}

// mergeAmount merges a sent optional amount into a stored one. A sent "" clears it; otherwise a
// stored amount follows a currency change with the same figure (see crm.Reprice).
func mergeAmount(f *fault.Fields, field string, stored *money.Amount, sent *money.Decimal, old, cur money.Currency, hadCurrency bool) *money.Amount {
	switch {
	case sent != nil:
		if *sent == "" {
			return nil
		}
		a, err := sent.Amount(cur)
		if err != nil {
			return stored // reported by formatProblems
		}
		return &a
	case stored != nil && hadCurrency && cur.Code != old.Code:
		a, err := crm.Reprice(*stored, old, cur)
		if err != nil {
			f.Add(field, err.Error())
			return stored
		}
		return &a
	}
	return stored
}

func setTrimmed(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// setOptionalID stores a sent id ("" clears it).
func setOptionalID(dst **string, v *string) {
	if v == nil {
		return
	}
	*dst = nil
	if id := strings.TrimSpace(*v); id != "" {
		*dst = &id
	}
}

// setDateText stores a format-checked date ("" clears it).
func setDateText(dst *date.Date, v *string) {
	if v == nil {
		return
	}
	if *v == "" {
		*dst = ""
		return
	}
	if d, err := date.Parse(*v); err == nil {
		*dst = d
	}
}

// addAll adds every message of src to dst.
func addAll(dst *fault.Fields, src fault.Fields) {
	for field, msgs := range src {
		for _, m := range msgs {
			dst.Add(field, m)
		}
	}
}
