package crm

import (
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Contract statuses (SPEC §4).
const (
	ContractDraft      = "draft"
	ContractActive     = "active"
	ContractCompleted  = "completed"
	ContractTerminated = "terminated"
	ContractOnHold     = "on_hold"
)

// ContractStatuses are the stages of a contract. SPEC §4 sets no state machine for contracts:
// any status may follow any other; only becoming active has a rule (ActivateContract).
var ContractStatuses = []string{ContractDraft, ContractActive, ContractCompleted, ContractTerminated, ContractOnHold}

// PaymentTerms are the payment terms a contract may have; DefaultPaymentTerms applies when none
// is given.
var PaymentTerms = []string{"net_15", "net_30", "net_45", "net_60", "due_on_receipt", "milestone"}

// DefaultPaymentTerms are a new contract's payment terms unless the request names others.
const DefaultPaymentTerms = "net_30"

// Contract messages (SPEC §4, exact where the SPEC gives them).
const (
	MsgContractValue    = "Contract value must be greater than 0"
	MsgProposalClient   = "Proposal must belong to the same client as the contract"
	MsgSignedAfterStart = "Signed date cannot be after start date"
	MsgActivateLate     = "Set signed_date: today is after the start date."
	MsgProposalUnknown  = "Select a valid proposal."
	MsgFileURL          = "Enter a valid URL starting with http:// or https://"
)

// ContractIsActive reports SPEC §4's computed is_active: status active and start ≤ today ≤ end.
func ContractIsActive(k *Contract, today date.Date) bool {
	return k.Status == ContractActive && !k.StartDate.IsZero() && !k.EndDate.IsZero() &&
		!today.Before(k.StartDate) && !today.After(k.EndDate)
}

// ContractChanges are the writable fields of a contract; nil leaves a field as it is. Create and
// PUT set the required fields; PATCH only the ones sent. Dates are "YYYY-MM-DD" text; an empty
// Proposal or SignedDate clears it.
type ContractChanges struct {
	Client          *string
	Proposal        *string
	Title           *string
	Description     *string
	Status          *string
	TotalValue      *money.Decimal
	Currency        *string
	PaymentTerms    *string
	StartDate       *string
	EndDate         *string
	SignedDate      *string
	SignedBy        *string
	ContractFileURL *string
	Notes           *string
	Nulls           []string // required fields sent as null
}

// formatProblems checks the fields that have a format, for whatever the request sent; cur is as
// for ProposalChanges.formatProblems.
func (ch ContractChanges) formatProblems(cur money.Currency) fault.Fields {
	var f fault.Fields
	for _, field := range ch.Nulls {
		f.Add(field, MsgNull)
	}
	if c := ch.Client; c != nil && !validID(strings.TrimSpace(*c)) {
		f.Add("client", MsgClientUnknown)
	}
	if p := ch.Proposal; p != nil && *p != "" && !validID(strings.TrimSpace(*p)) {
		f.Add("proposal", MsgProposalUnknown)
	}
	if ch.Status != nil && !slices.Contains(ContractStatuses, *ch.Status) {
		f.Add("status", choiceMessage(*ch.Status))
	}
	if ch.PaymentTerms != nil && !slices.Contains(PaymentTerms, *ch.PaymentTerms) {
		f.Add("payment_terms", choiceMessage(*ch.PaymentTerms))
	}
	currencyProblem(&f, ch.Currency)
	if v := ch.TotalValue; v != nil {
		if c, ok := requestCurrency(ch.Currency, cur); ok {
			amountProblem(&f, "total_value", *v, c)
		}
	}
	dateProblem(&f, "start_date", ch.StartDate, true)
	dateProblem(&f, "end_date", ch.EndDate, true)
	dateProblem(&f, "signed_date", ch.SignedDate, false)
	if u := ch.ContractFileURL; u != nil && *u != "" && !ValidWebsite(strings.TrimSpace(*u)) {
		f.Add("contract_file_url", MsgFileURL)
	}
	return f
}

// apply merges the (format-checked) changes into k; a currency change without a new total_value
// keeps the figure, as for proposals.
func (ch ContractChanges) apply(k *Contract) fault.Fields {
	var f fault.Fields
	if ch.Client != nil {
		k.ClientID = strings.TrimSpace(*ch.Client)
	}
	if p := ch.Proposal; p != nil {
		k.ProposalID = nil
		if id := strings.TrimSpace(*p); id != "" {
			k.ProposalID = &id
		}
	}
	setText(&k.Title, ch.Title)
	setText(&k.Description, ch.Description)
	setText(&k.Status, ch.Status)
	setText(&k.PaymentTerms, ch.PaymentTerms)
	setText(&k.SignedBy, ch.SignedBy)
	setText(&k.ContractFileURL, ch.ContractFileURL)
	setText(&k.Notes, ch.Notes)
	k.TotalValue, k.Currency = applyMoney(&f, "total_value", k.TotalValue, k.Currency, ch.TotalValue, ch.Currency)
	setDate(&k.StartDate, ch.StartDate)
	setDate(&k.EndDate, ch.EndDate)
	setDate(&k.SignedDate, ch.SignedDate)
	return f
}

// ContractRules checks a merged contract against SPEC §4's rules, on its effective values.
// proposalClient is the client of the linked proposal ("" when there is none).
func ContractRules(k *Contract, proposalClient string) fault.Fields {
	var f fault.Fields
	for field, v := range map[string]string{"client": k.ClientID, "title": k.Title, "description": k.Description,
		"start_date": string(k.StartDate), "end_date": string(k.EndDate)} {
		if v == "" {
			f.Add(field, validate.MsgRequired)
		}
	}
	if k.TotalValue <= 0 {
		f.Add("total_value", MsgContractValue)
	}
	if !k.StartDate.IsZero() && !k.EndDate.IsZero() && !k.EndDate.After(k.StartDate) {
		f.Add("end_date", MsgEndBeforeStart)
	}
	if k.ProposalID != nil && proposalClient != "" && proposalClient != k.ClientID {
		f.Add("proposal", MsgProposalClient)
	}
	if !k.SignedDate.IsZero() && !k.StartDate.IsZero() && k.SignedDate.After(k.StartDate) {
		f.Add("signed_date", MsgSignedAfterStart)
	}
	return f
}

// ActivateContract applies SPEC §4's activation rule: a contract becoming active (compared with
// old, nil on create) without a signed date is signed today, unless today is after its start
// date, which is refused on signed_date.
func ActivateContract(old, k *Contract, today date.Date) fault.Fields {
	var f fault.Fields
	becoming := k.Status == ContractActive && (old == nil || old.Status != ContractActive)
	if !becoming || !k.SignedDate.IsZero() || k.StartDate.IsZero() {
		return f
	}
	if today.After(k.StartDate) {
		f.Add("signed_date", MsgActivateLate)
		return f
	}
	k.SignedDate = today
	return f
}

// ContractFromProposal is the draft contract an accepted proposal becomes: its client, title,
// description, value and currency, and its estimated dates. Without an estimated start the
// contract starts today; without an estimated end after the start it ends a year after the
// start (both can be changed on the draft).
func ContractFromProposal(p *Proposal, today date.Date) *Contract {
	start := p.EstimatedStartDate
	if start.IsZero() {
		start = today
	}
	end := p.EstimatedEndDate
	if end.IsZero() || !end.After(start) {
		end = date.Date(start.Time().AddDate(1, 0, 0).Format(time.DateOnly))
	}
	id := p.ID
	return &Contract{ClientID: p.ClientID, ProposalID: &id, Title: p.Title, Description: p.Description,
		Status: ContractDraft, TotalValue: p.TotalValue, Currency: p.Currency, PaymentTerms: DefaultPaymentTerms,
		StartDate: start, EndDate: end}
}
