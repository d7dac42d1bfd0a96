package crm

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Proposal statuses (SPEC §4).
const (
	ProposalDraft       = "draft"
	ProposalSent        = "sent"
	ProposalUnderReview = "under_review"
	ProposalAccepted    = "accepted"
	ProposalRejected    = "rejected"
	ProposalExpired     = "expired"
)

// ProposalStatuses are the stages of a proposal, in their usual order.
var ProposalStatuses = []string{ProposalDraft, ProposalSent, ProposalUnderReview, ProposalAccepted,
	ProposalRejected, ProposalExpired}

// Proposal messages (SPEC §4, exact where the SPEC gives them).
const (
	MsgTotalValue     = "Total value must be greater than 0"
	MsgValidUntilPast = "Valid until date must be in the future"
	MsgEndBeforeStart = "End date must be after start date"
	MsgSendExpired    = "Cannot send expired proposal. Update valid_until date first."
	MsgClientUnknown  = "Select a valid client."
	MsgProposalInUse  = "This proposal has a contract and cannot be deleted."
)

// proposalTransitions lists, for each status, the statuses a proposal may move to. Accepted,
// rejected and expired are final.
var proposalTransitions = map[string][]string{
	ProposalDraft:       {ProposalSent, ProposalExpired},
	ProposalSent:        {ProposalUnderReview, ProposalAccepted, ProposalRejected, ProposalDraft, ProposalExpired},
	ProposalUnderReview: {ProposalAccepted, ProposalRejected, ProposalExpired},
}

// CanTransition reports whether a proposal may move from one status to another. Staying in the
// same status is no transition and is not allowed here; callers skip the check when nothing
// changes.
func CanTransition(from, to string) bool {
	return slices.Contains(proposalTransitions[from], to)
}

// TransitionMessage is the error of a refused status change.
func TransitionMessage(from, to string) string {
	return fmt.Sprintf("Cannot change status from %s to %s", from, to)
}

// ProposalIsExpired reports SPEC §4's computed is_expired: still open (draft, sent or under
// review) and valid_until before today.
func ProposalIsExpired(p *Proposal, today date.Date) bool {
	open := p.Status == ProposalDraft || p.Status == ProposalSent || p.Status == ProposalUnderReview
	return open && !p.ValidUntil.IsZero() && p.ValidUntil.Before(today)
}

// ProposalChanges are the writable fields of a proposal; nil leaves a field as it is. Create and
// PUT set the required fields; PATCH only the ones sent. Dates are "YYYY-MM-DD" text; an empty
// estimated date clears it.
type ProposalChanges struct {
	Client             *string
	Title              *string
	Description        *string
	Status             *string
	TotalValue         *money.Decimal
	Currency           *string
	ValidUntil         *string
	EstimatedStartDate *string
	EstimatedEndDate   *string
	Nulls              []string // required fields sent as null
}

// requestCurrency is the currency amounts of the request are read in: the one it sends when that is
// valid, else cur (the stored or the firm's). ok is false when neither is known.
func requestCurrency(sent *string, cur money.Currency) (money.Currency, bool) {
	if sent != nil {
		if c, ok := money.LookupCurrency(strings.TrimSpace(*sent)); ok {
			return c, true
		}
	}
	return cur, cur.Code != ""
}

// formatProblems checks the fields that have a format, for whatever the request sent. cur is the
// currency the proposal has (stored, or the firm's on create); a zero cur skips the amount check
// unless the request names a currency (the handler does not know the stored one).
func (ch ProposalChanges) formatProblems(cur money.Currency) fault.Fields {
	var f fault.Fields
	for _, field := range ch.Nulls {
		f.Add(field, MsgNull)
	}
	if c := ch.Client; c != nil && !validID(strings.TrimSpace(*c)) {
		f.Add("client", MsgClientUnknown)
	}
	if ch.Status != nil && !slices.Contains(ProposalStatuses, *ch.Status) {
		f.Add("status", choiceMessage(*ch.Status))
	}
	currencyProblem(&f, ch.Currency)
	if v := ch.TotalValue; v != nil {
		if c, ok := requestCurrency(ch.Currency, cur); ok {
			amountProblem(&f, "total_value", *v, c)
		}
	}
	dateProblem(&f, "valid_until", ch.ValidUntil, true)
	dateProblem(&f, "estimated_start_date", ch.EstimatedStartDate, false)
	dateProblem(&f, "estimated_end_date", ch.EstimatedEndDate, false)
	return f
}

