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

// Contract is an agreement with a client, numbered CTR-YYYY-NNN: a row of contracts, with its
// client's name, its proposal's number and whether it is active (computed on the firm's today
// when read).
type Contract struct {
	bun.BaseModel `bun:"table:contracts,alias:k"`
	db.Deletion
	ID              string         `bun:"id,pk"`
	FirmID          string         `bun:"firm_id"`
	ClientID        string         `bun:"client_id"`
	ProposalID      *string        `bun:"proposal_id"`
	ContractNumber  string         `bun:"contract_number"`
	Title           string         `bun:"title"`
	Description     string         `bun:"description"`
	Status          ContractStatus `bun:"status"`
	TotalValue      money.Amount   `bun:"total_value"`
	Currency        string         `bun:"currency"`
	PaymentTerms    PaymentTerms   `bun:"payment_terms"`
	StartDate       date.Date      `bun:"start_date"`
	EndDate         date.Date      `bun:"end_date"`
	SignedDate      date.Date      `bun:"signed_date,nullzero"`
	SignedBy        string         `bun:"signed_by"`
	ContractFileURL string         `bun:"contract_file_url"`
	Notes           string         `bun:"notes"`
	CreatedBy       *string        `bun:"created_by"`
	CreatedAt       time.Time      `bun:"created_at"`
	UpdatedAt       time.Time      `bun:"updated_at"`
	ClientName      *string        `bun:"client_name,scanonly"`
	ProposalNumber  *string        `bun:"proposal_number,scanonly"`
	IsActive        bool           `bun:"-"`
}

// contractQuery declares the contract list's filters, search and ordering (SPEC §4).
func contractQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "client", Column: "k.client_id", Kind: db.IDFilter},
			{Name: "status", Column: "k.status", Kind: db.ChoiceFilter, Choices: db.Choices(contractStatuses())},
			{Name: "payment_terms", Column: "k.payment_terms", Kind: db.ChoiceFilter, Choices: db.Choices(paymentTerms())},
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
}

// ListContracts lists the firm's contracts.
func (s *Service) ListContracts(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Contract, int64, error) {
	if err := resource.Check(contractPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Contract
	count, err := q.Window(q.Apply(selectContracts(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	today := s.today(a)
	for i := range rows {
		rows[i].IsActive = rows[i].active(today)
	}
	return rows, int64(count), nil
}

// GetContract returns one contract of the firm.
func (s *Service) GetContract(ctx context.Context, a auth.Actor, id string) (*Contract, error) {
	k, err := s.contract(ctx, s.db.R, a, id)
	if err != nil {
		return nil, err
	}
	return k, resource.Check(contractPolicy{}, a, resource.Read, k)
}

// loadContract reads a contract for the policy check before a request's body (resource.Loader).
func (s *Service) loadContract(ctx context.Context, a auth.Actor, id string) (*Contract, error) {
	return s.contract(ctx, s.db.R, a, id)
}

// CreateContract adds a contract numbered PREFIX-YYYY-NNN (the year of the firm's today),
// created by the caller: edit fills in the request.
func (s *Service) CreateContract(ctx context.Context, a auth.Actor, edit func(*Contract) fault.Fields) (*Contract, error) {
	if err := resource.Check(contractPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	by := a.UserID
	k := &Contract{ID: db.NewID(), FirmID: a.FirmID, Status: ContractDraft, Currency: money.CurrencyOf(a.Currency).Code,
		PaymentTerms: defaultPaymentTerms, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.editContract(ctx, tx, a, nil, k, edit, today); err != nil {
			return err
		}
		return s.insertContract(ctx, tx, a, k, today)
	})
	if err != nil {
		return nil, err
	}
	return s.contract(ctx, s.db.R, a, k.ID)
}

// UpdateContract changes a contract as edit says, if the policy lets the caller. The rules apply
// to the effective values.
func (s *Service) UpdateContract(ctx context.Context, a auth.Actor, id string, edit func(*Contract) fault.Fields) (*Contract, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		k, err := s.lockContract(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(contractPolicy{}, a, resource.Update, k); err != nil {
			return err
		}
		old := *k
		now := s.stamp()
		if err := s.editContract(ctx, tx, a, &old, k, edit, date.Today(now, a.Location())); err != nil {
			return err
		}
		k.UpdatedAt = now
		_, err = a.Firm().Update(tx, k).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.contract(ctx, s.db.R, a, id)
}

// editContract applies edit to k and checks the result: what cannot be merged and the formats
// first, alone; then a client and a proposal of the firm, the proposal of the same client, the
// activation stamp (compared with old, nil on create) and the rules.
func (s *Service) editContract(ctx context.Context, tx bun.IDB, a auth.Actor, old, k *Contract,
	edit func(*Contract) fault.Fields, today date.Date) error {
	bad := edit(k)
	bad.Merge(k.formatProblems())
	if err := bad.Err(); err != nil {
		return err
	}
	if k.ClientID != "" && (old == nil || old.ClientID != k.ClientID) {
		ok, err := s.ClientExists(ctx, tx, a.Firm(), k.ClientID)
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
	bad.Merge(k.activate(old, today))
	bad.Merge(k.rules(proposalClient))
	return bad.Err()
}

// DeleteContract removes a contract that no later record (project, invoice) refers to.
func (s *Service) DeleteContract(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		k, err := s.lockContract(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(contractPolicy{}, a, resource.Delete, k); err != nil {
			return err
		}
		err = a.Firm().Remove(ctx, tx, (*Contract)(nil), id, a.UserID, s.stamp())
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgContractInUse, err)
		}
		return err
	})
}

// ContractClient returns the client of a contract of the firm; ok is false when the contract is
// not the firm's. Later modules (projects) ask it instead of reading contracts.
func (s *Service) ContractClient(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (clientID string, ok bool, err error) {
	if !db.ValidID(id) {
		return "", false, nil
	}
	err = firm.Select(idb, (*Contract)(nil)).Column("k.client_id").Where("k.id = ?", id).Scan(ctx, &clientID)
	if err != nil {
		if err = db.Translate(err); db.IsNotFound(err) {
			return "", false, nil
		}
		return "", false, err
	}
	return clientID, true, nil
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

// contract reads one contract of the actor's firm with its display and computed fields.
func (s *Service) contract(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*Contract, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	k := new(Contract)
	if err := selectContracts(idb, a.Firm(), k).Where("k.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	k.IsActive = k.active(s.today(a))
	return k, nil
}

// lockContract reads one contract of the firm for a change, locking its row until the
// transaction ends.
func (s *Service) lockContract(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Contract, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	k := new(Contract)
	err := s.db.ForUpdate(firm.Select(tx, k).Where("k.id = ?", id)).Scan(ctx)
	return k, db.Translate(err)
}
