package finance

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

// Bill is a vendor's bill the firm pays (accounts payable): a row of bills with its lines
// (bill_lines) and the names of its project and approver.
type Bill struct {
	bun.BaseModel `bun:"table:bills,alias:bl"`
	db.Deletion
	ID              string          `bun:"id,pk"`
	FirmID          string          `bun:"firm_id"`
	ProjectID       *string         `bun:"project_id"`
	VendorName      string          `bun:"vendor_name"`
	VendorEmail     string          `bun:"vendor_email"`
	BillNumber      string          `bun:"bill_number"`
	ReferenceNumber string          `bun:"reference_number"`
	Status          BillStatus      `bun:"status"`
	Currency        string          `bun:"currency"`
	Subtotal        money.Amount    `bun:"subtotal"`
	TaxAmount       money.Amount    `bun:"tax_amount"`
	TotalAmount     money.Amount    `bun:"total_amount"`
	AmountPaid      money.Amount    `bun:"amount_paid"`
	BillDate        date.Date       `bun:"bill_date"`
	DueDate         date.Date       `bun:"due_date"`
	PaidDate        date.Date       `bun:"paid_date"`
	ExpenseCategory ExpenseCategory `bun:"expense_category"`
	Description     string          `bun:"description"`
	ApprovedBy      *string         `bun:"approved_by"`
	ApprovedAt      *time.Time      `bun:"approved_at"`
	CreatedBy       *string         `bun:"created_by"`
	CreatedAt       time.Time       `bun:"created_at"`
	UpdatedAt       time.Time       `bun:"updated_at"`
	ProjectName     *string         `bun:"project_name,scanonly"`
	ApprovedByName  *string         `bun:"approved_by_name,scanonly"`

	Lines []Line `bun:"-"`
	edit  billEdit
}

// billEdit holds the parts of a request read once the bill's currency is known.
type billEdit struct {
	lines                *[]LineInput
	subtotal, tax, total *money.Decimal
	currency             *string
	status               *BillStatus
}

// billLine is a row of bill_lines.
type billLine struct {
	bun.BaseModel `bun:"table:bill_lines,alias:bll"`
	ID            string       `bun:"id,pk"`
	FirmID        string       `bun:"firm_id"`
	BillID        string       `bun:"bill_id"`
	Position      int          `bun:"position"`
	Description   string       `bun:"description"`
	Quantity      money.Hours  `bun:"quantity"`
	Rate          money.Amount `bun:"rate"`
	Amount        money.Amount `bun:"amount"`
}

// billQuery declares the bill list's filters, search and ordering.
func billQuery() *db.ListSpec {
	filters := []db.Filter{
		{Name: "status", Column: "bl.status", Kind: db.ChoiceFilter, Choices: db.Choices(BillStatuses())},
		{Name: "project", Column: "bl.project_id", Kind: db.IDFilter},
		{Name: "expense_category", Column: "bl.expense_category", Kind: db.ChoiceFilter, Choices: db.Choices(ExpenseCategories())},
	}
	filters = append(filters, db.DateRange("bill_date", "bl.bill_date")...)
	filters = append(filters, db.DateRange("due_date", "bl.due_date")...)
	return &db.ListSpec{
		Filters: filters,
		Search:  []string{"bl.vendor_name", "bl.bill_number", "bl.reference_number"},
		Ordering: []db.OrderField{
			{Name: "reference_number", Column: "bl.reference_number"},
			{Name: "bill_date", Column: "bl.bill_date"},
			{Name: "due_date", Column: "bl.due_date"},
			{Name: "total_amount", Column: "bl.total_amount"},
			{Name: "created_at", Column: "bl.created_at"},
		},
		Default:   "-created_at",
		UpdatedAt: "bl.updated_at",
		ID:        "bl.id",
	}
}

