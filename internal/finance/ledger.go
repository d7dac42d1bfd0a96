package finance

import (
	"fmt"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// AccountType is where an account sits in the books.
type AccountType string

// The account types.
const (
	Asset     AccountType = "asset"
	Liability AccountType = "liability"
	Equity    AccountType = "equity"
	Revenue   AccountType = "revenue"
	Expense   AccountType = "expense"
)

// AccountTypes lists the account types (validation, OpenAPI).
func AccountTypes() []AccountType { return []AccountType{Asset, Liability, Equity, Revenue, Expense} }

// debitNormal reports whether the account's balance grows with debits (assets and expenses).
func (t AccountType) debitNormal() bool { return t == Asset || t == Expense }

// The system accounts postings use, by key. Expense accounts are "expense:<category>".
const (
	AcctCash           = "cash"
	AcctStripeClearing = "stripe_clearing"
	AcctReceivable     = "receivable"
	AcctPayable        = "payable"
	AcctSalesTax       = "sales_tax"
	AcctEquity         = "equity"
	AcctRevenue        = "revenue"
)

// chartAccount is one account of the chart every firm starts with.
type chartAccount struct {
	Key, Code, Name string
	Type            AccountType
}

// defaultChart is the chart of accounts a firm gets when it is created: SPEC §6's accounts, an
// owner's equity account for opening balances, and an expense account per expense category.
func defaultChart() []chartAccount {
	chart := []chartAccount{
		{AcctCash, "1000", "Cash", Asset},
		{AcctStripeClearing, "1050", "Stripe clearing", Asset},
		{AcctReceivable, "1100", "Accounts Receivable", Asset},
		{AcctPayable, "2000", "Accounts Payable", Liability},
		{AcctSalesTax, "2100", "Sales Tax Payable", Liability},
		{AcctEquity, "3000", "Owner's Equity", Equity},
		{AcctRevenue, "4000", "Revenue", Revenue},
	}
	for i, c := range ExpenseCategories() {
		chart = append(chart, chartAccount{expenseKey(c), expenseCode(i), c.label(), Expense})
	}
	return chart
}

// expenseKey is the system key of a category's expense account.
func expenseKey(c ExpenseCategory) string { return "expense:" + string(c) }

// expenseCode numbers expense accounts 5000, 5010, 5020, … in category order.
func expenseCode(i int) string { return fmt.Sprintf("5%02d0", i) }

// Journal entry sources: what made an entry.
const (
	SourceManual      = "manual"
	SourceInvoice     = "invoice"      // an invoice was sent
	SourceInvoiceVoid = "invoice_void" // a sent invoice was cancelled
	SourceCredit      = "credit"       // a fully refunded invoice was closed
	SourcePayment     = "payment"      // a payment or refund of an invoice
	SourceBill        = "bill"         // a bill was approved
	SourceBillPayment = "bill_payment" // a payment or refund of a bill
	SourceReversal    = "reversal"     // a manual entry was reversed
)

// Sources lists the journal entry sources (filters, OpenAPI).
func Sources() []string {
	return []string{SourceManual, SourceInvoice, SourceInvoiceVoid, SourceCredit, SourcePayment, SourceBill, SourceBillPayment, SourceReversal}
}

// Ledger messages.
const (
	MsgUnbalanced      = "Debits must equal credits"
	MsgLineSide        = "Each line needs a debit or a credit, not both"
	MsgLineAccount     = "Select an account of your firm."
	MsgTwoLines        = "A journal entry needs at least two lines"
	MsgAlreadyReversed = "This journal entry has already been reversed"
	MsgAccountCode     = "An account with this code already exists."
	MsgReverseManual   = "Only manual entries can be reversed; cancel the invoice, refund the payment or correct the bill instead"
)

// Reverse is the journal entry action that posts its reversal.
const Reverse resource.Action = "reverse"

// posting is one side of an automatic journal entry: an account (by system key) and an amount,
// debited or credited.
type posting struct {
	Key    string
	Debit  money.Amount
	Credit money.Amount
}

// balanced reports whether postings (or lines) balance: Σ debits = Σ credits.
func balanced(debits, credits []money.Amount) bool {
	d, errD := money.Sum(debits...)
	c, errC := money.Sum(credits...)
	return errD == nil && errC == nil && d == c
}

// ledgerPolicy decides who may read the ledger and write to it: every role that reads finance
// reads it; owners, admins and accountants add accounts and manual entries and reverse them. A
// reversal is decided on the entry (AllowOn) once it is found, so that another firm's entry is
// 404 to every role that reads finance, never 403.
type ledgerPolicy[T any] struct{}

func (ledgerPolicy[T]) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Finance)
	}
	return auth.CanRead(a, auth.Finance)
}

func (ledgerPolicy[T]) AllowOn(a auth.Actor, act resource.Action, _ *T) error {
	if act == resource.Read {
		return nil
	}
	return auth.CanWrite(a, auth.Finance)
}

// manualLineRules checks a manual entry's lines: each a debit or a credit, at least two, and
// balanced.
func manualLineRules(lines []JournalLine) fault.Fields {
	var bad fault.Fields
	if len(lines) < 2 {
		bad.Add("lines", MsgTwoLines)
		return bad
	}
	var debits, credits []money.Amount
	for _, l := range lines {
		if (l.Debit == 0) == (l.Credit == 0) || l.Debit < 0 || l.Credit < 0 {
			bad.Add("lines", MsgLineSide)
			return bad
		}
		debits, credits = append(debits, l.Debit), append(credits, l.Credit)
	}
	if !balanced(debits, credits) {
		bad.Add("lines", MsgUnbalanced)
	}
	return bad
}
