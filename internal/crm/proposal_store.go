package crm

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Proposal is an offer to a client, numbered PROP-YYYY-NNN: a row of proposals, with its
// client's name and whether it is expired (computed on the firm's today when read).
type Proposal struct {
	bun.BaseModel `bun:"table:proposals,alias:p"`
	db.Deletion
	ID                 string         `bun:"id,pk"`
	FirmID             string         `bun:"firm_id"`
	ClientID           string         `bun:"client_id"`
	ProposalNumber     string         `bun:"proposal_number"`
	Title              string         `bun:"title"`
	Description        string         `bun:"description"`
	Status             ProposalStatus `bun:"status"`
	TotalValue         money.Amount   `bun:"total_value"`
	Currency           string         `bun:"currency"`
	ValidUntil         date.Date      `bun:"valid_until"`
	EstimatedStartDate date.Date      `bun:"estimated_start_date,nullzero"`
	EstimatedEndDate   date.Date      `bun:"estimated_end_date,nullzero"`
	SentAt             *time.Time     `bun:"sent_at"`
	AcceptedAt         *time.Time     `bun:"accepted_at"`
	CreatedBy          *string        `bun:"created_by"`
	CreatedAt          time.Time      `bun:"created_at"`
	UpdatedAt          time.Time      `bun:"updated_at"`
	ClientName         *string        `bun:"client_name,scanonly"`
	IsExpired          bool           `bun:"-"`
}

// Default number prefixes, for a firm that has none set.
const (
	defaultProposalPrefix = "PROP"
	defaultContractPrefix = "CTR"
)

// proposalQuery declares the proposal list's filters, search and ordering (SPEC §4).
func proposalQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "client", Column: "p.client_id", Kind: db.IDFilter},
			{Name: "status", Column: "p.status", Kind: db.ChoiceFilter, Choices: db.Choices(proposalStatuses())},
			{Name: "created_by", Column: "p.created_by", Kind: db.IDFilter},
		},
		Search: []string{"p.proposal_number", "p.title", "pc.company_name"},
		Ordering: []db.OrderField{
			{Name: "proposal_number", Column: "p.proposal_number"},
			{Name: "created_at", Column: "p.created_at"},
			{Name: "valid_until", Column: "p.valid_until"},
		},
		Default:   "-created_at",
		UpdatedAt: "p.updated_at",
		ID:        "p.id",
	}
}