// ListBills lists the firm's bills with their lines.
func (s *Service) ListBills(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Bill, int64, error) {
	if err := resource.Check(billPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Bill
	if err := q.Window(q.Apply(selectBills(s.db.R, a.Firm(), &rows))).Scan(ctx); err != nil {
		return nil, 0, db.Translate(err)
	}
	count, err := q.Where(a.Firm().Select(s.db.R, (*Bill)(nil))).Count(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	ptrs := make([]*Bill, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return rows, int64(count), s.loadBillLines(ctx, s.db.R, a.Firm(), ptrs...)
}

// GetBill returns one bill of the firm.
func (s *Service) GetBill(ctx context.Context, a auth.Actor, id string) (*Bill, error) {
	b, err := s.billView(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return nil, err
	}
	return b, resource.Check(billPolicy{}, a, resource.Read, b)
}

// loadBill reads a bill for the policy check before a request's body (resource.Loader).
func (s *Service) loadBill(ctx context.Context, a auth.Actor, id string) (*Bill, error) {
	return s.billRow(ctx, s.db.R, a.Firm(), id, false)
}

// CreateBill records a vendor's bill, numbered BILL-YYYY-NNN (the year of the firm's today).
func (s *Service) CreateBill(ctx context.Context, a auth.Actor, edit func(*Bill) fault.Fields) (*Bill, error) {
	if err := resource.Check(billPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	b := &Bill{ID: db.NewID(), FirmID: a.FirmID, Status: BillReceived, BillDate: today, Lines: []Line{},
		CreatedBy: actorID(a), CreatedAt: now, UpdatedAt: now}
	if err := edit(b).Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkBill(ctx, tx, a, nil, b); err != nil {
			return err
		}
		if st := b.edit.status; st != nil && *st != BillReceived && *st != BillDisputed {
			return fault.Field("status", sprintfStatus(BillReceived, *st))
		} else if st != nil {
			b.Status = *st
		}
		year := today.Year()
		n, err := db.NextNumber(ctx, tx, a.FirmID, "bill", year)
		if err != nil {
			return err
		}
		b.ReferenceNumber = db.FormatNumber("BILL", year, n)
		if _, err := tx.NewInsert().Model(b).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		return saveBillLines(ctx, tx, a.Firm(), b, false)
	})
	if err != nil {
		return nil, err
	}
	return s.billView(ctx, s.db.R, a.Firm(), b.ID)
}

// UpdateBill changes a bill as edit says; once approved its amounts are fixed.
func (s *Service) UpdateBill(ctx context.Context, a auth.Actor, id string, edit func(*Bill) fault.Fields) (*Bill, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		b, err := s.lockBill(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(billPolicy{}, a, resource.Update, b); err != nil {
			return err
		}
		old := *b
		old.Lines = append([]Line(nil), b.Lines...)
		if err := edit(b).Err(); err != nil {
			return err
		}
		if err := s.checkBill(ctx, tx, a, &old, b); err != nil {
			return err
		}
		b.Status = old.Status
		if st := b.edit.status; st != nil {
			if err := billMove(&old, *st); err != nil {
				return err
			}
			b.Status = *st
		}
		b.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, b).WherePK().
			Column("project_id", "vendor_name", "vendor_email", "bill_number", "status", "currency", "subtotal",
				"tax_amount", "total_amount", "bill_date", "due_date", "expense_category", "description", "updated_at").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		// Lines change when sent, or when a new currency repriced them (Bill.reprice).
		if !sameLines(old.Lines, b.Lines) {
			return saveBillLines(ctx, tx, a.Firm(), b, true)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.billView(ctx, s.db.R, a.Firm(), id)
}

// DeleteBill removes a bill that is not in payables yet (never approved).
func (s *Service) DeleteBill(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		b, err := s.billRow(ctx, tx, a.Firm(), id, true)
		if err != nil {
			return err
		}
		if err := resource.Check(billPolicy{}, a, resource.Delete, b); err != nil {
			return err
		}
		if b.inPayables() {
			return fault.New(fault.Conflict, MsgBillDelete)
		}
		// Marked deleted with its lines kept: a restore brings it back whole; the purge removes both.
		err = a.Firm().Remove(ctx, tx, (*Bill)(nil), id, a.UserID, s.stamp())
		return db.Translate(err)
	})
}

// ApproveBill approves a received or disputed bill for payment: it stamps approved_by and
// approved_at and posts the expense (Dr the category's expense account, Cr payables).
func (s *Service) ApproveBill(ctx context.Context, a auth.Actor, id string) (*Bill, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		b, err := s.billRow(ctx, tx, a.Firm(), id, true)
		if err != nil {
			return err
		}
		if err := resource.Check(billPolicy{}, a, Approve, b); err != nil {
			return err
		}
		if b.inPayables() || b.Status != BillReceived && b.Status != BillDisputed {
			return fault.Field("status", MsgBillApproved)
		}
		now := s.stamp()
		b.Status, b.ApprovedBy, b.ApprovedAt, b.UpdatedAt = BillApproved, actorID(a), &now, now
		_, err = a.Firm().Update(tx, b).WherePK().Column("status", "approved_by", "approved_at", "updated_at").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		e := &JournalEntry{Date: s.today(a), Memo: "Bill " + b.ReferenceNumber + " from " + b.VendorName,
			Source: SourceBill, BillID: &b.ID, CreatedBy: actorID(a)}
		return s.post(ctx, tx, a.Firm(), e, b.Currency,
			posting{Key: expenseKey(b.ExpenseCategory), Debit: b.TotalAmount},
			posting{Key: AcctPayable, Credit: b.TotalAmount})
	})
	if err != nil {
		return nil, err
	}
	return s.billView(ctx, s.db.R, a.Firm(), id)
}

// checkBill applies the rules that need the database: a project of the firm, the currency, the
// amounts read in it, and the bill's rules. old is nil on create.
func (s *Service) checkBill(ctx context.Context, tx bun.Tx, a auth.Actor, old, b *Bill) error {
	var bad fault.Fields
	if b.ProjectID != nil {
		p, err := s.projects.ProjectRef(ctx, tx, a.Firm(), *b.ProjectID)
		switch {
		case db.IsNotFound(err):
			bad.Add("project", MsgBillProject)
		case err != nil:
			return err
		default:
			b.ProjectName = &p.Name
		}
	}
	switch {
	case b.edit.currency != nil:
		c, ok := money.LookupCurrency(*b.edit.currency)
		if !ok {
			bad.Add("currency", MsgUnknownCurrency)
		}
		b.Currency = c.Code
	case b.Currency == "":
		b.Currency = money.CurrencyOf(a.Currency).Code
	}
	if err := bad.Err(); err != nil {
		return err
	}
	if old != nil && old.Currency != b.Currency {
		bad.Merge(b.reprice(old.Currency))
	}
	if b.DueDate.IsZero() {
		b.DueDate = addDays(b.BillDate, 30)
	}
	bad.Merge(b.price())
	if len(bad) == 0 {
		bad.Merge(b.rules(old))
	}
	return bad.Err()
}

