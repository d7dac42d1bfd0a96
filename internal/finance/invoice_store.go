package finance

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Invoice is what a firm bills a client: a row of invoices with its lines (invoice_lines), the
// names of its client and project, and the people the policy asks about (the project's manager,
// the client's owner).
type Invoice struct {
	bun.BaseModel    `bun:"table:invoices,alias:inv"`
	ID               string            `bun:"id,pk"`
	FirmID           string            `bun:"firm_id"`
	ClientID         string            `bun:"client_id"`
	ProjectID        *string           `bun:"project_id"`
	InvoiceNumber    *string           `bun:"invoice_number"`
	Status           InvoiceStatus     `bun:"status"`
	Currency         string            `bun:"currency"`
	Subtotal         money.Amount      `bun:"subtotal"`
	TaxRate          *Percent          `bun:"tax_rate"`
	TaxAmount        money.Amount      `bun:"tax_amount"`
	DiscountAmount   money.Amount      `bun:"discount_amount"`
	TotalAmount      money.Amount      `bun:"total_amount"`
	AmountPaid       money.Amount      `bun:"amount_paid"`
	Credited         money.Amount      `bun:"credited"` // closed by a credit when fully refunded
	IssueDate        date.Date         `bun:"issue_date"`
	DueDate          date.Date         `bun:"due_date"`
	PaymentTerms     auth.PaymentTerms `bun:"payment_terms"`
	PaidDate         date.Date         `bun:"paid_date"`
	SentAt           *time.Time        `bun:"sent_at"`
	Notes            string            `bun:"notes"`
	CreatedBy        *string           `bun:"created_by"`
	CreatedAt        time.Time         `bun:"created_at"`
	UpdatedAt        time.Time         `bun:"updated_at"`
	ClientName       *string           `bun:"client_name,scanonly"`
	ProjectName      *string           `bun:"project_name,scanonly"`
	ProjectManagerID *string           `bun:"project_manager_id,scanonly"`
	ClientOwnerID    *string           `bun:"client_owner_id,scanonly"`

	Lines     []Line `bun:"-"`
	IsOverdue bool   `bun:"-"` // computed on the firm's today when read

	edit invoiceEdit // what a request sent that is read once the currency is known
}

// invoiceEdit holds the parts of a request that need the invoice's currency (amounts) or a
// service decision (status, currency defaults).
type invoiceEdit struct {
	lines                              *[]LineInput
	taxRate, discount, subtotal, total *money.Decimal
	currency                           *string
	status                             *InvoiceStatus
	dueSent                            bool
}

// invoiceLine is a row of invoice_lines.
type invoiceLine struct {
	bun.BaseModel `bun:"table:invoice_lines,alias:il"`
	ID            string       `bun:"id,pk"`
	FirmID        string       `bun:"firm_id"`
	InvoiceID     string       `bun:"invoice_id"`
	Position      int          `bun:"position"`
	Description   string       `bun:"description"`
	Quantity      money.Hours  `bun:"quantity"`
	Rate          money.Amount `bun:"rate"`
	Amount        money.Amount `bun:"amount"`
}

// invoiceQuery declares the invoice list's filters, search and ordering (SPEC §6).
func invoiceQuery() *db.ListSpec {
	filters := []db.Filter{
		{Name: "client", Column: "inv.client_id", Kind: db.IDFilter},
		{Name: "project", Column: "inv.project_id", Kind: db.IDFilter},
		{Name: "status", Column: "inv.status", Kind: db.ChoiceFilter, Choices: db.Choices(InvoiceStatuses())},
	}
	filters = append(filters, db.DateRange("issue_date", "inv.issue_date")...)
	filters = append(filters, db.DateRange("due_date", "inv.due_date")...)
	return &db.ListSpec{
		Filters: filters,
		Search:  []string{"inv.invoice_number", "invc.company_name"},
		Ordering: []db.OrderField{
			{Name: "invoice_number", Column: "inv.invoice_number"},
			{Name: "issue_date", Column: "inv.issue_date"},
			{Name: "due_date", Column: "inv.due_date"},
			{Name: "total_amount", Column: "inv.total_amount"},
			{Name: "created_at", Column: "inv.created_at"},
		},
		Default:   "-created_at",
		UpdatedAt: "inv.updated_at",
		ID:        "inv.id",
	}
}

