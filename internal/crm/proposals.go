package crm

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// ProposalView is a proposal with its display and computed fields, as lists and details show it.
type ProposalView struct {
	Proposal   `bun:",extend"`
	ClientName *string `bun:"client_name"`
	IsExpired  bool    `bun:"-"`
}

// ProposalList declares the proposal list's filters, search and ordering (SPEC §4).
var ProposalList = &db.ListSpec{
	Filters: []db.Filter{
		{Name: "client", Column: "p.client_id", Kind: db.IDFilter},
		{Name: "status", Column: "p.status", Kind: db.ChoiceFilter, Choices: ProposalStatuses},
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

// Default number prefixes, for a firm that has none set.
const (
	defaultProposalPrefix = "PROP"
	defaultContractPrefix = "CTR"
)

// today is the firm's today at the service clock.
func (s *Service) today(a auth.Actor) date.Date { return date.Today(s.now(), a.Location()) }

// ListProposals lists the firm's proposals (every role reads CRM).
func (s *Service) ListProposals(ctx context.Context, a auth.Actor, p db.ListQuery) ([]ProposalView, int64, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, 0, err
	}
	var rows []ProposalView
	count, err := p.Window(p.Apply(selectProposals(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	today := s.today(a)
	for i := range rows {
		rows[i].IsExpired = ProposalIsExpired(&rows[i].Proposal, today)
	}
	return rows, int64(count), nil
}

// GetProposal returns one proposal of the firm.
func (s *Service) GetProposal(ctx context.Context, a auth.Actor, id string) (*ProposalView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	return s.proposalView(ctx, s.db.R, a, id)
}

// CreateProposal adds a proposal numbered PREFIX-YYYY-NNN (the year of the firm's today),
// created by the caller (owners, admins and managers).
func (s *Service) CreateProposal(ctx context.Context, a auth.Actor, ch ProposalChanges) (*ProposalView, error) {
	if err := auth.CanWrite(a, auth.CRM); err != nil {
		return nil, err
	}
	cur := currencyOf(a.Currency)
	if err := ch.formatProblems(cur).Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	by := a.UserID
	p := &Proposal{ID: db.NewID(), FirmID: a.FirmID, Status: ProposalDraft, Currency: cur.Code, CreatedBy: &by,
		CreatedAt: now, UpdatedAt: now}
	bad := ch.apply(p)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		merge(&bad, ProposalRules(nil, p, today))
		if err := s.checkProposalClient(ctx, tx, a, nil, p, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		StampProposal(nil, p, now)
		return s.insertProposal(ctx, tx, a, p, today)
	})
	if err != nil {
		return nil, err
	}
	return s.proposalView(ctx, s.db.R, a, p.ID)
}

// UpdateProposal changes a proposal: owners, admins and managers any, a consultant the ones they
// created (IsCreatorOrReadOnly). The status follows the state machine of ProposalRules.
func (s *Service) UpdateProposal(ctx context.Context, a auth.Actor, id string, ch ProposalChanges) (*ProposalView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProposal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := auth.IsCreatorOrReadOnly(a, deref(p.CreatedBy)); err != nil {
			return err
		}
		if err := ch.formatProblems(currencyOf(p.Currency)).Err(); err != nil {
			return err
		}
		old := *p
		bad := ch.apply(p)
		now := s.stamp()
		merge(&bad, ProposalRules(&old, p, date.Today(now, a.Location())))
		if err := s.checkProposalClient(ctx, tx, a, &old, p, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		StampProposal(&old, p, now)
		p.UpdatedAt = now
		_, err = a.Firm().Update(tx, p).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.proposalView(ctx, s.db.R, a, id)
}

// DeleteProposal removes a proposal that no contract refers to (owners, admins and managers).
func (s *Service) DeleteProposal(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.lockProposal(ctx, tx, a, id); err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.CRM); err != nil {
			return err
		}
		used, err := a.Firm().Select(tx, (*Contract)(nil)).Where("k.proposal_id = ?", id).Exists(ctx)
		if err != nil {
			return db.Translate(err)
		}
		if used {
			return fault.New(fault.Conflict, MsgProposalInUse)
		}
		_, err = a.Firm().Delete(tx, (*Proposal)(nil)).Where("p.id = ?", id).Exec(ctx)
		return proposalInUse(db.Translate(err))
	})
}

// AcceptProposal accepts a proposal (the state machine applies) and, when asked, creates a draft
// contract from it in the same transaction (see ContractFromProposal). Accepting is an update
// (IsCreatorOrReadOnly); creating the contract needs the right to create contracts. The contract
// is nil when none was asked for.
func (s *Service) AcceptProposal(ctx context.Context, a auth.Actor, id string, createContract bool) (*ProposalView, *ContractView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, nil, err
	}
	var contractID string
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProposal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := auth.IsCreatorOrReadOnly(a, deref(p.CreatedBy)); err != nil {
			return err
		}
		if createContract {
			if err := auth.CanWrite(a, auth.CRM); err != nil {
				return err
			}
		}
		if !CanTransition(p.Status, ProposalAccepted) {
			return fault.Field("status", TransitionMessage(p.Status, ProposalAccepted))
		}
		old := *p
		now := s.stamp()
		today := date.Today(now, a.Location())
		p.Status, p.UpdatedAt = ProposalAccepted, now
		StampProposal(&old, p, now)
		if _, err := a.Firm().Update(tx, p).WherePK().Exec(ctx); err != nil {
			return db.Translate(err)
		}
		if !createContract {
			return nil
		}
		k := ContractFromProposal(p, today)
		k.ID, k.FirmID, k.CreatedAt, k.UpdatedAt = db.NewID(), a.FirmID, now, now
		by := a.UserID
		k.CreatedBy = &by
		if err := ContractRules(k, p.ClientID).Err(); err != nil {
			return err
		}
		contractID = k.ID
		return s.insertContract(ctx, tx, a, k, today)
	})
	if err != nil {
		return nil, nil, err
	}
	pv, err := s.proposalView(ctx, s.db.R, a, id)
	if err != nil || contractID == "" {
		return pv, nil, err
	}
	kv, err := s.contractView(ctx, s.db.R, a, contractID)
	return pv, kv, err
}

