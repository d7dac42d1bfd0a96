package crm

import (
	"fmt"
	"slices"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// ProposalStatus is a stage of a proposal (SPEC §4).
type ProposalStatus string

// The proposal statuses.
const (
	ProposalDraft       ProposalStatus = "draft"
	ProposalSent        ProposalStatus = "sent"
	ProposalUnderReview ProposalStatus = "under_review"
	ProposalAccepted    ProposalStatus = "accepted"
	ProposalRejected    ProposalStatus = "rejected"
	ProposalExpired     ProposalStatus = "expired"
)

// proposalStatuses lists the statuses in their usual order (validation, filters, OpenAPI).
func proposalStatuses() []ProposalStatus {
	return []ProposalStatus{ProposalDraft, ProposalSent, ProposalUnderReview, ProposalAccepted,
		ProposalRejected, ProposalExpired}
}

// Proposal messages (SPEC §4, exact where the SPEC gives them).
const (
	MsgTotalValue     = "Total value must be greater than 0"
	MsgValidUntilPast = "Valid until date must be in the future"
	MsgEndBeforeStart = "End date must be after start date"
	MsgSendExpired    = "Cannot send expired proposal. Update valid_until date first."
	MsgClientUnknown  = "Select a valid client."
	MsgProposalInUse  = "This proposal has a contract and cannot be deleted."
	MsgAlreadyAccept  = "Proposal is already accepted"
)

// proposalAccept is the named action that accepts a proposal (and may create its contract).
const proposalAccept resource.Action = "accept"

// proposalPolicy decides who may do what to proposals: every role reads them; owners, admins
// and managers write any; a consultant edits (updates, accepts) the proposals they created
// (SPEC §1's IsCreatorOrReadOnly) and creates or deletes none.
type proposalPolicy struct{}

func (proposalPolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.List, resource.Read, resource.Update, proposalAccept:
		return auth.CanRead(a, auth.CRM)
	}
	return auth.CanWrite(a, auth.CRM)
}

func (proposalPolicy) AllowOn(a auth.Actor, act resource.Action, p *Proposal) error {
	switch act {
	case resource.Read:
		return nil
	case resource.Update, proposalAccept:
		return creatorMayEdit(a, p.CreatedBy)
	}
	return auth.CanWrite(a, auth.CRM)
}

// proposalTransitions lists, for each status, the statuses a proposal may move to. Accepted,
// rejected and expired are final.
func proposalTransitions(from ProposalStatus) []ProposalStatus {
	switch from {
	case ProposalDraft:
		return []ProposalStatus{ProposalSent, ProposalExpired}
	case ProposalSent:
		return []ProposalStatus{ProposalUnderReview, ProposalAccepted, ProposalRejected, ProposalDraft, ProposalExpired}
	case ProposalUnderReview:
		return []ProposalStatus{ProposalAccepted, ProposalRejected, ProposalExpired}
	}
	return nil
}

// canTransition reports whether a proposal may move from one status to another. Staying in the
// same status is no transition and is not allowed here; callers skip the check when nothing
// changes.
func canTransition(from, to ProposalStatus) bool {
	return slices.Contains(proposalTransitions(from), to)
}

// transitionMessage is the error of a refused status change.
func transitionMessage(from, to ProposalStatus) string {
	return fmt.Sprintf("Cannot change status from %s to %s", from, to)
}

// expired reports SPEC §4's computed is_expired: still open (draft, sent or under review) and
// valid_until before today.
func (p *Proposal) expired(today date.Date) bool {
	open := p.Status == ProposalDraft || p.Status == ProposalSent || p.Status == ProposalUnderReview
	return open && !p.ValidUntil.IsZero() && p.ValidUntil.Before(today)
}

// formatProblems checks the fields of a merged proposal that have a format the model can hold
// wrong. The formats of the request's text (ids, dates, money) are checked as it is merged
// (the bodies' apply); both come before the rules, and alone.
func (p *Proposal) formatProblems() fault.Fields {
	var f fault.Fields
	if !slices.Contains(proposalStatuses(), p.Status) {
		f.Add("status", validate.ChoiceMessage(p.Status))
	}
	return f
}

// rules checks a merged proposal against SPEC §4's rules; old is the stored proposal (nil on
// create, which counts as a change from draft). today is the firm's today.
func (p *Proposal) rules(old *Proposal, today date.Date) fault.Fields {
	var f fault.Fields
	for field, v := range map[string]string{"client": p.ClientID, "title": p.Title, "description": p.Description} {
		if v == "" {
			f.Add(field, validate.MsgRequired)
		}
	}
	if p.TotalValue <= 0 {
		f.Add("total_value", MsgTotalValue)
	}
	switch {
	case p.ValidUntil.IsZero():
		f.Add("valid_until", validate.MsgRequired)
	case (old == nil || old.ValidUntil != p.ValidUntil) && p.ValidUntil.Before(today):
		f.Add("valid_until", MsgValidUntilPast)
	}
	if !p.EstimatedStartDate.IsZero() && !p.EstimatedEndDate.IsZero() && p.EstimatedEndDate.Before(p.EstimatedStartDate) {
		f.Add("estimated_end_date", MsgEndBeforeStart)
	}
	from := ProposalDraft
	if old != nil {
		from = old.Status
	}
	if p.Status != from {
		switch {
		case !canTransition(from, p.Status):
			f.Add("status", transitionMessage(from, p.Status))
		case p.Status == ProposalSent && !p.ValidUntil.IsZero() && p.ValidUntil.Before(today):
			f.Add("status", MsgSendExpired)
		}
	}
	return f
}

// stampStatus records when p became sent or accepted (compared with old, nil on create). Going
// back to draft and sending again stamps sent_at anew.
func (p *Proposal) stampStatus(old *Proposal, now time.Time) {
	became := func(status ProposalStatus) bool {
		return p.Status == status && (old == nil || old.Status != status)
	}
	if became(ProposalSent) {
		t := now
		p.SentAt = &t
	}
	if became(ProposalAccepted) {
		t := now
		p.AcceptedAt = &t
	}
}
