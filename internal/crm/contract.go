package crm

import (
	"slices"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// ContractStatus is a stage of a contract (SPEC §4). SPEC §4 sets no state machine for
// contracts: any status may follow any other; only becoming active has a rule (activate).
type ContractStatus string

// The contract statuses.
const (
	ContractDraft      ContractStatus = "draft"
	ContractActive     ContractStatus = "active"
	ContractCompleted  ContractStatus = "completed"
	ContractTerminated ContractStatus = "terminated"
	ContractOnHold     ContractStatus = "on_hold"
)

// contractStatuses lists the statuses in their usual order (validation, filters, OpenAPI).
func contractStatuses() []ContractStatus {
	return []ContractStatus{ContractDraft, ContractActive, ContractCompleted, ContractTerminated, ContractOnHold}
}

// PaymentTerms are when a contract's invoices fall due.
type PaymentTerms string

// paymentTerms lists the payment terms a contract may have.
// The firm's default payment terms (auth.PaymentTerms) use the same values.
func paymentTerms() []PaymentTerms {
	return []PaymentTerms{"net_15", "net_30", "net_45", "net_60", "due_on_receipt", "milestone"}
}

// defaultPaymentTerms are a new contract's payment terms unless the request names others.
const defaultPaymentTerms PaymentTerms = "net_30"

// Contract messages (SPEC §4, exact where the SPEC gives them).
const (
	MsgContractValue    = "Contract value must be greater than 0"
	MsgProposalClient   = "Proposal must belong to the same client as the contract"
	MsgSignedAfterStart = "Signed date cannot be after start date"
	MsgActivateLate     = "Set signed_date: today is after the start date."
	MsgProposalUnknown  = "Select a valid proposal."
	MsgFileURL          = "Enter a valid URL starting with http:// or https://"
	MsgContractInUse    = "This contract is referenced by other records and cannot be deleted."
)

// contractPolicy decides who may do what to contracts: every role reads them; owners, admins
// and managers write any; a consultant updates the contracts they created (SPEC §1's
// IsCreatorOrReadOnly) and creates or deletes none.
type contractPolicy struct{}

func (contractPolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.List, resource.Read, resource.Update:
		return auth.CanRead(a, auth.CRM)
	}
	return auth.CanWrite(a, auth.CRM)
}

func (contractPolicy) AllowOn(a auth.Actor, act resource.Action, k *Contract) error {
	switch act {
	case resource.Read:
		return nil
	case resource.Update:
		return creatorMayEdit(a, k.CreatedBy)
	}
	return auth.CanWrite(a, auth.CRM)
}

// active reports SPEC §4's computed is_active: status active and start ≤ today ≤ end.
func (k *Contract) active(today date.Date) bool {
	return k.Status == ContractActive && !k.StartDate.IsZero() && !k.EndDate.IsZero() &&
		!today.Before(k.StartDate) && !today.After(k.EndDate)
}

// formatProblems checks the fields of a merged contract that have a format the model can hold
// wrong; the formats of the request's text are checked as it is merged (see Proposal's).
func (k *Contract) formatProblems() fault.Fields {
	var f fault.Fields
	if !slices.Contains(contractStatuses(), k.Status) {
		f.Add("status", validate.ChoiceMessage(k.Status))
	}
	if !slices.Contains(paymentTerms(), k.PaymentTerms) {
		f.Add("payment_terms", validate.ChoiceMessage(k.PaymentTerms))
	}
	return f
}

// rules checks a merged contract against SPEC §4's rules, on its effective values.
// proposalClient is the client of the linked proposal ("" when there is none).
func (k *Contract) rules(proposalClient string) fault.Fields {
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

// activate applies SPEC §4's activation rule: a contract becoming active (compared with old, nil
// on create) without a signed date is signed today, unless today is after its start date, which
// is refused on signed_date.
func (k *Contract) activate(old *Contract, today date.Date) fault.Fields {
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

// contractFrom is the draft contract an accepted proposal becomes: its client, title,
// description, value and currency, and its estimated dates. Without an estimated start the
// contract starts today; without an estimated end after the start it ends a year after the
// start (both can be changed on the draft).
func contractFrom(p *Proposal, today date.Date) *Contract {
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
		Status: ContractDraft, TotalValue: p.TotalValue, Currency: p.Currency, PaymentTerms: defaultPaymentTerms,
		StartDate: start, EndDate: end}
}
