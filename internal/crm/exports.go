package crm

import (
	"context"
	"fmt"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// What later modules (projects, finance) may ask of the CRM, so that they never read its tables
// themselves.

// ClientExists reports whether id names a client of the firm.
func (s *Service) ClientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	if !validID(id) {
		return false, nil
	}
	ok, err := firm.Select(idb, (*Client)(nil)).Where("c.id = ?", id).Exists(ctx)
	return ok, db.Translate(err)
}

// ClientOwner returns the owner of a client of the firm ("" when it has none); NotFound when
// the client is not the firm's.
func (s *Service) ClientOwner(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (string, error) {
	v, err := s.client(ctx, idb, firm, id)
	if err != nil {
		return "", err
	}
	return deref(v.OwnerID), nil
}

// ContractClient returns the client of a contract of the firm; ok is false when the contract is
// not the firm's.
func (s *Service) ContractClient(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (clientID string, ok bool, err error) {
	if !validID(id) {
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
