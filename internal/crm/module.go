package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// Members answers whether a user id belongs to a firm (the auth module).
type Members interface {
	IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
}

// Service is the CRM module.
type Service struct {
	db      *db.DB
	now     func() time.Time
	members Members
}

// NewService assembles the CRM module; now defaults to time.Now.
func NewService(d *db.DB, members Members, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, members: members, now: now}
}

// Register adds the CRM module's operations to the API.
func Register(a *api.API, s *Service) {
	registerClients(a, s)
	registerProposals(a, s)
	registerContracts(a, s)
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }

// today is the firm's today at the service clock: the day that dates are checked against.
func (s *Service) today(a auth.Actor) date.Date { return date.Today(s.now(), a.Location()) }

// What later modules (projects, finance) may ask of the CRM, so that they never read its tables
// themselves. ContractClient queries, so it lives in the contract store.

// ClientExists reports whether id names a client of the firm.
func (s *Service) ClientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	_, err := s.client(ctx, idb, firm, id)
	if db.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// ClientOwner returns the owner of a client of the firm ("" when it has none); NotFound when
// the client is not the firm's.
func (s *Service) ClientOwner(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (string, error) {
	c, err := s.client(ctx, idb, firm, id)
	if err != nil {
		return "", err
	}
	return c.ownerID(), nil
}

// WithClientName joins a client to a list query and selects its company name as column as (in
// SQL, for the whole page). fk is the trusted SQL expression of the client id.
func WithClientName(q *bun.SelectQuery, alias, fk, as string) *bun.SelectQuery {
	return q.Join(fmt.Sprintf("LEFT JOIN clients AS %s ON %s.id = %s", alias, alias, fk)).
		ColumnExpr(fmt.Sprintf("%s.company_name AS %s", alias, as))
}

// WithContractNumber joins a contract and selects its number as column as.
func WithContractNumber(q *bun.SelectQuery, alias, fk, as string) *bun.SelectQuery {
	return q.Join(fmt.Sprintf("LEFT JOIN contracts AS %s ON %s.id = %s", alias, alias, fk)).
		ColumnExpr(fmt.Sprintf("%s.contract_number AS %s", alias, as))
}

// ClientNameColumn is the SQL expression of the client name joined by WithClientName, for search.
func ClientNameColumn(alias string) string { return alias + ".company_name" }

// creatorMayEdit is the object rule of proposals and contracts (SPEC §1's IsCreatorOrReadOnly):
// a role that writes CRM edits any, a consultant the ones they created.
func creatorMayEdit(a auth.Actor, createdBy *string) error {
	if auth.CanWrite(a, auth.CRM) == nil || a.Role == auth.Consultant && createdBy != nil && *createdBy != "" && *createdBy == a.UserID {
		return nil
	}
	return auth.Forbidden()
}

// setClient stores a sent client id. One that is not an id cannot name a client of the firm and
// is reported as a format; an empty one is left to the required rule (and the schema).
func setClient(bad *fault.Fields, dst *string, v *string) {
	if v == nil {
		return
	}
	*dst = strings.TrimSpace(*v)
	if *v != "" && !db.ValidID(*dst) {
		bad.Add("client", MsgClientUnknown)
	}
}

// setMoney merges a sent amount and currency into a stored pair (amount in minor units of code)
// and reports what cannot be merged. The amount is read in the sent currency when that is valid,
// else in the stored one; when neither is known (a handler's early look at an update) it is not
// read. When the currency changes without a new amount, the stored figure is kept in the new
// currency ("1600.00" USD becomes "1600.00" EUR); a figure the new currency cannot hold is
// reported on field, and the stored figure stays. An empty amount is the schema's to report.
func setMoney(bad *fault.Fields, field string, amount *money.Amount, code *string, sent *money.Decimal, sentCode *string) {
	old, hadCurrency := money.LookupCurrency(*code)
	cur, known := old, hadCurrency
	if sentCode != nil {
		if c, ok := money.LookupCurrency(strings.TrimSpace(*sentCode)); ok {
			cur, known = c, true
		} else {
			bad.Add("currency", money.ErrUnknownCurrency.Error())
		}
	}
	switch {
	case sent != nil:
		if *sent == "" || !known {
			break
		}
		a, err := sent.Amount(cur)
		if err != nil {
			bad.Add(field, err.Error())
			break
		}
		*amount = a
	case hadCurrency && cur.Code != old.Code:
		a, err := money.Reprice(*amount, old, cur)
		if err != nil {
			bad.Add(field, err.Error())
			break
		}
		*amount = a
	}
	if known {
		*code = cur.Code
	}
}

// datePtr renders an optional date: null when unset.
func datePtr(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := string(d)
	return &s
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