// CheckProposalEditable answers whether the actor may change the proposal, before anything is
// read from the request: not found (404) when it is not the firm's, forbidden (403) when the role
// or the creator rule refuses. The write itself checks again in its transaction.
func (s *Service) CheckProposalEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	if !validID(id) {
		return notFound()
	}
	p := new(Proposal)
	if err := a.Firm().Select(s.db.R, p).Column("created_by").Where("p.id = ?", id).Scan(ctx); err != nil {
		return db.Translate(err)
	}
	return auth.IsCreatorOrReadOnly(a, deref(p.CreatedBy))
}

// checkProposalClient requires the proposal's client, when set or changed, to be a client of
// the caller's firm.
func (s *Service) checkProposalClient(ctx context.Context, tx bun.IDB, a auth.Actor, old, p *Proposal, bad *fault.Fields) error {
	if p.ClientID == "" || old != nil && old.ClientID == p.ClientID || bad.Has("client") {
		return nil
	}
	ok, err := clientExists(ctx, tx, a.Firm(), p.ClientID)
	if err != nil {
		return err
	}
	if !ok {
		bad.Add("client", MsgClientUnknown)
	}
	return nil
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

// selectProposals starts a firm-scoped proposal query with the display fields.
func selectProposals(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("p.*").
		Join("LEFT JOIN clients AS pc ON pc.id = p.client_id").
		ColumnExpr("pc.company_name AS client_name")
}

// proposalView reads one proposal of the actor's firm with its display and computed fields.
func (s *Service) proposalView(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*ProposalView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(ProposalView)
	if err := selectProposals(idb, a.Firm(), v).Where("p.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	v.IsExpired = ProposalIsExpired(&v.Proposal, s.today(a))
	return v, nil
}

// lockProposal reads one proposal of the firm for a change, locking its row until the
// transaction ends, so concurrent status changes apply one after the other.
func (s *Service) lockProposal(ctx context.Context, tx bun.Tx, a auth.Actor, id string) (*Proposal, error) {
	if !validID(id) {
		return nil, notFound()
	}
	p := new(Proposal)
	err := s.db.ForUpdate(a.Firm().Select(tx, p).Where("p.id = ?", id)).Scan(ctx)
	return p, db.Translate(err)
}

// clientExists reports whether id is a client of the firm (id already checked as a UUID).
func clientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	ok, err := firm.Select(idb, (*Client)(nil)).Where("c.id = ?", id).Exists(ctx)
	return ok, db.Translate(err)
}

// proposalInUse turns the foreign key's verdict (a contract linked concurrently) into the
// conflict of DeleteProposal.
func proposalInUse(err error) error {
	if db.ConstraintOf(err) == db.ForeignKey {
		return fault.Wrap(fault.Conflict, MsgProposalInUse, err)
	}
	return err
}

// merge adds every message of src to dst.
func merge(dst *fault.Fields, src fault.Fields) {
	for field, msgs := range src {
		for _, m := range msgs {
			dst.Add(field, m)
		}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