// ListInvoices lists the firm's invoices with their lines: the page, its count and one query
// for the page's lines.
func (s *Service) ListInvoices(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Invoice, int64, error) {
	if err := resource.Check(invoicePolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Invoice
	if err := q.Window(q.Apply(selectInvoices(s.db.R, a.Firm(), &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	cq := q.Where(a.Firm().Select(s.db.R, (*Invoice)(nil)))
	if q.Searching() {
		cq = crm.WithClientName(cq, "invc", "inv.client_id", "client_name")
	}
	count, err := cq.Count(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	ptrs := make([]*Invoice, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	if err := s.loadLines(ctx, s.db.R, a.Firm(), ptrs...); err != nil {
		return nil, 0, err
	}
	today := s.today(a)
	for i := range rows {
		rows[i].IsOverdue = rows[i].overdue(today)
	}
	return rows, int64(count), nil
}

// GetInvoice returns one invoice of the firm.
func (s *Service) GetInvoice(ctx context.Context, a auth.Actor, id string) (*Invoice, error) {
	inv, err := s.invoiceView(ctx, s.db.R, a, id)
	if err != nil {
		return nil, err
	}
	return inv, resource.Check(invoicePolicy{}, a, resource.Read, inv)
}

// loadInvoice reads an invoice for the policy check before a request's body (resource.Loader).
func (s *Service) loadInvoice(ctx context.Context, a auth.Actor, id string) (*Invoice, error) {
	return s.invoiceRow(ctx, s.db.R, a.Firm(), id, false)
}

// selectInvoices starts a firm-scoped invoice query with the display and policy fields.
func selectInvoices(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("inv.*")
	q = crm.WithClientName(q, "invc", "inv.client_id", "client_name").ColumnExpr("invc.owner_id AS client_owner_id")
	return q.Join("LEFT JOIN projects AS invp ON invp.id = inv.project_id").
		ColumnExpr("invp.name AS project_name, invp.project_manager_id AS project_manager_id")
}

// invoiceView reads one invoice with its lines and computed fields.
func (s *Service) invoiceView(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*Invoice, error) {
	inv, err := s.invoiceRow(ctx, idb, a.Firm(), id, false)
	if err != nil {
		return nil, err
	}
	if err := s.loadLines(ctx, idb, a.Firm(), inv); err != nil {
		return nil, err
	}
	inv.IsOverdue = inv.overdue(s.today(a))
	return inv, nil
}

// invoiceRow reads one invoice of the firm with its display and policy fields; lock locks the
// invoice's row (not the joined ones) until the transaction ends. Lines are not read.
func (s *Service) invoiceRow(ctx context.Context, idb bun.IDB, firm db.Firm, id string, lock bool) (*Invoice, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	inv := new(Invoice)
	q := selectInvoices(idb, firm, inv).Where("inv.id = ?", id)
	if lock && !s.db.SerialWrites() {
		q = q.For("UPDATE OF inv")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return inv, nil
}

// lockInvoice reads an invoice with its lines for a change, locking its row.
func (s *Service) lockInvoice(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Invoice, error) {
	inv, err := s.invoiceRow(ctx, tx, firm, id, true)
	if err != nil {
		return nil, err
	}
	return inv, s.loadLines(ctx, tx, firm, inv)
}

// loadLines reads the lines of invoices in one query.
func (s *Service) loadLines(ctx context.Context, idb bun.IDB, firm db.Firm, invs ...*Invoice) error {
	if len(invs) == 0 {
		return nil
	}
	byID := make(map[string]*Invoice, len(invs))
	ids := make([]string, len(invs))
	for i, inv := range invs {
		byID[inv.ID], ids[i] = inv, inv.ID
		inv.Lines = []Line{}
	}
	var rows []invoiceLine
	err := firm.Select(idb, &rows).Where("il.invoice_id IN (?)", bun.List(ids)).OrderExpr("il.invoice_id, il.position").Scan(ctx)
	if err != nil {
		return db.Translate(err)
	}
	for _, r := range rows {
		inv := byID[r.InvoiceID]
		inv.Lines = append(inv.Lines, Line{Description: r.Description, Quantity: r.Quantity, Rate: r.Rate, Amount: r.Amount})
	}
	return nil
}

// saveLines replaces an invoice's lines.
func saveLines(ctx context.Context, tx bun.Tx, firm db.Firm, inv *Invoice, replace bool) error {
	if replace {
		if _, err := firm.Delete(tx, (*invoiceLine)(nil)).Where("il.invoice_id = ?", inv.ID).Exec(ctx); err != nil {
			return db.Translate(err)
		}
	}
	if len(inv.Lines) == 0 {
		return nil
	}
	rows := make([]invoiceLine, len(inv.Lines))
	for i, l := range inv.Lines {
		rows[i] = invoiceLine{ID: db.NewID(), FirmID: inv.FirmID, InvoiceID: inv.ID, Position: i + 1,
			Description: l.Description, Quantity: l.Quantity, Rate: l.Rate, Amount: l.Amount}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return db.Translate(err)
}
