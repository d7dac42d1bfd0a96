package finance

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the account types.
func (AccountType) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(AccountTypes()) }

// BalanceOut is an account's position in one currency.
type BalanceOut struct {
	Currency string `json:"currency" example:"USD"`
	Debit    string `json:"debit" example:"1200.00" doc:"Σ debits"`
	Credit   string `json:"credit" example:"200.00" doc:"Σ credits"`
	Balance  string `json:"balance" example:"1000.00" doc:"On the account's normal side: debits − credits for assets and expenses, credits − debits otherwise"`
}

// AccountOut is an account of the chart as the API shows it.
type AccountOut struct {
	ID        string       `json:"id" format:"uuid"`
	Code      string       `json:"code" example:"1100"`
	Name      string       `json:"name" example:"Accounts Receivable"`
	Type      AccountType  `json:"type"`
	SystemKey *string      `json:"system_key" nullable:"true" doc:"Set on the accounts automatic postings use (receivable, revenue, expense:travel, ...)"`
	Balances  []BalanceOut `json:"balances" doc:"One per currency the account has lines in"`
	CreatedAt time.Time    `json:"created_at"`
}

func accountOut(acct *Account) AccountOut {
	out := AccountOut{ID: acct.ID, Code: acct.Code, Name: acct.Name, Type: acct.Type, SystemKey: acct.SystemKey,
		Balances: make([]BalanceOut, len(acct.Balances)), CreatedAt: acct.CreatedAt.UTC()}
	for i, b := range acct.Balances {
		cur := money.CurrencyOf(b.Currency)
		out.Balances[i] = BalanceOut{Currency: cur.Code, Debit: money.Format(b.Debit, cur),
			Credit: money.Format(b.Credit, cur), Balance: money.Format(b.Balance, cur)}
	}
	return out
}

// AccountIn is the body that adds an account.
type AccountIn struct {
	Code string      `json:"code" minLength:"1" maxLength:"20" example:"6100"`
	Name string      `json:"name" minLength:"1" maxLength:"255" example:"Training"`
	Type AccountType `json:"type"`
}

func (b *AccountIn) apply(acct *Account) fault.Fields {
	acct.Code, acct.Name, acct.Type = b.Code, b.Name, b.Type
	return nil
}

// JournalLineOut is a line of a journal entry.
type JournalLineOut struct {
	Account     string  `json:"account" format:"uuid"`
	AccountCode string  `json:"account_code"`
	AccountName string  `json:"account_name"`
	Debit       *string `json:"debit" nullable:"true" example:"1000.00"`
	Credit      *string `json:"credit" nullable:"true"`
	Currency    string  `json:"currency" example:"USD"`
	Memo        string  `json:"memo"`
}

// JournalEntryOut is a journal entry as the API shows it.
type JournalEntryOut struct {
	ID         string           `json:"id" format:"uuid"`
	Date       string           `json:"date" format:"date"`
	Memo       string           `json:"memo"`
	Source     string           `json:"source" doc:"manual, invoice, invoice_void, credit, payment, bill, bill_payment or reversal"`
	Invoice    *string          `json:"invoice" nullable:"true" format:"uuid"`
	Bill       *string          `json:"bill" nullable:"true" format:"uuid"`
	Payment    *string          `json:"payment" nullable:"true" format:"uuid"`
	Reverses   *string          `json:"reverses" nullable:"true" format:"uuid"`
	ReversedBy *string          `json:"reversed_by" nullable:"true" format:"uuid"`
	Lines      []JournalLineOut `json:"lines"`
	CreatedBy  *string          `json:"created_by" nullable:"true" format:"uuid" doc:"null for automatic postings of the system (webhooks, jobs)"`
	CreatedAt  time.Time        `json:"created_at"`
}

func entryOut(e *JournalEntry) JournalEntryOut {
	out := JournalEntryOut{ID: e.ID, Date: string(e.Date), Memo: e.Memo, Source: e.Source, Invoice: e.InvoiceID,
		Bill: e.BillID, Payment: e.PaymentID, Reverses: e.ReversesID, ReversedBy: e.ReversedByID,
		Lines: make([]JournalLineOut, len(e.Lines)), CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt.UTC()}
	for i, l := range e.Lines {
		cur := money.CurrencyOf(l.Currency)
		lo := JournalLineOut{Account: l.AccountID, AccountCode: l.AccountCode, AccountName: l.AccountName, Currency: cur.Code, Memo: l.Memo}
		if l.Debit != 0 {
			v := money.Format(l.Debit, cur)
			lo.Debit = &v
		} else {
			v := money.Format(l.Credit, cur)
			lo.Credit = &v
		}
		out.Lines[i] = lo
	}
	return out
}

// JournalLineIn is a manual line: an account and a debit or a credit.
type JournalLineIn struct {
	Account string       `json:"account" minLength:"1" format:"uuid" doc:"Account id"`
	Debit   *api.Decimal `json:"debit,omitempty" doc:"Money; exactly one of debit and credit"`
	Credit  *api.Decimal `json:"credit,omitempty"`
	Memo    string       `json:"memo,omitempty" maxLength:"1000"`
}

