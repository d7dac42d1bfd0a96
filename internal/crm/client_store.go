package crm

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// ClientView is a client with its display fields, as lists and details show it.
type ClientView struct {
	Client    `bun:",extend"`
	OwnerName *string `bun:"owner_name"`
}

// ClientList declares the client list's filters, search and ordering (SPEC §4).
var ClientList = &api.ListSpec{
	Filters: []api.Filter{
		{Name: "status", Column: "c.status", Kind: api.Choice, Choices: ClientStatuses},
		{Name: "industry", Column: "c.industry", Kind: api.Text},
		{Name: "owner", Column: "c.owner_id", Kind: api.ID},
	},
	Search: []string{"c.company_name", "c.primary_contact_name", "c.primary_contact_email"},
	Ordering: []api.OrderField{
		{Name: "company_name", Column: "lower(c.company_name)"},
		{Name: "created_at", Column: "c.created_at"},
		{Name: "status", Column: "c.status"},
	},
	Default:   "-created_at",
	UpdatedAt: "c.updated_at",
	ID:        "c.id",
}

// selectClients starts a firm-scoped client query with the display fields.
func selectClients(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("c.*")
	return auth.WithUserName(q, "owner_user", "c.owner_id", "owner_name")
}

func (s *Service) listClients(ctx context.Context, firm db.Firm, p api.Params) ([]ClientView, int64, error) {
	var rows []ClientView
	count, err := p.Window(p.Apply(selectClients(s.db.R, firm, &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

func (s *Service) client(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*ClientView, error) {
	v := new(ClientView)
	if !validID(id) {
		return nil, notFound()
	}
	err := selectClients(idb, firm, v).Where("c.id = ?", id).Scan(ctx)
	return v, db.Translate(err)
}

// companyTaken reports whether another client of the firm has this name, ignoring case.
func companyTaken(ctx context.Context, idb bun.IDB, firm db.Firm, name, exceptID string) (bool, error) {
	q := firm.Select(idb, (*Client)(nil)).Where("lower(c.company_name) = ?", strings.ToLower(name))
	if exceptID != "" {
		q = q.Where("c.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

// clientInUse reports whether proposals or contracts refer to the client.
func clientInUse(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	used, err := firm.Select(idb, (*Proposal)(nil)).Where("p.client_id = ?", id).Exists(ctx)
	if err != nil || used {
		return used, db.Translate(err)
	}
	used, err = firm.Select(idb, (*Contract)(nil)).Where("k.client_id = ?", id).Exists(ctx)
	return used, db.Translate(err)
}
