package finance

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// Account is an account of a firm's chart, with its balances (per currency) when listed.
type Account struct {
	bun.BaseModel `bun:"table:ledger_accounts,alias:la"`
	ID            string      `bun:"id,pk"`
	FirmID        string      `bun:"firm_id"`
	Code          string      `bun:"code"`
	Name          string      `bun:"name"`
	Type          AccountType `bun:"type"`
	SystemKey     *string     `bun:"system_key"`
	CreatedAt     time.Time   `bun:"created_at"`

	Balances []Balance `bun:"-"`
}

// Balance is an account's position in one currency: its debits, credits and the balance on its
// normal side (debits − credits for assets and expenses, credits − debits otherwise).
type Balance struct {
	Currency string
	Debit    money.Amount
	Credit   money.Amount
	Balance  money.Amount
}

// JournalEntry is a balanced, immutable group of journal lines.
type JournalEntry struct {
	bun.BaseModel `bun:"table:journal_entries,alias:je"`
	ID            string    `bun:"id,pk"`
	FirmID        string    `bun:"firm_id"`
	Date          date.Date `bun:"date"`
	Memo          string    `bun:"memo"`
	Source        string    `bun:"source"`
	InvoiceID     *string   `bun:"invoice_id"`
	BillID        *string   `bun:"bill_id"`
	PaymentID     *string   `bun:"payment_id"`
	ReversesID    *string   `bun:"reverses_id"`
	CreatedBy     *string   `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	ReversedByID  *string   `bun:"reversed_by_id,scanonly"`

	Lines []JournalLine `bun:"-"`
	edit  struct {
		currency *string
		lines    []lineEdit
	}
}

// lineEdit is a manual journal line as sent: amounts are read in the entry's currency.
type lineEdit struct {
	account, memo string
	debit, credit *money.Decimal
}

// JournalLine is one debit or credit of an entry.
type JournalLine struct {
	bun.BaseModel `bun:"table:journal_lines,alias:jl"`
	ID            string       `bun:"id,pk"`
	FirmID        string       `bun:"firm_id"`
	EntryID       string       `bun:"entry_id"`
	AccountID     string       `bun:"account_id"`
	Position      int          `bun:"position"`
	Debit         money.Amount `bun:"debit"`
	Credit        money.Amount `bun:"credit"`
	Currency      string       `bun:"currency"`
	Memo          string       `bun:"memo"`
	AccountCode   string       `bun:"account_code,scanonly"`
	AccountName   string       `bun:"account_name,scanonly"`
}

// SeedChart gives a firm the default chart of accounts; accounts it already has are kept. It
// runs in the transaction that creates the firm, and before a firm's first posting.
func SeedChart(ctx context.Context, tx bun.IDB, firmID string, now time.Time) error {
	chart := defaultChart()
	rows := make([]Account, len(chart))
	for i, c := range chart {
		key := c.Key
		rows[i] = Account{ID: db.NewID(), FirmID: firmID, Code: c.Code, Name: c.Name, Type: c.Type, SystemKey: &key, CreatedAt: now}
	}
	_, err := tx.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
	return db.Translate(err)
}

// systemAccounts returns the ids of the firm's system accounts by key, seeding the chart first
// when the firm has none yet (a firm created before the ledger existed).
func (s *Service) systemAccounts(ctx context.Context, tx bun.Tx, firm db.Firm) (map[string]string, error) {
	var rows []Account
	if err := firm.Select(tx, &rows).Column("la.id", "la.system_key").Where("la.system_key IS NOT NULL").Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if len(rows) < len(defaultChart()) {
		if err := SeedChart(ctx, tx, firm.ID(), s.stamp()); err != nil {
			return nil, err
		}
		rows = rows[:0]
		if err := firm.Select(tx, &rows).Column("la.id", "la.system_key").Where("la.system_key IS NOT NULL").Scan(ctx); err != nil {
			return nil, db.Translate(err)
		}
	}
	ids := make(map[string]string, len(rows))
	for _, r := range rows {
		ids[*r.SystemKey] = r.ID
	}
	return ids, nil
}

// post writes an automatic journal entry from postings in a currency, in the caller's
// transaction; zero postings are left out. It refuses postings that do not balance: that would
// be a bug, never a client's error.
func (s *Service) post(ctx context.Context, tx bun.Tx, firm db.Firm, e *JournalEntry, currency string, postings ...posting) error {
	var debits, credits []money.Amount
	for _, p := range postings {
		debits, credits = append(debits, p.Debit), append(credits, p.Credit)
	}
	if !balanced(debits, credits) {
		return fault.Wrap(fault.Internal, "", errUnbalanced)
	}
	ids, err := s.systemAccounts(ctx, tx, firm)
	if err != nil {
		return err
	}
	e.ID, e.FirmID, e.CreatedAt = db.NewID(), firm.ID(), s.stamp()
	for _, p := range postings {
		if p.Debit == 0 && p.Credit == 0 {
			continue
		}
		id, ok := ids[p.Key]
		if !ok {
			return fault.Wrap(fault.Internal, "", errNoAccount(p.Key))
		}
		e.Lines = append(e.Lines, JournalLine{AccountID: id, Debit: p.Debit, Credit: p.Credit, Currency: currency})
	}
	if len(e.Lines) == 0 {
		return nil
	}
	return insertEntry(ctx, tx, e)
}

// insertEntry writes an entry and its lines.
func insertEntry(ctx context.Context, tx bun.Tx, e *JournalEntry) error {
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return db.Translate(err)
	}
	for i := range e.Lines {
		l := &e.Lines[i]
		l.ID, l.FirmID, l.EntryID, l.Position = db.NewID(), e.FirmID, e.ID, i+1
	}
	_, err := tx.NewInsert().Model(&e.Lines).Exec(ctx)
	return db.Translate(err)
}

// reverseEntries posts the mirror image of the entries of a source for an invoice or bill
// (debits become credits), dated day: cancelling a sent invoice reverses its sending.
func (s *Service) reverseEntries(ctx context.Context, tx bun.Tx, firm db.Firm, source, column, id string, mirror *JournalEntry) error {
	var entries []JournalEntry
	if err := firm.Select(tx, &entries).Where("je.source = ?", source).Where("je."+column+" = ?", id).Scan(ctx); err != nil {
		return db.Translate(err)
	}
	for _, e := range entries {
		var lines []JournalLine
		if err := firm.Select(tx, &lines).Where("jl.entry_id = ?", e.ID).OrderExpr("jl.position").Scan(ctx); err != nil {
			return db.Translate(err)
		}
		m := *mirror
		m.ID, m.FirmID, m.CreatedAt, m.Lines = db.NewID(), firm.ID(), s.stamp(), nil
		for _, l := range lines {
			m.Lines = append(m.Lines, JournalLine{AccountID: l.AccountID, Debit: l.Credit, Credit: l.Debit, Currency: l.Currency, Memo: l.Memo})
		}
		if err := insertEntry(ctx, tx, &m); err != nil {
			return err
		}
	}
	return nil
}

// actorID is the caller as a created_by value: nil for the system (jobs, webhooks).
func actorID(a auth.Actor) *string {
	if a.UserID == "" {
		return nil
	}
	id := a.UserID
	return &id
}
