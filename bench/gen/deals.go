package gen

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
)

// recent is how many days a proposal stays open (draft, sent or under review) before it is
// decided one way or the other.
const recent = 45

// deals builds a client's proposals and the contracts that follow from the accepted ones. A
// client with projects (scheds) has 2 to 4 proposals, the first accepted in time for its
// first project; others have up to 2; some clients also have a contract without a proposal.
func (b *builder) deals(c *crm.Client, scheds []schedule) ([]crm.Proposal, []crm.Contract) {
	clientDay := b.cal.dayOf(c.CreatedAt)
	n := b.r.between(0, 2)
	if len(scheds) > 0 {
		n = b.r.between(2, 4)
	}
	var props []crm.Proposal
	var ctrs []crm.Contract
	for j := range n {
		var p crm.Proposal
		if j == 0 && len(scheds) > 0 {
			p = b.acceptedFor(c, firstStart(scheds))
		} else {
			p = b.proposal(c, b.r.between(clientDay, b.cal.today-1))
		}
		props = append(props, p)
		if p.Status == crm.ProposalAccepted {
			ctrs = append(ctrs, b.contractFrom(&p))
		}
	}
	if len(scheds) > 0 && b.r.chance(0.3) {
		ctrs = append(ctrs, b.directContract(c, b.r.between(clientDay, b.cal.today-1)))
	}
	return props, ctrs
}

// proposal builds a proposal created on day created: open while recent, else accepted,
// rejected or expired.
func (b *builder) proposal(c *crm.Client, created int) crm.Proposal {
	p := b.draft(c, created)
	if b.cal.today-created <= recent {
		p.Status = pick(b.r, []crm.ProposalStatus{crm.ProposalDraft, crm.ProposalDraft, crm.ProposalSent, crm.ProposalUnderReview})
		if p.Status != crm.ProposalDraft {
			b.send(&p, created)
		}
		return p
	}
	sent := b.send(&p, created)
	switch x := b.r.Float64(); {
	case x < 0.45:
		b.accept(&p, b.cal.past(sent+b.r.between(2, 20)), 0)
		return p
	case x < 0.7:
		p.Status = crm.ProposalRejected
	default:
		p.Status = crm.ProposalExpired
	}
	p.UpdatedAt = b.later(*p.SentAt, b.cal.past(sent+b.r.between(1, 30)))
	return p
}

// acceptedFor builds the accepted proposal that led to a client's first project, starting on
// day start.
func (b *builder) acceptedFor(c *crm.Client, start int) crm.Proposal {
	created := b.cal.past(max(b.cal.dayOf(c.CreatedAt), start-b.r.between(25, 60)))
	p := b.draft(c, created)
	sent := b.send(&p, created)
	b.accept(&p, b.cal.past(sent+b.r.between(2, 10)), start)
	return p
}

// draft is a new proposal created on day created, valid for 30 to 60 days.
func (b *builder) draft(c *crm.Client, created int) crm.Proposal {
	area, delivery := pick(b.r, b.v.areas), pick(b.r, b.v.deliveries)
	at := b.cal.stamp(created, b.r)
	return crm.Proposal{
		ID: db.NewID(), FirmID: b.firmID, ClientID: c.ID,
		Title:       fmt.Sprintf("%s %s for %s", area, delivery, strings.Fields(c.CompanyName)[0]),
		Description: fmt.Sprintf("Scope, approach, team and fees for the %s %s.", strings.ToLower(area), delivery),
		Status:      crm.ProposalDraft, TotalValue: b.dealValue(), Currency: c.Currency,
		ValidUntil: b.cal.date(created + b.r.between(30, 60)),
		CreatedBy:  b.lead(), CreatedAt: at, UpdatedAt: at,
	}
}

// send marks p sent a few days after it was created and returns the day it was sent.
func (b *builder) send(p *crm.Proposal, created int) int {
	day := b.cal.past(created + b.r.between(0, 3))
	day = max(day, created)
	at := b.later(p.CreatedAt, day)
	p.Status, p.SentAt, p.UpdatedAt = crm.ProposalSent, &at, at
	return day
}

