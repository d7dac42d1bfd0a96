package crm

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

func notFound() error { return fault.New(fault.NotFound, api.MsgNotFound) }

func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// currencyOf returns a currency known to be valid (the firm's or a stored one).
func currencyOf(code string) money.Currency {
	if c, ok := money.LookupCurrency(code); ok {
		return c
	}
	c, _ := money.LookupCurrency("USD")
	return c
}

// ListClients lists the firm's clients (every role reads CRM).
func (s *Service) ListClients(ctx context.Context, a auth.Actor, p api.Params) ([]ClientView, int64, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, 0, err
	}
	return s.listClients(ctx, a.Firm(), p)
}

// GetClient returns one client of the firm.
func (s *Service) GetClient(ctx context.Context, a auth.Actor, id string) (*ClientView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	return s.client(ctx, s.db.R, a.Firm(), id)
}

// CreateClient adds a client. The owner defaults to the creator; only owners and admins name
// another owner (for anyone else the field is read-only and ignored).
func (s *Service) CreateClient(ctx context.Context, a auth.Actor, ch ClientChanges) (*ClientView, error) {
	if err := auth.CanWrite(a, auth.CRM); err != nil {
		return nil, err
	}
	cur := currencyOf(a.Currency)
	if err := ch.formatProblems(cur).Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	owner := a.UserID
	c := &Client{ID: db.NewID(), FirmID: a.FirmID, Status: "lead", Currency: cur.Code, OwnerID: &owner,
		CreatedAt: now, UpdatedAt: now}
	if ch.Country == nil {
		ch.Country = &a.Country
	}
	if !a.Role.IsAdmin() {
		ch.Owner = nil
	}
	ch.apply(c, cur)
	var id string
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkClient(ctx, tx, a, c, ch); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(c).Exec(ctx)
		id = c.ID
		return companyRace(db.Translate(err))
	})
	if err != nil {
		return nil, err
	}
	return s.client(ctx, s.db.R, a.Firm(), id)
}

// UpdateClient changes a client: owners, admins and managers any, a consultant the clients they
// own (IsOwnerOrReadOnly).
func (s *Service) UpdateClient(ctx context.Context, a auth.Actor, id string, ch ClientChanges) (*ClientView, error) {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return nil, err
	}
	if !a.Role.IsAdmin() {
		ch.Owner = nil
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		v, err := s.client(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		c := &v.Client
		if err := auth.IsOwnerOrReadOnly(a, deref(c.OwnerID)); err != nil {
			return err
		}
		cur := currencyOf(c.Currency)
		if err := ch.formatProblems(cur).Err(); err != nil {
			return err
		}
		ch.apply(c, cur)
		if err := s.checkClient(ctx, tx, a, c, ch); err != nil {
			return err
		}
		c.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, c).WherePK().Exec(ctx)
		return companyRace(db.Translate(err))
	})
	if err != nil {
		return nil, err
	}
	return s.client(ctx, s.db.R, a.Firm(), id)
}

// CheckClientEditable reports whether the caller may edit the client: 404 for another firm's
// or an unknown id, 403 when IsOwnerOrReadOnly refuses.
func (s *Service) CheckClientEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	v, err := s.client(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return err
	}
	return auth.IsOwnerOrReadOnly(a, deref(v.OwnerID))
}

// DeleteClient removes a client that nothing refers to (owners, admins and managers).
func (s *Service) DeleteClient(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.CRM); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.client(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.CRM); err != nil {
			return err
		}
		used, err := clientInUse(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if used {
			return fault.New(fault.Conflict, MsgClientInUse)
		}
		_, err = a.Firm().Delete(tx, (*Client)(nil)).Where("c.id = ?", id).Exec(ctx)
		return db.Translate(err)
	})
}

// checkClient applies the rules that need the merged client or the database: required fields,
// a unique company name, and an owner who belongs to the firm.
func (s *Service) checkClient(ctx context.Context, tx bun.IDB, a auth.Actor, c *Client, ch ClientChanges) error {
	bad := c.required()
	if c.CompanyName != "" {
		taken, err := companyTaken(ctx, tx, a.Firm(), c.CompanyName, c.ID)
		if err != nil {
			return err
		}
		if taken {
			bad.Add("company_name", MsgCompanyTaken)
		}
	}
	if ch.Owner != nil {
		if *ch.Owner == "" {
			c.OwnerID = nil
		} else {
			ok, err := s.members.IsMember(ctx, tx, a.Firm(), *ch.Owner)
			if err != nil {
				return err
			}
			if !ok {
				bad.Add("owner", MsgOwnerUnknown)
			}
			owner := *ch.Owner
			c.OwnerID = &owner
		}
	}
	return bad.Err()
}

// companyRace turns the unique index's verdict (a concurrent create) into the field message.
func companyRace(err error) error {
	if db.ConstraintOf(err) == db.Unique {
		return fault.Field("company_name", MsgCompanyTaken)
	}
	return err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
