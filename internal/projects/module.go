package projects

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Members answers whether a user id belongs to a firm, and locks a user for per-user rules
// (the auth module).
type Members interface {
	IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
	LockMember(ctx context.Context, tx bun.IDB, firm db.Firm, id string) error
}

// Clients answers questions about the CRM's clients and contracts (the crm module).
type Clients interface {
	ClientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
	ContractClient(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (clientID string, ok bool, err error)
}

// Service is the projects module: projects, tasks and time entries.
type Service struct {
	db      *db.DB
	now     func() time.Time
	members Members
	clients Clients
}

// NewService assembles the projects module; now defaults to time.Now.
func NewService(d *db.DB, members Members, clients Clients, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, members: members, clients: clients, now: now}
}

// Register adds the projects module's operations to the API.
func Register(a *api.API, s *Service) {
	registerProjects(a, s)
	registerTasks(a, s)
	registerTimeEntries(a, s)
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }

// badID reports whether an optional id is set to text that cannot name a row. Such an id never
// reaches the database (PostgreSQL's uuid columns would refuse it).
func badID(id *string) bool { return id != nil && !db.ValidID(*id) }

// deref is an optional id's value, "" when it is unset.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// stampOut renders an optional stamp in UTC.
func stampOut(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
