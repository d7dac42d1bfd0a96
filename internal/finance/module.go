package finance

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/uptrace/bun"
)

// Clients answers questions about the CRM's clients (the crm module).
type Clients interface {
	ClientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
	BillTo(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*crm.BillTo, error)
}

// Projects is what finance asks of the projects module: an invoice's project and the time it
// bills.
type Projects interface {
	ProjectRef(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (projects.ProjectRef, error)
	UnbilledEntries(ctx context.Context, tx bun.Tx, firm db.Firm, q projects.UnbilledQuery) ([]projects.BillableEntry, error)
	MarkInvoiced(ctx context.Context, tx bun.Tx, firm db.Firm, invoiceID string, ids []string) (int64, error)
	ReleaseInvoice(ctx context.Context, tx bun.Tx, firm db.Firm, invoiceID string) error
}

// Firms reads a firm's settings (the auth module): default payment terms of new invoices.
type Firms interface {
	Firm(ctx context.Context, a auth.Actor) (*auth.Firm, error)
	FirmByID(ctx context.Context, id string) (*auth.Firm, error)
}

// Service is the finance module: invoices, payments, bills and the ledger.
type Service struct {
	db       *db.DB
	now      func() time.Time
	clients  Clients
	projects Projects
	firms    Firms
	payLink  func(invoiceID string) string // nil: no online payment page to link to
	notifier Notifier
}

// NewService assembles the finance module; now defaults to time.Now.
func NewService(d *db.DB, clients Clients, projects Projects, firms Firms, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, clients: clients, projects: projects, firms: firms, now: now}
}

// Register adds the finance module's operations to the API.
func Register(a *api.API, s *Service) {
	registerInvoices(a, s)
	registerInvoicePDF(a, s)
	registerGenerate(a, s)
	registerPayments(a, s)
	registerBills(a, s)
	registerLedger(a, s)
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }

// today is the firm's today.
func (s *Service) today(a auth.Actor) date.Date { return date.Today(s.now(), a.Location()) }