// reprice carries a bill's amounts into its new currency when they were not sent again: the
// same figures, in the new currency's minor units, as an invoice's (Invoice.reprice).
func (b *Bill) reprice(from string) fault.Fields {
	var bad fault.Fields
	src, dst := money.CurrencyOf(from), money.CurrencyOf(b.Currency)
	if b.edit.lines == nil {
		for i := range b.Lines {
			l := &b.Lines[i]
			r, err := money.Reprice(l.Rate, src, dst)
			if err == nil {
				l.Rate = r
				l.Amount, err = money.BilledAmount(l.Quantity, r)
			}
			if err != nil {
				bad.Add("line_items", err.Error())
				return bad
			}
		}
	}
	hasLines := len(b.Lines) > 0 // the subtotal is then Σ of the lines
	if b.edit.lines != nil {
		hasLines = len(*b.edit.lines) > 0
	}
	for _, a := range []struct {
		field string
		sent  *money.Decimal
		v     *money.Amount
	}{{"subtotal", b.edit.subtotal, &b.Subtotal}, {"tax_amount", b.edit.tax, &b.TaxAmount}} {
		if a.sent != nil || a.field == "subtotal" && hasLines {
			continue
		}
		r, err := money.Reprice(*a.v, src, dst)
		if err != nil {
			bad.Add(a.field, err.Error())
		}
		*a.v = r
	}
	return bad
}

// selectBills starts a firm-scoped bill query with the display fields.
func selectBills(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("bl.*").
		Join("LEFT JOIN projects AS blp ON blp.id = bl.project_id").ColumnExpr("blp.name AS project_name")
	return auth.WithUserName(q, "bla", "bl.approved_by", "approved_by_name")
}

// billView reads one bill with its lines.
func (s *Service) billView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Bill, error) {
	b, err := s.billRow(ctx, idb, firm, id, false)
	if err != nil {
		return nil, err
	}
	return b, s.loadBillLines(ctx, idb, firm, b)
}

// billRow reads one bill of the firm; lock locks its row until the transaction ends.
func (s *Service) billRow(ctx context.Context, idb bun.IDB, firm db.Firm, id string, lock bool) (*Bill, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	b := new(Bill)
	q := selectBills(idb, firm, b).Where("bl.id = ?", id)
	if lock && !s.db.SerialWrites() {
		q = q.For("UPDATE OF bl")
	}
	return b, db.Translate(q.Scan(ctx))
}

// lockBill reads a bill with its lines for a change, locking its row.
func (s *Service) lockBill(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Bill, error) {
	b, err := s.billRow(ctx, tx, firm, id, true)
	if err != nil {
		return nil, err
	}
	return b, s.loadBillLines(ctx, tx, firm, b)
}

// loadBillLines reads the lines of bills in one query.
func (s *Service) loadBillLines(ctx context.Context, idb bun.IDB, firm db.Firm, bills ...*Bill) error {
	if len(bills) == 0 {
		return nil
	}
	byID := make(map[string]*Bill, len(bills))
	ids := make([]string, len(bills))
	for i, b := range bills {
		byID[b.ID], ids[i] = b, b.ID
		b.Lines = []Line{}
	}
	var rows []billLine
	err := firm.Select(idb, &rows).Where("bll.bill_id IN (?)", bun.List(ids)).OrderExpr("bll.bill_id, bll.position").Scan(ctx)
	if err != nil {
		return db.Translate(err)
	}
	for _, r := range rows {
		b := byID[r.BillID]
		b.Lines = append(b.Lines, Line{Description: r.Description, Quantity: r.Quantity, Rate: r.Rate, Amount: r.Amount})
	}
	return nil
}

// saveBillLines writes a bill's lines, replacing the stored ones when replace is set.
func saveBillLines(ctx context.Context, tx bun.Tx, firm db.Firm, b *Bill, replace bool) error {
	if replace {
		if _, err := firm.Delete(tx, (*billLine)(nil)).Where("bll.bill_id = ?", b.ID).Exec(ctx); err != nil {
			return db.Translate(err)
		}
	}
	if len(b.Lines) == 0 {
		return nil
	}
	rows := make([]billLine, len(b.Lines))
	for i, l := range b.Lines {
		rows[i] = billLine{ID: db.NewID(), FirmID: b.FirmID, BillID: b.ID, Position: i + 1,
			Description: l.Description, Quantity: l.Quantity, Rate: l.Rate, Amount: l.Amount}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return db.Translate(err)
}
