package crm

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// MsgContractInUse answers the deletion of a contract that later records (projects, invoices)
// refer to.
const MsgContractInUse = "This contract is referenced by other records and cannot be deleted."

// ContractView is a contract with its display and computed fields, as lists and details show it.
type ContractView struct {
	Contract       `bun:",extend"`
	ClientName     *string `bun:"client_name"`
	ProposalNumber *string `bun:"proposal_number"`
	IsActive       bool    `bun:"-"`
}

// ContractList declares the contract list's filters, search and ordering (SPEC §4).
var ContractList = &db.ListSpec{
	Filters: []db.Filter{
		{Name: "client", Column: "k.client_id", Kind: db.IDFilter},
		{Name: "status", Column: "k.status", Kind: db.ChoiceFilter, Choices: ContractStatuses},
		{Name: "payment_terms", Column: "k.payment_terms", Kind: db.ChoiceFilter, Choices: PaymentTerms},
		{Name: "proposal", Column: "k.proposal_id", Kind: db.IDFilter},
	},
	Search: []string{"k.contract_number", "k.title", "kc.company_name"},
	Ordering: []db.OrderField{
		{Name: "contract_number", Column: "k.contract_number"},
		{Name: "created_at", Column: "k.created_at"},
		{Name: "start_date", Column: "k.start_date"},
	},
	Default:   "-created_at",
	UpdatedAt: "k.updated_at",
	ID:        "k.id",
}

// ListContracts lists the firm's contracts (every role reads CRM).
func (s *Service) ListContracts(ctx context.Context, a auth.Actor, p db.ListQuery) ([]ContractView, int64, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, 0, err
	}
	var rows []ContractView
	count, err := p.Window(p.Apply(selectContracts(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	today := s.today(a)
	for i := range rows {
		rows[i].IsActive = ContractIsActive(&rows[i].Contract, today)
	}
	return rows, int64(count), nil
}

// GetContract returns one contract of the firm.
func (s *Service) GetContract(ctx context.Context, a auth.Actor, id string) (*ContractView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	return s.contractView(ctx, s.db.R, a, id)
}

// CreateContract adds a contract numbered PREFIX-YYYY-NNN (the year of the firm's today),
// created by the caller (owners, admins and managers).
func (s *Service) CreateContract(ctx context.Context, a auth.Actor, ch ContractChanges) (*ContractView, error) {
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
	k := &Contract{ID: db.NewID(), FirmID: a.FirmID, Status: ContractDraft, Currency: cur.Code,
		PaymentTerms: DefaultPaymentTerms, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	bad := ch.apply(k)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkContract(ctx, tx, a, nil, k, today, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		return s.insertContract(ctx, tx, a, k, today)
	})
	if err != nil {
		return nil, err
	}
	return s.contractView(ctx, s.db.R, a, k.ID)
}

// UpdateContract changes a contract: owners, admins and managers any, a consultant the ones they
// created (IsCreatorOrReadOnly). The rules apply to the effective values.
func (s *Service) UpdateContract(ctx context.Context, a auth.Actor, id string, ch ContractChanges) (*ContractView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		k, err := s.lockContract(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := auth.IsCreatorOrReadOnly(a, deref(k.CreatedBy)); err != nil {
			return err
		}
		if err := ch.formatProblems(currencyOf(k.Currency)).Err(); err != nil {
			return err
		}
		old := *k
		bad := ch.apply(k)
		now := s.stamp()
		if err := s.checkContract(ctx, tx, a, &old, k, date.Today(now, a.Location()), &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		k.UpdatedAt = now
		_, err = a.Firm().Update(tx, k).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.contractView(ctx, s.db.R, a, id)
}

// DeleteContract removes a contract (owners, admins and managers).
func (s *Service) DeleteContract(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.lockContract(ctx, tx, a, id); err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.CRM); err != nil {
			return err
		}
		_, err := a.Firm().Delete(tx, (*Contract)(nil)).Where("k.id = ?", id).Exec(ctx)
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgContractInUse, err)
		}
		return err
	})
}

// CheckContractEditable is CheckProposalEditable for contracts.
func (s *Service) CheckContractEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	if !validID(id) {
		return notFound()
	}
	k := new(Contract)
	if err := a.Firm().Select(s.db.R, k).Column("created_by").Where("k.id = ?", id).Scan(ctx); err != nil {
		return db.Translate(err)
	}
	return auth.IsCreatorOrReadOnly(a, deref(k.CreatedBy))
}

// checkContract applies the rules that need the merged contract, the clock or the database: a
// client and a proposal of the firm, the proposal of the same client, the activation stamp and
// ContractRules. Messages are added to bad.
func (s *Service) checkContract(ctx context.Context, tx bun.IDB, a auth.Actor, old, k *Contract, today date.Date, bad *fault.Fields) error {
	if k.ClientID != "" && (old == nil || old.ClientID != k.ClientID) && !bad.Has("client") {
		ok, err := clientExists(ctx, tx, a.Firm(), k.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgClientUnknown)
		}
	}
	var proposalClient string
	if k.ProposalID != nil {
		p := new(Proposal)
		err := a.Firm().Select(tx, p).Column("p.client_id").Where("p.id = ?", *k.ProposalID).Scan(ctx)
		switch err = db.Translate(err); {
		case fault.KindOf(err) == fault.NotFound:
			bad.Add("proposal", MsgProposalUnknown)
		case err != nil:
			return err
		default:
			proposalClient = p.ClientID
		}
	}
	merge(bad, ActivateContract(old, k, today))
	merge(bad, ContractRules(k, proposalClient))
	return nil
}

// insertContract numbers and inserts a new contract, inside the caller's transaction.
func (s *Service) insertContract(ctx context.Context, tx bun.Tx, a auth.Actor, k *Contract, today date.Date) error {
	year := today.Year()
	n, err := db.NextNumber(ctx, tx, a.FirmID, "contract", year)
	if err != nil {
		return err
	}
	k.ContractNumber = db.FormatNumber(orDefault(a.ContractPrefix, defaultContractPrefix), year, n)
	_, err = tx.NewInsert().Model(k).Exec(ctx)
	return db.Translate(err)
}

// selectContracts starts a firm-scoped contract query with the display fields.
func selectContracts(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("k.*").
		Join("LEFT JOIN clients AS kc ON kc.id = k.client_id").
		ColumnExpr("kc.company_name AS client_name").
		Join("LEFT JOIN proposals AS kp ON kp.id = k.proposal_id").
		ColumnExpr("kp.proposal_number AS proposal_number")
}

// contractView reads one contract of the actor's firm with its display and computed fields.
func (s *Service) contractView(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*ContractView, error) {
	if !validID(id) {
		return nil, notFound()
	}
	v := new(ContractView)
	if err := selectContracts(idb, a.Firm(), v).Where("k.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	v.IsActive = ContractIsActive(&v.Contract, s.today(a))
	return v, nil
}

// lockContract reads one contract of the firm for a change, locking its row until the
// transaction ends.
func (s *Service) lockContract(ctx context.Context, tx bun.Tx, a auth.Actor, id string) (*Contract, error) {
	if !validID(id) {
		return nil, notFound()
	}
	k := new(Contract)
	err := s.db.ForUpdate(a.Firm().Select(tx, k).Where("k.id = ?", id)).Scan(ctx)
	return k, db.Translate(err)
}
