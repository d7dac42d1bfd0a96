package finance_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Helpers of the ledger property test: a model of what the firm's books should hold, and the
// checks that compare the API's ledger, invoices and bills with each other and with the model.

// minor parses a money string of the API in a currency into minor units.
func minor(t testing.TB, s, code string) int64 {
	t.Helper()
	c, ok := money.LookupCurrency(code)
	if !ok {
		t.Fatalf("unknown currency %q", code)
	}
	a, err := money.Parse(s, c)
	if err != nil {
		t.Fatalf("parse %q %s: %v", s, code, err)
	}
	return int64(a)
}

// text formats minor units of a currency as the API writes money.
func text(v int64, code string) string {
	return money.Format(money.Amount(v), money.CurrencyOf(code))
}

// listAll GETs every page of a list (200 a page) and checks that the pages add up to the count
// without an id twice.
func listAll[T any](t testing.TB, s *apiServer, token, path string, id func(T) string) []T {
	t.Helper()
	var all []T
	seen := map[string]bool{}
	for page := 1; ; page++ {
		p, rows := testkit.ListOf[T](t, s.API, token, path, fmt.Sprintf("page_size=200&page=%d", page))
		for _, r := range rows {
			if seen[id(r)] {
				t.Fatalf("GET %s: %s on two pages", path, id(r))
			}
			seen[id(r)] = true
		}
		all = append(all, rows...)
		if p.Next == nil {
			if int64(len(all)) != p.Count {
				t.Fatalf("GET %s: %d rows over %d pages, count says %d", path, len(all), page, p.Count)
			}
			return all
		}
	}
}

// billOut is a bill as the API shows it (the fields the ledger test reads).
type billOut struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Currency    string     `json:"currency"`
	Subtotal    string     `json:"subtotal"`
	TaxAmount   string     `json:"tax_amount"`
	TotalAmount string     `json:"total_amount"`
	AmountPaid  string     `json:"amount_paid"`
	BalanceDue  string     `json:"balance_due"`
	DueDate     string     `json:"due_date"`
	ApprovedAt  *string    `json:"approved_at"`
	LineItems   []lineItem `json:"line_items"`
}

// digits is the number of minor-unit digits of a currency of the books.
func digits(code string) int {
	switch code {
	case "JPY":
		return 0
	case "BHD":
		return 3
	}
	return 2
}

// scale is one major unit of a currency in minor units.
func scale(code string) int64 {
	v := int64(1)
	for range digits(code) {
		v *= 10
	}
	return v
}

// convert expresses v minor units of one currency as the same figure in another's minor units
// (12.50 USD → 12.500 BHD); false when the figure has more decimals than the target allows.
func convert(v int64, from, to string) (int64, bool) {
	f, g := scale(from), scale(to)
	if g >= f {
		return v * (g / f), true
	}
	if v%(f/g) != 0 {
		return 0, false
	}
	return v / (f / g), true
}

// modelLine is a line: quantity in hundredths × rate in minor units.
type modelLine struct{ q, rate int64 }

// amount is quantity × rate rounded half up to the minor unit (positive values only).
func (l modelLine) amount() int64 { return (l.q*l.rate + 50) / 100 }

// sumLines is Σ line amounts.
func sumLines(lines []modelLine) int64 {
	var s int64
	for _, l := range lines {
		s += l.amount()
	}
	return s
}

// modelInvoice is what the model knows of an invoice.
type modelInvoice struct {
	id, currency, status, due string
	lines                     []modelLine
	taxRate                   int64 // hundredths of a percent; -1 for none
	discount                  int64
	subtotal, tax, total      int64
	paid                      int64
}

// price works out the invoice's subtotal, tax and total from its lines, tax rate and discount,
// and says which field an invoice with these figures is refused on ("" when it is valid).
func (inv *modelInvoice) price() string {
	inv.subtotal = sumLines(inv.lines)
	inv.tax = 0
	if inv.taxRate > 0 {
		inv.tax = (inv.subtotal*inv.taxRate + 5000) / 10000
	}
	inv.total = inv.subtotal + inv.tax - inv.discount
	switch {
	case inv.discount > inv.subtotal:
		return "discount_amount"
	case inv.total <= 0:
		return "total_amount"
	}
	return ""
}

// open reports whether the invoice is in receivables (SPEC §6: sent, partial, overdue).
func (inv *modelInvoice) open() bool {
	return inv.status == "sent" || inv.status == "partial" || inv.status == "overdue"
}

// balance is what the client still owes: 0 once cancelled or refunded.
func (inv *modelInvoice) balance() int64 {
	if inv.status == "cancelled" || inv.status == "refunded" {
		return 0
	}
	return inv.total - inv.paid
}