// JournalEntryIn is the body of a manual journal entry.
type JournalEntryIn struct {
	Date     *string         `json:"date,omitempty" example:"2026-02-10" doc:"Defaults to today"`
	Memo     string          `json:"memo" minLength:"1" maxLength:"1000"`
	Currency *string         `json:"currency,omitempty" doc:"Of every line; defaults to the firm's"`
	Lines    []JournalLineIn `json:"lines" minItems:"2" maxItems:"500" doc:"Σ debits must equal Σ credits"`
}

func (b *JournalEntryIn) apply(e *JournalEntry) fault.Fields {
	var bad fault.Fields
	date.Check(&bad, "date", b.Date, true)
	date.Set(&e.Date, b.Date)
	e.Memo, e.edit.currency = b.Memo, b.Currency
	for _, l := range b.Lines {
		e.edit.lines = append(e.edit.lines, lineEdit{account: l.Account, memo: l.Memo,
			debit: (*money.Decimal)(l.Debit), credit: (*money.Decimal)(l.Credit)})
	}
	return bad
}

// accountsIn is the chart list's input: the list parameters and the date of the balances.
type accountsIn struct {
	api.ListInput
	AsOf string `query:"as_of" format:"date" doc:"Balances as of this date (inclusive), YYYY-MM-DD; all time when omitted"`
}

func registerLedger(a *api.API, s *Service) {
	op := huma.Operation{OperationID: "list-ledger-accounts", Method: http.MethodGet, Path: "/finance/ledger/accounts/",
		Summary: "List the chart of accounts with balances", Tags: []string{"Finance: ledger"}}
	spec := accountQuery()
	api.DocumentList(&op, spec)
	exportAccounts(a, &op, spec, s)
	resource.Operation(a, resource.Named(op, "ledger accounts"), ledgerPolicy[Account]{}, resource.List, nil,
		func(ctx context.Context, actor auth.Actor, in *accountsIn) (*api.ListOutput[AccountOut], error) {
			q, err := in.Parse(spec)
			if err != nil {
				return nil, err
			}
			var asOf date.Date
			if in.AsOf != "" {
				if asOf, err = date.Parse(in.AsOf); err != nil {
					return nil, fault.Field("as_of", err.Error())
				}
			}
			rows, count, err := s.ListAccounts(ctx, actor, q, asOf)
			if err != nil {
				return nil, err
			}
			return api.PageOf(&in.ListInput, q, count, rows, accountOut)
		})
	create := huma.Operation{OperationID: "create-ledger-account", Method: http.MethodPost, Path: "/finance/ledger/accounts/",
		Summary: "Add an account", Tags: []string{"Finance: ledger"}, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict}}
	resource.Operation(a, resource.Named(create, "ledger accounts"), ledgerPolicy[Account]{}, resource.Create, nil,
		func(ctx context.Context, actor auth.Actor, in *struct{ Body AccountIn }) (*struct{ Body AccountOut }, error) {
			acct, err := s.CreateAccount(ctx, actor, in.Body.apply)
			if err != nil {
				return nil, err
			}
			return &struct{ Body AccountOut }{Body: accountOut(acct)}, nil
		})
	resource.Register(a, resource.Resource[JournalEntry, JournalEntryOut, JournalEntryIn, struct{}]{
		Path: "/finance/ledger/journal-entries/", Name: "journal entry", Plural: "journal entries", Tag: "Finance: ledger",
		Policy: ledgerPolicy[JournalEntry]{}, Load: s.loadEntry, Query: entryQuery(),
		Out: entryOut, ID: func(e *JournalEntry) string { return e.ID },
		List:      s.ListEntries,
		Get:       s.GetEntry,
		Create:    resource.Creating(s.CreateManualEntry, (*JournalEntryIn).apply),
		Summaries: map[resource.Action]string{resource.Create: "Post a manual journal entry"},
	})
	resource.Register(a, resource.Resource[JournalEntry, JournalEntryOut, struct{}, struct{}]{
		Path: "/finance/ledger/entries/", Name: "ledger entry", Plural: "ledger entries", Tag: "Finance: ledger",
		Policy: ledgerPolicy[JournalEntry]{}, Load: s.loadEntry, Query: entryQuery(),
		Out: entryOut, ID: func(e *JournalEntry) string { return e.ID },
		List: s.ListEntries,
		Get:  s.GetEntry,
	})
	rev := huma.Operation{OperationID: "reverse-journal-entry", Method: http.MethodPost,
		Path: "/finance/ledger/journal-entries/{id}/reverse/", Summary: "Reverse a manual journal entry",
		Tags: []string{"Finance: ledger"}, DefaultStatus: http.StatusCreated,
		Description: "Entries are immutable: a correction is this reversal (debits and credits swapped, dated today). " +
			"An entry is reversed at most once; automatic postings are corrected through their invoice, payment or bill."}
	resource.Operation(a, rev, ledgerPolicy[JournalEntry]{}, Reverse, s.loadEntry,
		func(ctx context.Context, actor auth.Actor, in *struct {
			ID string `path:"id"`
		}) (*struct{ Body JournalEntryOut }, error) {
			e, err := s.ReverseEntry(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body JournalEntryOut }{Body: entryOut(e)}, nil
		})
}