// ListProposals lists the firm's proposals.
func (s *Service) ListProposals(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Proposal, int64, error) {
	if err := resource.Check(proposalPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Proposal
	count, err := q.Window(q.Apply(selectProposals(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	today := s.today(a)
	for i := range rows {
		rows[i].IsExpired = rows[i].expired(today)
	}
	return rows, int64(count), nil
}

// GetProposal returns one proposal of the firm.
func (s *Service) GetProposal(ctx context.Context, a auth.Actor, id string) (*Proposal, error) {
	p, err := s.proposal(ctx, s.db.R, a, id)
	if err != nil {
		return nil, err
	}
	return p, resource.Check(proposalPolicy{}, a, resource.Read, p)
}

// loadProposal reads a proposal for the policy check before a request's body (resource.Loader).
func (s *Service) loadProposal(ctx context.Context, a auth.Actor, id string) (*Proposal, error) {
	return s.proposal(ctx, s.db.R, a, id)
}

// CreateProposal adds a proposal numbered PREFIX-YYYY-NNN (the year of the firm's today),
// created by the caller: edit fills in the request.
func (s *Service) CreateProposal(ctx context.Context, a auth.Actor, edit func(*Proposal) fault.Fields) (*Proposal, error) {
	if err := resource.Check(proposalPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	by := a.UserID
	p := &Proposal{ID: db.NewID(), FirmID: a.FirmID, Status: ProposalDraft, Currency: money.CurrencyOf(a.Currency).Code,
		CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.editProposal(ctx, tx, a, nil, p, edit, today); err != nil {
			return err
		}
		p.stampStatus(nil, now)
		return s.insertProposal(ctx, tx, a, p, today)
	})
	if err != nil {
		return nil, err
	}
	return s.proposal(ctx, s.db.R, a, p.ID)
}

// UpdateProposal changes a proposal as edit says, if the policy lets the caller. The status
// follows the state machine of the rules.
func (s *Service) UpdateProposal(ctx context.Context, a auth.Actor, id string, edit func(*Proposal) fault.Fields) (*Proposal, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProposal(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(proposalPolicy{}, a, resource.Update, p); err != nil {
			return err
		}
		old := *p
		now := s.stamp()
		if err := s.editProposal(ctx, tx, a, &old, p, edit, date.Today(now, a.Location())); err != nil {
			return err
		}
		p.stampStatus(&old, now)
		p.UpdatedAt = now
		_, err = a.Firm().Update(tx, p).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.proposal(ctx, s.db.R, a, id)
}

// editProposal applies edit to p and checks the result: what cannot be merged and the formats
// first, alone; then the rules against old (nil on create) and a client of the firm.
func (s *Service) editProposal(ctx context.Context, tx bun.IDB, a auth.Actor, old, p *Proposal,
	edit func(*Proposal) fault.Fields, today date.Date) error {
	bad := edit(p)
	bad.Merge(p.formatProblems())
	if err := bad.Err(); err != nil {
		return err
	}
	bad = p.rules(old, today)
	if p.ClientID != "" && (old == nil || old.ClientID != p.ClientID) && !bad.Has("client") {
		ok, err := s.ClientExists(ctx, tx, a.Firm(), p.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgClientUnknown)
		}
	}
	return bad.Err()
}

// DeleteProposal removes a proposal that no contract refers to.
func (s *Service) DeleteProposal(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProposal(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(proposalPolicy{}, a, resource.Delete, p); err != nil {
			return err
		}
		used, err := a.Firm().Exists(ctx, tx, (*Contract)(nil), "k.proposal_id = ?", id)
		if err != nil {
			return err
		}
		if used {
			return fault.New(fault.Conflict, MsgProposalInUse)
		}
		err = a.Firm().Remove(ctx, tx, (*Proposal)(nil), id, a.UserID, s.stamp())
		err = db.Translate(err)
		if db.ConstraintOf(err) == db.ForeignKey {
			// A contract linked concurrently.
			return fault.Wrap(fault.Conflict, MsgProposalInUse, err)
		}
		return err
	})
}

// AcceptProposal accepts a proposal (the state machine applies) and, when asked, creates a draft
// contract from it in the same transaction (see contractFrom). Accepting is the policy's accept
// action; creating the contract needs the right to create contracts. The contract is nil when
// none was asked for.
func (s *Service) AcceptProposal(ctx context.Context, a auth.Actor, id string, createContract bool) (*Proposal, *Contract, error) {
	var contractID string
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProposal(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(proposalPolicy{}, a, proposalAccept, p); err != nil {
			return err
		}
		if createContract {
			if err := resource.Check(contractPolicy{}, a, resource.Create, nil); err != nil {
				return err
			}
		}
		switch {
		case p.Status == ProposalAccepted:
			return fault.Field("status", MsgAlreadyAccept)
		case !canTransition(p.Status, ProposalAccepted):
			return fault.Field("status", transitionMessage(p.Status, ProposalAccepted))
		}
		old := *p
		now := s.stamp()
		today := date.Today(now, a.Location())
		p.Status, p.UpdatedAt = ProposalAccepted, now
		p.stampStatus(&old, now)
		if _, err := a.Firm().Update(tx, p).WherePK().Exec(ctx); err != nil {
			return db.Translate(err)
		}
		if !createContract {
			return nil
		}
		k := contractFrom(p, today)
		k.ID, k.FirmID, k.CreatedAt, k.UpdatedAt = db.NewID(), a.FirmID, now, now
		by := a.UserID
		k.CreatedBy = &by
		if err := k.rules(p.ClientID).Err(); err != nil {
			return err
		}
		contractID = k.ID
		return s.insertContract(ctx, tx, a, k, today)
	})
	if err != nil {
		return nil, nil, err
	}
	p, err := s.proposal(ctx, s.db.R, a, id)
	if err != nil || contractID == "" {
		return p, nil, err
	}
	k, err := s.contract(ctx, s.db.R, a, contractID)
	return p, k, err
}

// insertProposal numbers and inserts a new proposal, inside the caller's transaction.
func (s *Service) insertProposal(ctx context.Context, tx bun.Tx, a auth.Actor, p *Proposal, today date.Date) error {
	year := today.Year()
	n, err := db.NextNumber(ctx, tx, a.FirmID, "proposal", year)
	if err != nil {
		return err
	}
	p.ProposalNumber = db.FormatNumber(orDefault(a.ProposalPrefix, defaultProposalPrefix), year, n)
	_, err = tx.NewInsert().Model(p).Exec(ctx)
	return db.Translate(err)
}

// selectProposals starts a firm-scoped proposal query with the client's name.
func selectProposals(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("p.*").
		Join("LEFT JOIN clients AS pc ON pc.id = p.client_id").
		ColumnExpr("pc.company_name AS client_name")
}

// proposal reads one proposal of the actor's firm with its display and computed fields.
func (s *Service) proposal(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*Proposal, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Proposal)
	if err := selectProposals(idb, a.Firm(), p).Where("p.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	p.IsExpired = p.expired(s.today(a))
	return p, nil
}

// lockProposal reads one proposal of the firm for a change, locking its row until the
// transaction ends, so concurrent status changes apply one after the other.
func (s *Service) lockProposal(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Proposal, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Proposal)
	err := s.db.ForUpdate(firm.Select(tx, p).Where("p.id = ?", id)).Scan(ctx)
	return p, db.Translate(err)
}
