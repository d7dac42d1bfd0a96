package crm

import (
	"context"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Client is a company the firm sells to: a row of clients, with its owner's display name.
type Client struct {
	bun.BaseModel `bun:"table:clients,alias:c"`
	db.Deletion
	ID                  string        `bun:"id,pk"`
	FirmID              string        `bun:"firm_id"`
	CompanyName         string        `bun:"company_name"`
	Industry            string        `bun:"industry"`
	Status              ClientStatus  `bun:"status"`
	PrimaryContactName  string        `bun:"primary_contact_name"`
	PrimaryContactEmail string        `bun:"primary_contact_email"`
	PrimaryContactPhone string        `bun:"primary_contact_phone"`
	StreetAddress       string        `bun:"street_address"`
	City                string        `bun:"city"`
	State               string        `bun:"state"`
	PostalCode          string        `bun:"postal_code"`
	Country             string        `bun:"country"`
	Website             string        `bun:"website"`
	EmployeeCount       *int64        `bun:"employee_count"`
	AnnualRevenue       *money.Amount `bun:"annual_revenue"`
	Currency            string        `bun:"currency"`
	Source              string        `bun:"source"`
	OwnerID             *string       `bun:"owner_id"`
	Notes               string        `bun:"notes"`
	CreatedAt           time.Time     `bun:"created_at"`
	UpdatedAt           time.Time     `bun:"updated_at"`
	OwnerName           *string       `bun:"owner_name,scanonly"`
	// StripeCustomerID is read with the row but written only by SetStripeCustomer, so that
	// editing a client never overwrites it.
	StripeCustomerID *string `bun:"stripe_customer_id,scanonly"`
}

// clientQuery declares the client list's filters, search and ordering (SPEC §4).
func clientQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "status", Column: "c.status", Kind: db.ChoiceFilter, Choices: db.Choices(clientStatuses())},
			{Name: "industry", Column: "c.industry", Kind: db.TextFilter},
			{Name: "owner", Column: "c.owner_id", Kind: db.IDFilter},
		},
		Search: []string{"c.company_name", "c.primary_contact_name", "c.primary_contact_email"},
		// Served by trigram indexes (migration 00013), so a search does not read every client.
		SearchIndex: &db.SearchIndex{Table: "clients", FTS: "clients_fts"},
		Ordering: []db.OrderField{
			{Name: "company_name", Column: "lower(c.company_name)"},
			{Name: "created_at", Column: "c.created_at"},
			{Name: "status", Column: "c.status"},
		},
		Default:   "-created_at",
		UpdatedAt: "c.updated_at",
		ID:        "c.id",
	}
}

// ListClients lists the firm's clients.
func (s *Service) ListClients(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Client, int64, error) {
	if err := resource.Check(clientPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Client
	count, err := q.Window(q.Apply(selectClients(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// loadClient reads a client for the policy check before a request's body (resource.Loader).
func (s *Service) loadClient(ctx context.Context, a auth.Actor, id string) (*Client, error) {
	return s.client(ctx, s.db.R, a.Firm(), id)
}

// CreateClient adds a client: edit fills in the request. The owner is the creator unless an
// owner or admin names another; the country defaults to the firm's.
func (s *Service) CreateClient(ctx context.Context, a auth.Actor, edit func(*Client) fault.Fields) (*Client, error) {
	if err := resource.Check(clientPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	c := newClient(a)
	now := s.stamp()
	c.ID, c.FirmID, c.CreatedAt, c.UpdatedAt = db.NewID(), a.FirmID, now, now
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.editClient(ctx, tx, a, c, edit); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(c).Exec(ctx)
		return db.OnUnique(db.Translate(err), "company_name", MsgCompanyTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.client(ctx, s.db.R, a.Firm(), c.ID)
}

// UpdateClient changes a client as edit says, if the policy lets the caller.
func (s *Service) UpdateClient(ctx context.Context, a auth.Actor, id string, edit func(*Client) fault.Fields) (*Client, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.client(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(clientPolicy{}, a, resource.Update, c); err != nil {
			return err
		}
		if err := s.editClient(ctx, tx, a, c, edit); err != nil {
			return err
		}
		c.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, c).WherePK().Exec(ctx)
		return db.OnUnique(db.Translate(err), "company_name", MsgCompanyTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.client(ctx, s.db.R, a.Firm(), id)
}

// editClient applies edit to c and checks the result: formats first, then required fields, a
// unique company name and an owner who belongs to the firm. Only owners and admins change the
// owner; anyone else who sends a different one is refused (403).
func (s *Service) editClient(ctx context.Context, tx bun.IDB, a auth.Actor, c *Client, edit func(*Client) fault.Fields) error {
	owner := c.OwnerID
	bad := edit(c)
	if err := mayChangeOwner(a, owner, c); err != nil {
		return err
	}
	bad.Merge(c.formatProblems())
	if err := bad.Err(); err != nil {
		return err
	}
	bad = c.required()
	if c.CompanyName != "" {
		taken, err := a.Firm().Exists(ctx, tx, (*Client)(nil), "lower(c.company_name) = ? AND c.id <> ?",
			strings.ToLower(c.CompanyName), c.ID)
		if err != nil {
			return err
		}
		if taken {
			bad.Add("company_name", MsgCompanyTaken)
		}
	}
	if c.OwnerID != nil && (owner == nil || *owner != *c.OwnerID) {
		ok, err := s.members.IsMember(ctx, tx, a.Firm(), *c.OwnerID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("owner", MsgOwnerUnknown)
		}
	}
	return bad.Err()
}

// DeleteClient removes a client that no proposal or contract refers to.
func (s *Service) DeleteClient(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.client(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(clientPolicy{}, a, resource.Delete, c); err != nil {
			return err
		}
		for _, ref := range []any{(*Proposal)(nil), (*Contract)(nil)} {
			used, err := a.Firm().Exists(ctx, tx, ref, "?TableAlias.client_id = ?", id)
			if err != nil {
				return err
			}
			if used {
				return fault.New(fault.Conflict, MsgClientInUse)
			}
		}
		err = a.Firm().Remove(ctx, tx, (*Client)(nil), id, a.UserID, s.stamp())
		if db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgClientReferenced, err)
		}
		return err
	})
}

// selectClients starts a firm-scoped client query with the owner's name.
func selectClients(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("c.*")
	return auth.WithUserName(q, "owner_user", "c.owner_id", "owner_name")
}

func (s *Service) client(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Client, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	c := new(Client)
	err := selectClients(idb, firm, c).Where("c.id = ?", id).Scan(ctx)
	return c, db.Translate(err)
}

// HasClients reports whether the firm has any client (the demo seeding's marker).
func (s *Service) HasClients(ctx context.Context, firm db.Firm) (bool, error) {
	ok, err := firm.Select(s.db.R, (*Client)(nil)).Limit(1).Exists(ctx)
	return ok, db.Translate(err)
}
