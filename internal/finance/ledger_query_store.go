package finance

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// accountQuery declares the chart's filters and ordering.
func accountQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{{Name: "type", Column: "la.type", Kind: db.ChoiceFilter, Choices: db.Choices(AccountTypes())}},
		Search:  []string{"la.code", "la.name"},
		Ordering: []db.OrderField{
			{Name: "code", Column: "la.code"},
			{Name: "name", Column: "la.name"},
		},
		Default:   "code",
		UpdatedAt: "la.created_at",
		ID:        "la.id",
	}
}

// entryQuery declares the journal's filters and ordering.
func entryQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: append([]db.Filter{
			{Name: "account", Kind: db.IDFilter, Doc: "Entries with a line on this account.",
				Expr: "EXISTS (SELECT 1 FROM journal_lines AS jla WHERE jla.entry_id = je.id AND jla.account_id = ?)"},
			{Name: "source", Column: "je.source", Kind: db.ChoiceFilter, Choices: Sources()},
			{Name: "invoice", Column: "je.invoice_id", Kind: db.IDFilter},
			{Name: "bill", Column: "je.bill_id", Kind: db.IDFilter},
			{Name: "payment", Column: "je.payment_id", Kind: db.IDFilter},
		}, db.DateRange("date", "je.date")...),
		Search: []string{"je.memo"},
		Ordering: []db.OrderField{
			{Name: "date", Column: "je.date"},
			{Name: "created_at", Column: "je.created_at"},
		},
		Default:   "-date,-created_at",
		UpdatedAt: "je.created_at",
		ID:        "je.id",
	}
}