// modelBill is what the model knows of a bill.
type modelBill struct {
	id, currency, status, category, due string
	lines                               []modelLine // none: the subtotal was sent
	subtotal, tax, total, paid          int64
	approved                            bool
}

// price works out a bill's subtotal (Σ lines when it has lines) and total.
func (b *modelBill) price() {
	if len(b.lines) > 0 {
		b.subtotal = sumLines(b.lines)
	}
	b.total = b.subtotal + b.tax
}

// modelEntry is a manual journal entry the model posted.
type modelEntry struct {
	id       string
	currency string
	net      map[string]int64 // account key → debit − credit
	reversed bool
}

// ledgerModel is the firm's books as the operations so far should have left them.
type ledgerModel struct {
	t      *testing.T
	s      *apiServer
	token  string
	client string
	today  string

	accountID map[string]string // system key → account id
	keyOf     map[string]string // account id → system key

	invoices []*modelInvoice
	bills    []*modelBill
	manual   []*modelEntry

	entries   int                         // journal entries expected
	net       map[string]map[string]int64 // account key → currency → debit − credit
	automatic []string                    // ids of some automatic entries (seen at the last check)

	done     map[string]int // successful operations by kind
	refused  map[string]int // operations refused with 400 as expected, by kind
	checks   int
	recent   []string // the last operations, for failure messages
	compared struct{ entries, lines, invoices, bills int }
}

func newLedgerModel(t *testing.T, s *apiServer, token, client, today string) *ledgerModel {
	m := &ledgerModel{t: t, s: s, token: token, client: client, today: today,
		accountID: map[string]string{}, keyOf: map[string]string{}, net: map[string]map[string]int64{},
		done: map[string]int{}, refused: map[string]int{}}
	for _, a := range listAll(t, s, token, accountsPath, func(a account) string { return a.ID }) {
		if a.SystemKey == nil {
			t.Fatalf("account %s %s has no system key", a.Code, a.Name)
		}
		m.accountID[*a.SystemKey], m.keyOf[a.ID] = a.ID, *a.SystemKey
		if len(a.Balances) != 0 {
			t.Fatalf("new firm: account %s has balances %+v", a.Code, a.Balances)
		}
	}
	for _, key := range []string{"cash", "stripe_clearing", "receivable", "payable", "sales_tax", "equity", "revenue", "expense:travel"} {
		if m.accountID[key] == "" {
			t.Fatalf("the chart has no %q account", key)
		}
	}
	return m
}

// note records an operation for failure messages.
func (m *ledgerModel) note(format string, args ...any) {
	m.recent = append(m.recent, fmt.Sprintf(format, args...))
	if len(m.recent) > 25 {
		m.recent = m.recent[1:]
	}
}

// fatalf stops the test with the recent operations.
func (m *ledgerModel) fatalf(format string, args ...any) {
	m.t.Helper()
	m.t.Fatalf(format+"\nrecent operations:\n  %s", append(args, strings.Join(m.recent, "\n  "))...)
}

// post records an expected journal entry: net debits (positive) and credits (negative) by
// account key, in a currency.
func (m *ledgerModel) post(currency string, net map[string]int64) {
	var sum int64
	for key, v := range net {
		if m.net[key] == nil {
			m.net[key] = map[string]int64{}
		}
		m.net[key][currency] += v
		sum += v
	}
	if sum != 0 {
		m.fatalf("the model posted an unbalanced entry: %v", net)
	}
	m.entries++
}