// accept marks p accepted on day, with an estimated start (start, or a week or more later when
// start is 0) and end.
func (b *builder) accept(p *crm.Proposal, day, start int) {
	at := b.later(*p.SentAt, max(day, b.cal.dayOf(*p.SentAt)))
	if start == 0 {
		start = day + b.r.between(7, 30)
	}
	p.Status, p.AcceptedAt, p.UpdatedAt = crm.ProposalAccepted, &at, at
	p.EstimatedStartDate = b.cal.date(start)
	p.EstimatedEndDate = b.cal.date(start + b.r.between(90, 540))
}

// dealValue is 5,000.00 to 500,000.00 in steps of 100.00.
func (b *builder) dealValue() money.Amount { return money.Amount(b.r.between(50, 5_000)) * 100_00 }

// contractFrom builds the contract an accepted proposal became.
func (b *builder) contractFrom(p *crm.Proposal) crm.Contract {
	id := p.ID
	created := b.cal.past(b.cal.dayOf(*p.AcceptedAt) + b.r.between(0, 5))
	k := b.contract(p.ClientID, p.Currency, max(created, b.cal.dayOf(*p.AcceptedAt)),
		b.cal.dayOf(p.EstimatedStartDate.Time()), b.cal.dayOf(p.EstimatedEndDate.Time()))
	k.ProposalID, k.Title, k.Description, k.TotalValue = &id, p.Title, p.Description, p.TotalValue
	if k.CreatedAt.Before(*p.AcceptedAt) {
		k.CreatedAt = *p.AcceptedAt
	}
	k.UpdatedAt = b.later(k.CreatedAt, b.cal.dayOf(k.UpdatedAt))
	return k
}

// directContract builds a contract signed without a proposal (a renewal, say).
func (b *builder) directContract(c *crm.Client, created int) crm.Contract {
	start := created + b.r.between(3, 30)
	k := b.contract(c.ID, c.Currency, created, start, start+b.r.between(90, 365))
	k.Title = fmt.Sprintf("Retainer %s for %s", b.cal.date(start)[:4], strings.Fields(c.CompanyName)[0])
	k.Description = "Ongoing advisory services at the agreed rates."
	k.TotalValue = b.dealValue()
	return k
}

// contract builds a contract created on day created, running from start to end, with its
// signature and status following from those dates.
func (b *builder) contract(clientID, cur string, created, startDay, endDay int) crm.Contract {
	at := b.cal.stamp(created, b.r)
	k := crm.Contract{
		ID: db.NewID(), FirmID: b.firmID, ClientID: clientID, Status: crm.ContractDraft, Currency: cur,
		PaymentTerms: pick(b.r, []crm.PaymentTerms{"net_30", "net_30", "net_30", "net_15", "net_45", "net_60", "due_on_receipt", "milestone"}),
		StartDate:    b.cal.date(startDay), EndDate: b.cal.date(endDay),
		CreatedBy: b.lead(), CreatedAt: at, UpdatedAt: at,
	}
	if startDay > b.cal.today && b.r.chance(0.3) {
		return k // still a draft, unsigned
	}
	signed := b.r.between(created, min(startDay, b.cal.today))
	k.SignedDate, k.SignedBy = b.cal.date(signed), pick(b.r, b.v.firstNames)+" "+pick(b.r, b.v.lastNames)
	k.ContractFileURL = "https://files.example/contracts/" + k.ID + ".pdf"
	switch {
	case endDay < b.cal.today && b.r.chance(0.85):
		k.Status = crm.ContractCompleted
	case endDay < b.cal.today:
		k.Status = crm.ContractTerminated
	case b.r.chance(0.85):
		k.Status = crm.ContractActive
	default:
		k.Status = crm.ContractOnHold
	}
	k.UpdatedAt = b.later(at, b.cal.past(max(signed, created)))
	return k
}