// ListAccounts lists the firm's chart with each account's balances as of a date (all time when
// asOf is zero), one grouped query for the page.
func (s *Service) ListAccounts(ctx context.Context, a auth.Actor, q db.ListQuery, asOf date.Date) ([]Account, int64, error) {
	if err := resource.Check(ledgerPolicy[Account]{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	if err := s.ensureChart(ctx, a); err != nil {
		return nil, 0, err
	}
	var rows []Account
	count, err := q.Window(q.Apply(a.Firm().Select(s.db.R, &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	if len(rows) == 0 {
		return rows, int64(count), nil
	}
	ids := make([]string, len(rows))
	byID := make(map[string]*Account, len(rows))
	for i := range rows {
		ids[i], byID[rows[i].ID] = rows[i].ID, &rows[i]
		rows[i].Balances = []Balance{}
	}
	var sums []struct {
		AccountID string       `bun:"account_id"`
		Currency  string       `bun:"currency"`
		Debit     money.Amount `bun:"debit"`
		Credit    money.Amount `bun:"credit"`
	}
	sq := a.Firm().Select(s.db.R, (*JournalLine)(nil)).
		ColumnExpr("jl.account_id, jl.currency").
		ColumnExpr("CAST(SUM(jl.debit) AS BIGINT) AS debit, CAST(SUM(jl.credit) AS BIGINT) AS credit").
		Where("jl.account_id IN (?)", bun.List(ids)).GroupExpr("jl.account_id, jl.currency").OrderExpr("jl.account_id, jl.currency")
	if !asOf.IsZero() {
		sq = sq.Join("JOIN journal_entries AS je ON je.id = jl.entry_id").Where("je.date <= ?", asOf)
	}
	if err := sq.Scan(ctx, &sums); err != nil {
		return nil, 0, db.Translate(err)
	}
	for _, r := range sums {
		acct := byID[r.AccountID]
		b := Balance{Currency: r.Currency, Debit: r.Debit, Credit: r.Credit, Balance: r.Credit - r.Debit}
		if acct.Type.debitNormal() {
			b.Balance = r.Debit - r.Credit
		}
		acct.Balances = append(acct.Balances, b)
	}
	return rows, int64(count), nil
}

// ensureChart seeds the firm's chart when it has none (a firm created before the ledger).
func (s *Service) ensureChart(ctx context.Context, a auth.Actor) error {
	ok, err := a.Firm().Exists(ctx, s.db.R, (*Account)(nil), "la.system_key IS NOT NULL")
	if err != nil || ok {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.systemAccounts(ctx, tx, a.Firm())
		return err
	})
}

// CreateAccount adds an account to the firm's chart (a code unique in the firm).
func (s *Service) CreateAccount(ctx context.Context, a auth.Actor, edit func(*Account) fault.Fields) (*Account, error) {
	if err := resource.Check(ledgerPolicy[Account]{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	acct := &Account{ID: db.NewID(), FirmID: a.FirmID, CreatedAt: s.stamp(), Balances: []Balance{}}
	bad := edit(acct)
	acct.Code, acct.Name = strings.TrimSpace(acct.Code), strings.TrimSpace(acct.Name)
	requiredText(&bad, "code", acct.Code)
	requiredText(&bad, "name", acct.Name)
	if !validate.MaxLength(acct.Code, 20) {
		bad.Add("code", "Ensure this field has no more than 20 characters.")
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.systemAccounts(ctx, tx, a.Firm()); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(acct).Exec(ctx)
		return db.OnUnique(db.Translate(err), "code", MsgAccountCode)
	})
	return acct, err
}

// ListEntries lists the firm's journal entries with their lines.
func (s *Service) ListEntries(ctx context.Context, a auth.Actor, q db.ListQuery) ([]JournalEntry, int64, error) {
	if err := resource.Check(ledgerPolicy[JournalEntry]{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []JournalEntry
	count, err := q.Window(q.Apply(selectEntries(s.db.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	ptrs := make([]*JournalEntry, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return rows, int64(count), s.loadEntryLines(ctx, s.db.R, a.Firm(), ptrs...)
}

// GetEntry returns one journal entry with its lines.
func (s *Service) GetEntry(ctx context.Context, a auth.Actor, id string) (*JournalEntry, error) {
	if err := resource.Check(ledgerPolicy[JournalEntry]{}, a, resource.Read, nil); err != nil {
		return nil, err
	}
	return s.entry(ctx, s.db.R, a.Firm(), id)
}

func (s *Service) entry(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*JournalEntry, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	e := new(JournalEntry)
	if err := selectEntries(idb, firm, e).Where("je.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return e, s.loadEntryLines(ctx, idb, firm, e)
}

// loadEntry reads an entry for the policy check (resource.Loader).
func (s *Service) loadEntry(ctx context.Context, a auth.Actor, id string) (*JournalEntry, error) {
	return s.entry(ctx, s.db.R, a.Firm(), id)
}

func selectEntries(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("je.*").
		ColumnExpr("(SELECT r.id FROM journal_entries AS r WHERE r.reverses_id = je.id) AS reversed_by_id")
}

// loadEntryLines reads the lines of entries in one query, with their accounts' codes and names.
func (s *Service) loadEntryLines(ctx context.Context, idb bun.IDB, firm db.Firm, entries ...*JournalEntry) error {
	if len(entries) == 0 {
		return nil
	}
	byID := make(map[string]*JournalEntry, len(entries))
	ids := make([]string, len(entries))
	for i, e := range entries {
		byID[e.ID], ids[i] = e, e.ID
		e.Lines = []JournalLine{}
	}
	var lines []JournalLine
	err := firm.Select(idb, &lines).ColumnExpr("jl.*").
		Join("JOIN ledger_accounts AS jla ON jla.id = jl.account_id").ColumnExpr("jla.code AS account_code, jla.name AS account_name").
		Where("jl.entry_id IN (?)", bun.List(ids)).OrderExpr("jl.entry_id, jl.position").Scan(ctx)
	if err != nil {
		return db.Translate(err)
	}
	for _, l := range lines {
		e := byID[l.EntryID]
		e.Lines = append(e.Lines, l)
	}
	return nil
}

// CreateManualEntry posts a manual journal entry (owner, admin, accountant): lines on accounts
// of the firm, in one currency, that balance.
func (s *Service) CreateManualEntry(ctx context.Context, a auth.Actor, edit func(*JournalEntry) fault.Fields) (*JournalEntry, error) {
	if err := resource.Check(ledgerPolicy[JournalEntry]{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	e := &JournalEntry{Date: s.today(a), Source: SourceManual, CreatedBy: actorID(a)}
	bad := edit(e)
	code := a.Currency
	if e.edit.currency != nil {
		code = strings.ToUpper(strings.TrimSpace(*e.edit.currency))
	}
	cur, ok := money.LookupCurrency(code)
	if !ok {
		bad.Add("currency", MsgUnknownCurrency)
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	for _, le := range e.edit.lines {
		l := JournalLine{AccountID: strings.TrimSpace(le.account), Currency: cur.Code, Memo: le.memo}
		readAmount(&bad, "lines", le.debit, cur, &l.Debit)
		readAmount(&bad, "lines", le.credit, cur, &l.Credit)
		if !db.ValidID(l.AccountID) {
			bad.Add("lines", MsgLineAccount)
		}
		e.Lines = append(e.Lines, l)
	}
	if len(bad) == 0 {
		bad.Merge(manualLineRules(e.Lines))
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.systemAccounts(ctx, tx, a.Firm()); err != nil {
			return err
		}
		ids := make([]string, len(e.Lines))
		for i, l := range e.Lines {
			ids[i] = l.AccountID
		}
		n, err := a.Firm().Select(tx, (*Account)(nil)).Where("la.id IN (?)", bun.List(ids)).Count(ctx)
		if err != nil {
			return db.Translate(err)
		}
		if n != int64(len(distinct(ids))) {
			return fault.Field("lines", MsgLineAccount)
		}
		e.ID, e.FirmID, e.CreatedAt = db.NewID(), a.FirmID, s.stamp()
		return insertEntry(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.entry(ctx, s.db.R, a.Firm(), e.ID)
}

// ReverseEntry posts the reversal of a journal entry (debits and credits swapped), dated today:
// entries are never changed, and each is reversed at most once.
func (s *Service) ReverseEntry(ctx context.Context, a auth.Actor, id string) (*JournalEntry, error) {
	var mirror *JournalEntry
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.entry(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(ledgerPolicy[JournalEntry]{}, a, Reverse, e); err != nil {
			return err
		}
		if e.Source != SourceManual {
			return fault.Field(fault.NonField, MsgReverseManual)
		}
		if e.ReversedByID != nil {
			return fault.Field(fault.NonField, MsgAlreadyReversed)
		}
		mirror = &JournalEntry{ID: db.NewID(), FirmID: a.FirmID, Date: s.today(a), Source: SourceReversal,
			Memo: "Reversal of: " + e.Memo, InvoiceID: e.InvoiceID, BillID: e.BillID, PaymentID: e.PaymentID,
			ReversesID: &e.ID, CreatedBy: actorID(a), CreatedAt: s.stamp()}
		for _, l := range e.Lines {
			mirror.Lines = append(mirror.Lines, JournalLine{AccountID: l.AccountID, Debit: l.Credit, Credit: l.Debit, Currency: l.Currency, Memo: l.Memo})
		}
		return db.OnUnique(insertEntry(ctx, tx, mirror), fault.NonField, MsgAlreadyReversed)
	})
	if err != nil {
		return nil, err
	}
	return s.entry(ctx, s.db.R, a.Firm(), mirror.ID)
}

func distinct(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