// check compares the API's books with each other and with the model (SPEC §6's invariants):
// every entry balances, the trial balance is zero, receivables are the balance due of sent,
// partial and overdue invoices, payables the balance due of approved bills — and every account,
// invoice and bill is what the model expects.
func (m *ledgerModel) check(label string) {
	t := m.t
	t.Helper()
	m.checks++

	// Every journal entry balances, per currency; the lines add up per account.
	entries := listAll(t, m.s, m.token, entriesPath, func(e journalEntry) string { return e.ID })
	if len(entries) != m.entries {
		m.fatalf("%s: %d journal entries, the operations made %d", label, len(entries), m.entries)
	}
	lineSums := map[string]map[string][2]int64{} // account → currency → {debit, credit}
	m.automatic = m.automatic[:0]
	for _, e := range entries {
		if len(e.Lines) < 2 {
			m.fatalf("%s: entry %s (%s) has %d lines", label, e.ID, e.Source, len(e.Lines))
		}
		perCurrency := map[string]int64{}
		for _, l := range e.Lines {
			if (l.Debit == nil) == (l.Credit == nil) {
				m.fatalf("%s: entry %s (%s): a line must be a debit or a credit: %+v", label, e.ID, e.Source, l)
			}
			if m.keyOf[l.Account] == "" {
				m.fatalf("%s: entry %s (%s) posts to unknown account %s", label, e.ID, e.Source, l.Account)
			}
			sums := lineSums[l.Account]
			if sums == nil {
				sums = map[string][2]int64{}
				lineSums[l.Account] = sums
			}
			s := sums[l.Currency]
			if l.Debit != nil {
				v := minor(t, *l.Debit, l.Currency)
				perCurrency[l.Currency] += v
				s[0] += v
			} else {
				v := minor(t, *l.Credit, l.Currency)
				perCurrency[l.Currency] -= v
				s[1] += v
			}
			sums[l.Currency] = s
		}
		for cur, d := range perCurrency {
			if d != 0 {
				m.fatalf("%s: entry %s (%s, %q) does not balance in %s: debits − credits = %s",
					label, e.ID, e.Source, e.Memo, cur, text(d, cur))
			}
		}
		if e.Source != "manual" && e.Source != "reversal" && len(m.automatic) < 5 {
			m.automatic = append(m.automatic, e.ID)
		}
		m.compared.entries++
		m.compared.lines += len(e.Lines)
	}

	// The chart: balances agree with the entries' lines, sit on the normal side, sum to zero per
	// currency (the trial balance) and are what the model expects.
	accounts := listAll(t, m.s, m.token, accountsPath, func(a account) string { return a.ID })
	trial := map[string]int64{}
	ar, ap := map[string]int64{}, map[string]int64{}
	for _, a := range accounts {
		key := m.keyOf[a.ID]
		got := map[string]int64{}
		for _, b := range a.Balances {
			d, c := minor(t, b.Debit, b.Currency), minor(t, b.Credit, b.Currency)
			if s := lineSums[a.ID][b.Currency]; s != [2]int64{d, c} {
				m.fatalf("%s: account %s %s: debit %s credit %s, its entry lines say %s and %s", label, a.Code, b.Currency,
					b.Debit, b.Credit, text(s[0], b.Currency), text(s[1], b.Currency))
			}
			normal := c - d
			if a.Type == "asset" || a.Type == "expense" {
				normal = d - c
			}
			if bal := minor(t, b.Balance, b.Currency); bal != normal {
				m.fatalf("%s: account %s %s: balance %s, not on its normal side of debit %s credit %s",
					label, a.Code, b.Currency, b.Balance, b.Debit, b.Credit)
			}
			trial[b.Currency] += d - c
			got[b.Currency] = d - c
			switch key {
			case "receivable":
				ar[b.Currency] = normal
			case "payable":
				ap[b.Currency] = normal
			}
		}
		if len(got) != len(lineSums[a.ID]) {
			m.fatalf("%s: account %s has balances in %v, its entry lines in %v", label, a.Code,
				slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(lineSums[a.ID])))
		}
		want := m.net[key]
		if !maps.Equal(nonZero(got), nonZero(want)) {
			m.fatalf("%s: account %s (%s): debit − credit %v, the model expects %v", label, a.Code, key, got, want)
		}
	}
	for cur, v := range trial {
		if v != 0 {
			m.fatalf("%s: the trial balance in %s is %s, not 0", label, cur, text(v, cur))
		}
	}

	// Receivables: Σ balance_due of sent, partial and overdue invoices, per currency.
	invoices := listAll(t, m.s, m.token, invoicesPath, func(inv invoice) string { return inv.ID })
	if len(invoices) != len(m.invoices) {
		m.fatalf("%s: %d invoices listed, %d created", label, len(invoices), len(m.invoices))
	}
	byID := map[string]*modelInvoice{}
	for _, inv := range m.invoices {
		byID[inv.id] = inv
	}
	owed := map[string]int64{}
	for _, got := range invoices {
		want := byID[got.ID]
		if want == nil {
			m.fatalf("%s: unknown invoice %s", label, got.ID)
		}
		cur := got.Currency
		if got.Status != want.status || cur != want.currency || minor(t, got.TotalAmount, cur) != want.total ||
			minor(t, got.AmountPaid, cur) != want.paid || minor(t, got.BalanceDue, cur) != want.balance() {
			m.fatalf("%s: invoice %s: status %s total %s paid %s balance %s %s; the model expects %s total %s paid %s balance %s %s",
				label, got.ID, got.Status, got.TotalAmount, got.AmountPaid, got.BalanceDue, cur,
				want.status, text(want.total, cur), text(want.paid, cur), text(want.balance(), cur), want.currency)
		}
		m.checkLines(label, "invoice "+got.ID, cur, got.LineItems, want.lines, got.Subtotal)
		subtotal, tax, discount := minor(t, got.Subtotal, cur), minor(t, got.TaxAmount, cur), minor(t, got.DiscountAmount, cur)
		if subtotal != want.subtotal || tax != want.tax || discount != want.discount || subtotal+tax-discount != minor(t, got.TotalAmount, cur) {
			m.fatalf("%s: invoice %s: subtotal %s tax %s discount %s total %s %s; the model expects %s, %s, %s, %s", label, got.ID,
				got.Subtotal, got.TaxAmount, got.DiscountAmount, got.TotalAmount, cur,
				text(want.subtotal, cur), text(want.tax, cur), text(want.discount, cur), text(want.total, cur))
		}
		if got.Status == "sent" || got.Status == "partial" || got.Status == "overdue" {
			owed[cur] += minor(t, got.BalanceDue, cur)
		}
		m.compared.invoices++
	}
	if !maps.Equal(nonZero(ar), nonZero(owed)) {
		m.fatalf("%s: Accounts Receivable %v ≠ Σ balance_due of sent, partial and overdue invoices %v", label, ar, owed)
	}

	// Payables: Σ balance_due of approved bills (approved_at set), per currency.
	bills := listAll(t, m.s, m.token, billsPath, func(b billOut) string { return b.ID })
	if len(bills) != len(m.bills) {
		m.fatalf("%s: %d bills listed, %d created", label, len(bills), len(m.bills))
	}
	billByID := map[string]*modelBill{}
	for _, b := range m.bills {
		billByID[b.id] = b
	}
	due := map[string]int64{}
	for _, got := range bills {
		want := billByID[got.ID]
		if want == nil {
			m.fatalf("%s: unknown bill %s", label, got.ID)
		}
		cur := got.Currency
		if got.Status != want.status || cur != want.currency || minor(t, got.TotalAmount, cur) != want.total ||
			minor(t, got.AmountPaid, cur) != want.paid || minor(t, got.BalanceDue, cur) != want.total-want.paid ||
			(got.ApprovedAt != nil) != want.approved {
			m.fatalf("%s: bill %s: status %s total %s paid %s balance %s %s approved_at %v; the model expects %s total %s paid %s %s approved %t",
				label, got.ID, got.Status, got.TotalAmount, got.AmountPaid, got.BalanceDue, cur, got.ApprovedAt,
				want.status, text(want.total, cur), text(want.paid, cur), want.currency, want.approved)
		}
		m.checkLines(label, "bill "+got.ID, cur, got.LineItems, want.lines, got.Subtotal)
		subtotal, tax := minor(t, got.Subtotal, cur), minor(t, got.TaxAmount, cur)
		if subtotal != want.subtotal || tax != want.tax || subtotal+tax != minor(t, got.TotalAmount, cur) {
			m.fatalf("%s: bill %s: subtotal %s tax %s total %s %s; the model expects %s, %s, %s", label, got.ID,
				got.Subtotal, got.TaxAmount, got.TotalAmount, cur, text(want.subtotal, cur), text(want.tax, cur), text(want.total, cur))
		}
		if got.ApprovedAt != nil {
			due[cur] += minor(t, got.BalanceDue, cur)
		}
		m.compared.bills++
	}
	if !maps.Equal(nonZero(ap), nonZero(due)) {
		m.fatalf("%s: Accounts Payable %v ≠ Σ balance_due of approved bills %v", label, ap, due)
	}
}

// checkLines compares a document's lines with the model's, each amount with quantity × rate,
// and Σ line amounts with the subtotal (when there are lines).
func (m *ledgerModel) checkLines(label, doc, cur string, got []lineItem, want []modelLine, subtotal string) {
	t := m.t
	t.Helper()
	if len(got) != len(want) {
		m.fatalf("%s: %s has %d lines, the model %d", label, doc, len(got), len(want))
	}
	var sum int64
	for i, l := range got {
		w := want[i]
		if minor(t, l.Quantity, "USD") != w.q || minor(t, l.Rate, cur) != w.rate || minor(t, l.Amount, cur) != w.amount() {
			m.fatalf("%s: %s line %d: %s × %s = %s %s; the model expects %s × %s = %s", label, doc, i+1,
				l.Quantity, l.Rate, l.Amount, cur, text(w.q, "USD"), text(w.rate, cur), text(w.amount(), cur))
		}
		sum += minor(t, l.Amount, cur)
	}
	if len(got) > 0 && sum != minor(t, subtotal, cur) {
		m.fatalf("%s: %s: Σ line amounts %s ≠ subtotal %s %s", label, doc, text(sum, cur), subtotal, cur)
	}
}

// nonZero drops the zero amounts of a per-currency map.
func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