// apply merges the (format-checked) changes into p. When the currency changes without a new
// total_value, the stored value keeps its figure in the new currency ("1600.00" USD becomes
// "1600.00" EUR); a figure the new currency cannot hold is reported on total_value.
func (ch ProposalChanges) apply(p *Proposal) fault.Fields {
	var f fault.Fields
	setText(&p.Title, ch.Title)
	setText(&p.Description, ch.Description)
	setText(&p.Status, ch.Status)
	if ch.Client != nil {
		p.ClientID = strings.TrimSpace(*ch.Client)
	}
	p.TotalValue, p.Currency = applyMoney(&f, "total_value", p.TotalValue, p.Currency, ch.TotalValue, ch.Currency)
	setDate(&p.ValidUntil, ch.ValidUntil)
	setDate(&p.EstimatedStartDate, ch.EstimatedStartDate)
	setDate(&p.EstimatedEndDate, ch.EstimatedEndDate)
	return f
}

// ProposalRules checks a merged proposal p against SPEC §4's rules; old is the stored proposal
// (nil on create, which counts as a change from draft). today is the firm's today.
func ProposalRules(old, p *Proposal, today date.Date) fault.Fields {
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
		case !CanTransition(from, p.Status):
			f.Add("status", TransitionMessage(from, p.Status))
		case p.Status == ProposalSent && !p.ValidUntil.IsZero() && p.ValidUntil.Before(today):
			f.Add("status", MsgSendExpired)
		}
	}
	return f
}

// StampProposal records when p became sent or accepted (compared with old, nil on create).
// Going back to draft and sending again stamps sent_at anew.
func StampProposal(old, p *Proposal, now time.Time) {
	became := func(status string) bool {
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

// currencyProblem reports an unknown currency code.
func currencyProblem(f *fault.Fields, sent *string) {
	if sent == nil {
		return
	}
	if _, ok := money.LookupCurrency(strings.TrimSpace(*sent)); !ok {
		f.Add("currency", money.ErrUnknownCurrency.Error())
	}
}

// amountProblem reports a missing or malformed amount. Whether it is positive is a rule of the
// merged object (ProposalRules, ContractRules), so that it is reported with the other rules.
func amountProblem(f *fault.Fields, field string, v money.Decimal, c money.Currency) {
	if v == "" {
		f.Add(field, validate.MsgRequired)
		return
	}
	if _, err := v.Amount(c); err != nil {
		f.Add(field, err.Error())
	}
}

// dateProblem reports a malformed date; an empty one is refused only when required.
func dateProblem(f *fault.Fields, field string, v *string, required bool) {
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

// applyMoney merges a sent amount and currency into a stored pair (see ProposalChanges.apply).
func applyMoney(f *fault.Fields, field string, amount money.Amount, code string, sent *money.Decimal, sentCode *string) (money.Amount, string) {
	old, hadCurrency := money.LookupCurrency(code)
	cur := old
	if sentCode != nil {
		cur, _ = money.LookupCurrency(strings.TrimSpace(*sentCode))
	}
	switch {
	case sent != nil:
		if a, err := sent.Amount(cur); err == nil {
			amount = a
		}
	case hadCurrency && cur.Code != old.Code:
		a, err := Reprice(amount, old, cur)
		if err != nil {
			f.Add(field, err.Error()) // keep the stored figure: only this message applies
		} else {
			amount = a
		}
	}
	return amount, cur.Code
}

// Reprice expresses amount, in minor units of from, as the same figure in minor units of to:
// 1600.00 USD is 1600.00 EUR and 1600 JPY. A figure with more decimals than to has fails with
// money's message.
func Reprice(amount money.Amount, from, to money.Currency) (money.Amount, error) {
	s := money.Format(amount, from)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return money.Parse(s, to)
}

func setText(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// setDate stores a format-checked date ("" clears it).
func setDate(dst *date.Date, v *string) {
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
