package finance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestLedgerInvariants runs random operations on one firm's books through the API — invoices
// created, edited (lines, tax, discount, currency), sent, paid, refunded, cancelled and
// deleted; bills recorded, edited, approved, disputed, paid, refunded and deleted; manual
// journal entries posted and reversed; the overdue sweep — in USD, EUR, JPY and BHD, most of
// them valid for the current state and some not (each refused with 400, or 409 for a delete,
// and changing nothing). Every 50 operations and at the end it checks SPEC §6's invariants
// through the API: every journal entry balances, the trial balance is zero, Accounts
// Receivable is Σ balance_due of sent, partial and overdue invoices and Accounts Payable
// Σ balance_due of approved bills; and that every account balance, invoice and bill (lines
// included) is what a model of the operations expects.
func TestLedgerInvariants(t *testing.T) {
	t.Parallel()
	const ops, every, seed = 1000, 50, 20260316
	now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC)
	s := startServerAt(t, now)
	f := s.RegisterFirm(t)
	token := f.Owner.Token
	m := newLedgerModel(t, s, token, s.createClient(t, token), "2026-03-16")
	// The overdue sweep is a daily job outside the API: run it on the server's database.
	sweeper := finance.NewService(s.DB(), nil, nil, nil, s.Clock.Now)
	r := &ledgerRun{ledgerModel: m, rng: rand.New(rand.NewPCG(seed, 1)),
		sweep: func() (finance.SweepResult, error) { return sweeper.SweepOverdue(context.Background(), s.Clock.Now()) }}

	start := time.Now()
	for i := 1; i <= ops; i++ {
		r.step(i)
		if i%every == 0 {
			m.check(fmt.Sprintf("after operation %d", i))
		}
	}
	m.check("at the end")
	t.Logf("seed %d, %d operations in %v on %s: done %v; refused as expected %v", seed, ops,
		time.Since(start).Round(time.Millisecond), testkit.Engine(), m.done, m.refused)
	t.Logf("%d checks: %d entries (%d lines), %d invoices and %d bills compared; finally %d entries, %d invoices, %d bills",
		m.checks, m.compared.entries, m.compared.lines, m.compared.invoices, m.compared.bills, m.entries, len(m.invoices), len(m.bills))
}

// ledgerRun draws the operations.
type ledgerRun struct {
	*ledgerModel
	rng   *rand.Rand
	sweep func() (finance.SweepResult, error)
}

// currencies of the books: the firm's USD, and currencies of 2, 0 and 3 decimals.
var ledgerCurrencies = []string{"USD", "USD", "EUR", "JPY", "BHD"}

// pick returns a random element of xs that ok accepts, or nil.
func pick[T any](rng *rand.Rand, xs []*T, ok func(*T) bool) *T {
	var c []*T
	for _, x := range xs {
		if ok(x) {
			c = append(c, x)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[rng.IntN(len(c))]
}

// step runs operation i: one in ten is an operation the current state must refuse.
func (r *ledgerRun) step(i int) {
	if r.rng.IntN(10) == 0 && r.invalid(i) {
		return
	}
	type op struct {
		weight int
		run    func(int) bool // false: nothing to do it on
	}
	table := []op{
		{16, r.createInvoice}, {3, r.sendDraft}, {5, r.editInvoice}, {1, r.deleteInvoice},
		{20, r.payInvoice}, {8, r.refundInvoice}, {6, r.cancelInvoice},
		{10, r.createBill}, {4, r.editBill}, {1, r.deleteBill}, {8, r.approveBill}, {10, r.payBill}, {3, r.refundBill},
		{3, r.disputeBill}, {6, r.manualEntry}, {2, r.reverseEntry}, {1, r.runSweep},
	}
	total := 0
	for _, o := range table {
		total += o.weight
	}
	for {
		n := r.rng.IntN(total)
		for _, o := range table {
			if n < o.weight {
				if o.run(i) {
					return
				}
				break
			}
			n -= o.weight
		}
	}
}

// do sends a request and fails unless it answers status.
func (r *ledgerRun) do(status int, method, path string, body any) *testkit.Response {
	r.t.Helper()
	res := r.s.Do(r.t, method, path, r.token, body)
	if res.Status != status {
		r.fatalf("%s %s %v: status %d, want %d: %s", method, path, body, res.Status, status, res.Body)
	}
	return res
}

// decode reads a response body into v.
func (r *ledgerRun) decode(res *testkit.Response, v any) {
	r.t.Helper()
	testkit.Decode(r.t, res, v)
}

// currency draws a currency of the books.
func (r *ledgerRun) currency() string { return ledgerCurrencies[r.rng.IntN(len(ledgerCurrencies))] }

// lines draws 1–4 lines in a currency (quantity 0.01–20.00, rate 1–500 major units) whose
// amounts add up to more than 0.
func (r *ledgerRun) lines(code string) []modelLine {
	for {
		out := make([]modelLine, 1+r.rng.IntN(4))
		for i := range out {
			out[i] = modelLine{q: 1 + r.rng.Int64N(2000), rate: scale(code) + r.rng.Int64N(500*scale(code))}
		}
		if sumLines(out) > 0 {
			return out
		}
	}
}

// linesBody writes lines as a request sends them; some carry their amount, worked out here.
func (r *ledgerRun) linesBody(lines []modelLine, code string) []map[string]any {
	out := make([]map[string]any, len(lines))
	for i, l := range lines {
		out[i] = map[string]any{"description": fmt.Sprintf("Work %d", i+1), "quantity": text(l.q, "USD"), "rate": text(l.rate, code)}
		if r.rng.IntN(3) == 0 {
			out[i]["amount"] = text(l.amount(), code)
		}
	}
	return out
}

// pastDue reports whether a new invoice or bill should fall due before today (for the sweep).
func (r *ledgerRun) pastDue() bool { return r.rng.IntN(6) == 0 }

// invoiceFigures draws an invoice's tax rate (0–25 %, or none) and discount (up to half the
// subtotal) into body and inv, and prices inv. Either may be left out of body: a new invoice
// then has none, an edited one keeps its own.
func (r *ledgerRun) invoiceFigures(inv *modelInvoice, body map[string]any) {
	switch n := r.rng.IntN(5); {
	case n < 3:
		inv.taxRate = r.rng.Int64N(2501)
		body["tax_rate"] = text(inv.taxRate, "USD")
	case n == 3:
		inv.taxRate = -1
		body["tax_rate"] = nil
	}
	half := sumLines(inv.lines) / 2
	switch n := r.rng.IntN(4); {
	case n == 0:
		inv.discount = r.rng.Int64N(half + 1)
		body["discount_amount"] = text(inv.discount, inv.currency)
	case n == 1:
		inv.discount = 0
		body["discount_amount"] = nil
	case inv.discount > half:
		inv.discount = 0
		body["discount_amount"] = text(0, inv.currency)
	}
	if field := inv.price(); field != "" {
		r.fatalf("drew an invalid invoice: %s (%+v)", field, inv)
	}
}

// wantInvoice fails unless the API's invoice has the model's figures.
func (r *ledgerRun) wantInvoice(i int, got invoice, inv *modelInvoice) {
	r.t.Helper()
	code := inv.currency
	if got.Currency != code || minor(r.t, got.Subtotal, code) != inv.subtotal || minor(r.t, got.TaxAmount, code) != inv.tax ||
		minor(r.t, got.DiscountAmount, code) != inv.discount || minor(r.t, got.TotalAmount, code) != inv.total {
		r.fatalf("op %d: invoice %s: subtotal %s tax %s discount %s total %s %s; worked out %s, %s, %s, %s %s", i, inv.id,
			got.Subtotal, got.TaxAmount, got.DiscountAmount, got.TotalAmount, got.Currency,
			text(inv.subtotal, code), text(inv.tax, code), text(inv.discount, code), text(inv.total, code), code)
	}
}

func (r *ledgerRun) createInvoice(i int) bool {
	code := r.currency()
	inv := &modelInvoice{currency: code, status: "draft", lines: r.lines(code), taxRate: -1}
	body := map[string]any{"client": r.client, "currency": code, "line_items": r.linesBody(inv.lines, code)}
	r.invoiceFigures(inv, body)
	if r.pastDue() {
		body["issue_date"], body["due_date"] = "2026-02-01", "2026-03-01"
	}
	how := r.rng.IntN(20)
	if how < 3 {
		body["status"] = "sent"
	}
	var got invoice
	r.decode(r.do(http.StatusCreated, http.MethodPost, invoicesPath, body), &got)
	inv.id, inv.due = got.ID, got.DueDate
	r.wantInvoice(i, got, inv)
	r.invoices = append(r.invoices, inv)
	if how >= 16 {
		r.note("op %d: invoice %s drafted: %s %s", i, inv.id, text(inv.total, code), code)
		r.done["invoice drafted"]++
		return true
	}
	if how >= 3 {
		r.send(i, inv, how < 13)
	} else {
		r.sent(i, inv, got)
	}
	return true
}

// send sends a draft, with the send action or a PATCH of its status.
func (r *ledgerRun) send(i int, inv *modelInvoice, action bool) {
	var got invoice
	if action {
		r.decode(r.do(http.StatusOK, http.MethodPost, invoicePath(inv.id)+"send/", nil), &got)
	} else {
		r.decode(r.do(http.StatusOK, http.MethodPatch, invoicePath(inv.id), map[string]any{"status": "sent"}), &got)
	}
	r.sent(i, inv, got)
}

// sent records a sent invoice and its posting: Dr receivable, Cr revenue and sales tax.
func (r *ledgerRun) sent(i int, inv *modelInvoice, got invoice) {
	if got.Status != "sent" || got.InvoiceNumber == nil {
		r.fatalf("op %d: invoice %s after sending: status %s number %v", i, inv.id, got.Status, got.InvoiceNumber)
	}
	r.wantInvoice(i, got, inv)
	inv.status = "sent"
	r.post(inv.currency, map[string]int64{"receivable": inv.total, "revenue": -(inv.total - inv.tax), "sales_tax": -inv.tax})
	r.note("op %d: invoice %s sent: %s %s (tax %s)", i, inv.id, text(inv.total, inv.currency), inv.currency, text(inv.tax, inv.currency))
	r.done["invoice sent"]++
}

func (r *ledgerRun) sendDraft(i int) bool {
	inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status == "draft" })
	if inv == nil {
		return false
	}
	r.send(i, inv, r.rng.IntN(2) == 0)
	return true
}

// decimalsMessage is the refusal of more decimals than a currency has.
func decimalsMessage(code string) string {
	switch digits(code) {
	case 0:
		return "Ensure that there are no decimal places."
	case 3:
		return "Ensure that there are no more than 3 decimal places."
	}
	return "Ensure that there are no more than 2 decimal places."
}

// editInvoice changes a draft: new lines, tax and discount; or only its currency, which keeps
// the figures of its rates and discount (refused when they have more decimals than the new
// currency); or its currency with new lines and discount.
func (r *ledgerRun) editInvoice(i int) bool {
	inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status == "draft" })
	if inv == nil {
		return false
	}
	next := *inv
	body := map[string]any{}
	mode := r.rng.IntN(3)
	if mode > 0 {
		for next.currency == inv.currency {
			next.currency = r.currency()
		}
		body["currency"] = next.currency
	}
	refused, msg := "", decimalsMessage(next.currency)
	if mode == 1 { // the currency alone: the same figures in the new currency
		next.lines = slices.Clone(inv.lines)
		for k := range next.lines {
			v, ok := convert(next.lines[k].rate, inv.currency, next.currency)
			if !ok && refused == "" {
				refused = "line_items"
			}
			next.lines[k].rate = v
		}
		v, ok := convert(inv.discount, inv.currency, next.currency)
		if !ok && refused == "" {
			refused = "discount_amount"
		}
		next.discount = v
		if refused == "" {
			if refused = next.price(); refused == "discount_amount" {
				msg = "Discount cannot exceed subtotal"
			} else if refused == "total_amount" {
				msg = "Total amount must be greater than 0"
			}
		}
	} else {
		next.lines = r.lines(next.currency)
		body["line_items"] = r.linesBody(next.lines, next.currency)
		r.invoiceFigures(&next, body)
		if mode == 2 {
			body["discount_amount"] = text(next.discount, next.currency)
		}
	}
	if refused != "" {
		r.refuse(i, "currency change of a draft", http.MethodPatch, invoicePath(inv.id), body, map[string][]string{refused: {msg}})
		return true
	}
	var got invoice
	r.decode(r.do(http.StatusOK, http.MethodPatch, invoicePath(inv.id), body), &got)
	r.wantInvoice(i, got, &next)
	r.note("op %d: draft %s edited (%v): %s %s → %s %s", i, inv.id, body["currency"], text(inv.total, inv.currency), inv.currency,
		text(next.total, next.currency), next.currency)
	r.done[[]string{"draft lines changed", "draft currency changed", "draft currency and lines changed"}[mode]]++
	*inv = next
	return true
}

func (r *ledgerRun) deleteInvoice(i int) bool {
	inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status == "draft" })
	if inv == nil {
		return false
	}
	r.do(http.StatusNoContent, http.MethodDelete, invoicePath(inv.id), nil)
	r.note("op %d: draft %s deleted", i, inv.id)
	r.invoices = slices.DeleteFunc(r.invoices, func(x *modelInvoice) bool { return x == inv })
	r.done["draft deleted"]++
	return true
}

// methods a payment may use; Stripe's go through the clearing account.
var methods = []string{"bank_transfer", "card", "cash", "check", "other", "stripe"}

func cashKey(method string) string {
	if method == "stripe" {
		return "stripe_clearing"
	}
	return "cash"
}

// amount draws a payment of at most max: all of it, or a random part.
func (r *ledgerRun) amount(max int64) int64 {
	if r.rng.IntN(5) < 2 {
		return max
	}
	return 1 + r.rng.Int64N(max)
}

func (r *ledgerRun) payInvoice(i int) bool {
	inv := pick(r.rng, r.invoices, (*modelInvoice).open)
	if inv == nil {
		return false
	}
	amount, method := r.amount(inv.balance()), methods[r.rng.IntN(len(methods))]
	r.do(http.StatusCreated, http.MethodPost, invoicePath(inv.id)+"payments/",
		map[string]any{"amount": text(amount, inv.currency), "method": method})
	inv.paid += amount
	inv.status = "partial"
	if inv.paid == inv.total {
		inv.status = "paid"
	}
	r.post(inv.currency, map[string]int64{cashKey(method): amount, "receivable": -amount})
	r.note("op %d: invoice %s paid %s %s by %s → %s", i, inv.id, text(amount, inv.currency), inv.currency, method, inv.status)
	r.done["invoice payment"]++
	return true
}

func (r *ledgerRun) refundInvoice(i int) bool {
	inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool {
		return inv.paid > 0 && (inv.open() || inv.status == "paid")
	})
	if inv == nil {
		return false
	}
	amount, method := r.amount(inv.paid), methods[r.rng.IntN(len(methods))]
	r.do(http.StatusCreated, http.MethodPost, invoicePath(inv.id)+"payments/",
		map[string]any{"amount": text(amount, inv.currency), "method": method, "kind": "refund"})
	inv.paid -= amount
	r.post(inv.currency, map[string]int64{"receivable": amount, cashKey(method): -amount})
	if inv.paid == 0 {
		// A refund of everything closes the invoice with a credit of what it showed as owed.
		inv.status = "refunded"
		r.post(inv.currency, map[string]int64{"revenue": inv.total - inv.tax, "sales_tax": inv.tax, "receivable": -inv.total})
	} else {
		inv.status = "partial"
	}
	r.note("op %d: invoice %s refunded %s %s → %s", i, inv.id, text(amount, inv.currency), inv.currency, inv.status)
	r.done["invoice refund"]++
	return true
}

func (r *ledgerRun) cancelInvoice(i int) bool {
	inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool {
		return inv.status == "draft" || inv.open() && inv.paid == 0
	})
	if inv == nil {
		return false
	}
	var got invoice
	if r.rng.IntN(4) == 0 {
		r.decode(r.do(http.StatusOK, http.MethodPatch, invoicePath(inv.id), map[string]any{"status": "cancelled"}), &got)
	} else {
		r.decode(r.do(http.StatusOK, http.MethodPost, invoicePath(inv.id)+"cancel/", nil), &got)
	}
	if got.Status != "cancelled" || got.BalanceDue != text(0, inv.currency) {
		r.fatalf("op %d: invoice %s after cancelling: status %s balance %s", i, inv.id, got.Status, got.BalanceDue)
	}
	if inv.status != "draft" {
		r.post(inv.currency, map[string]int64{"receivable": -inv.total, "revenue": inv.total - inv.tax, "sales_tax": inv.tax})
	}
	r.note("op %d: invoice %s (%s) cancelled", i, inv.id, inv.status)
	r.done["invoice cancelled from "+inv.status]++
	inv.status = "cancelled"
	return true
}

// categories of bills.
var categories = []string{"subcontractors", "software", "travel", "office", "marketing", "professional_services", "utilities", "other"}

// billFigures draws a bill's lines or subtotal, and its tax, into body and b.
func (r *ledgerRun) billFigures(b *modelBill, body map[string]any) {
	b.lines, b.subtotal = nil, 0
	if r.rng.IntN(2) == 0 {
		b.lines = r.lines(b.currency)
		body["line_items"] = r.linesBody(b.lines, b.currency)
	} else {
		b.subtotal = 1 + r.rng.Int64N(5000*scale(b.currency))
		body["subtotal"] = text(b.subtotal, b.currency)
		body["line_items"] = []any{}
	}
	b.price()
	b.tax = 0
	if r.rng.IntN(2) == 0 {
		b.tax = r.rng.Int64N(b.subtotal/5 + 1)
		body["tax_amount"] = text(b.tax, b.currency)
	} else {
		body["tax_amount"] = nil
	}
	b.price()
}

// wantBill fails unless the API's bill has the model's figures.
func (r *ledgerRun) wantBill(i int, got billOut, b *modelBill) {
	r.t.Helper()
	code := b.currency
	if got.Currency != code || got.Status != b.status || minor(r.t, got.Subtotal, code) != b.subtotal ||
		minor(r.t, got.TaxAmount, code) != b.tax || minor(r.t, got.TotalAmount, code) != b.total {
		r.fatalf("op %d: bill %s: %s subtotal %s tax %s total %s %s; the model expects %s %s, %s, %s %s", i, b.id,
			got.Status, got.Subtotal, got.TaxAmount, got.TotalAmount, got.Currency,
			b.status, text(b.subtotal, code), text(b.tax, code), text(b.total, code), code)
	}
}

func (r *ledgerRun) createBill(i int) bool {
	b := &modelBill{currency: r.currency(), status: "received", category: categories[r.rng.IntN(len(categories))], due: "2026-04-15"}
	body := map[string]any{"vendor_name": fmt.Sprintf("Vendor %d", i), "currency": b.currency, "expense_category": b.category}
	r.billFigures(b, body)
	if body["tax_amount"] == nil {
		delete(body, "tax_amount")
	}
	if r.pastDue() {
		body["bill_date"], b.due = "2026-02-01", "2026-03-01"
	}
	body["due_date"] = b.due
	var got billOut
	r.decode(r.do(http.StatusCreated, http.MethodPost, billsPath, body), &got)
	b.id = got.ID
	r.wantBill(i, got, b)
	r.bills = append(r.bills, b)
	r.note("op %d: bill %s received: %s %s", i, got.ID, got.TotalAmount, b.currency)
	r.done["bill received"]++
	return true
}

// editBill changes a bill. Before approval: its currency alone (the same figures in the new
// currency, refused when they have more decimals than it allows), or new amounts. After
// approval: tax moved to or from the subtotal, the total kept.
func (r *ledgerRun) editBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool { return !b.approved || len(b.lines) == 0 })
	if b == nil {
		return false
	}
	next := *b
	body := map[string]any{}
	switch {
	case b.approved:
		shift := r.rng.Int64N(b.subtotal) - r.rng.Int64N(b.tax+1) // subtotal stays > 0, tax ≥ 0
		next.subtotal, next.tax = b.subtotal-shift, b.tax+shift
		next.price()
		body["subtotal"], body["tax_amount"] = text(next.subtotal, b.currency), text(next.tax, b.currency)
		if r.rng.IntN(2) == 0 {
			body["total_amount"] = text(b.total, b.currency)
		}
	case r.rng.IntN(2) == 0:
		for next.currency == b.currency {
			next.currency = r.currency()
		}
		body["currency"] = next.currency
		refused := ""
		next.lines = slices.Clone(b.lines)
		for k := range next.lines {
			v, ok := convert(next.lines[k].rate, b.currency, next.currency)
			if !ok && refused == "" {
				refused = "line_items"
			}
			next.lines[k].rate = v
		}
		for _, f := range []struct {
			field string
			v     *int64
		}{{"subtotal", &next.subtotal}, {"tax_amount", &next.tax}} {
			v, ok := convert(*f.v, b.currency, next.currency)
			if !ok && refused == "" && (f.field != "subtotal" || len(b.lines) == 0) {
				refused = f.field
			}
			*f.v = v
		}
		next.price()
		if refused == "" && next.total <= 0 {
			r.refuse(i, "bill currency change to a zero total", http.MethodPatch, billPath(b.id), body,
				map[string][]string{"total_amount": {"Total amount must be greater than 0"}})
			return true
		}
		if refused != "" {
			r.refuse(i, "bill currency change", http.MethodPatch, billPath(b.id), body,
				map[string][]string{refused: {decimalsMessage(next.currency)}})
			return true
		}
	default:
		r.billFigures(&next, body)
	}
	var got billOut
	r.decode(r.do(http.StatusOK, http.MethodPatch, billPath(b.id), body), &got)
	r.wantBill(i, got, &next)
	r.note("op %d: bill %s edited: %s %s → %s %s", i, b.id, text(b.total, b.currency), b.currency, text(next.total, next.currency), next.currency)
	switch {
	case b.approved:
		r.done["approved bill's tax moved"]++
	case next.currency != b.currency:
		r.done["bill currency changed"]++
	default:
		r.done["bill amounts changed"]++
	}
	*b = next
	return true
}

func (r *ledgerRun) deleteBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool { return !b.approved })
	if b == nil {
		return false
	}
	r.do(http.StatusNoContent, http.MethodDelete, billPath(b.id), nil)
	r.note("op %d: bill %s deleted", i, b.id)
	r.bills = slices.DeleteFunc(r.bills, func(x *modelBill) bool { return x == b })
	r.done["bill deleted"]++
	return true
}

func (r *ledgerRun) approveBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool { return !b.approved })
	if b == nil {
		return false
	}
	var got billOut
	r.decode(r.do(http.StatusOK, http.MethodPost, billPath(b.id)+"approve/", nil), &got)
	if got.Status != "approved" || got.ApprovedAt == nil {
		r.fatalf("op %d: bill %s after approval: %+v", i, b.id, got)
	}
	r.note("op %d: bill %s approved from %s", i, b.id, b.status)
	r.done["bill approved from "+b.status]++
	b.status, b.approved = "approved", true
	r.post(b.currency, map[string]int64{"expense:" + b.category: b.total, "payable": -b.total})
	return true
}

// payable reports whether a bill takes payments: approved and not disputed.
func (b *modelBill) payable() bool { return b.approved && b.status != "disputed" }

func (r *ledgerRun) payBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool { return b.payable() && b.paid < b.total })
	if b == nil {
		return false
	}
	amount, method := r.amount(b.total-b.paid), methods[r.rng.IntN(len(methods))]
	r.do(http.StatusCreated, http.MethodPost, billPath(b.id)+"payments/",
		map[string]any{"amount": text(amount, b.currency), "method": method})
	b.paid += amount
	b.status = "partial"
	if b.paid == b.total {
		b.status = "paid"
	}
	r.post(b.currency, map[string]int64{"payable": amount, cashKey(method): -amount})
	r.note("op %d: bill %s paid %s %s → %s", i, b.id, text(amount, b.currency), b.currency, b.status)
	r.done["bill payment"]++
	return true
}

func (r *ledgerRun) refundBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool { return b.payable() && b.paid > 0 })
	if b == nil {
		return false
	}
	amount, method := r.amount(b.paid), methods[r.rng.IntN(len(methods))]
	r.do(http.StatusCreated, http.MethodPost, billPath(b.id)+"payments/",
		map[string]any{"amount": text(amount, b.currency), "method": method, "kind": "refund"})
	b.paid -= amount
	b.status = "partial"
	if b.paid == 0 {
		b.status = "approved"
	}
	r.post(b.currency, map[string]int64{cashKey(method): amount, "payable": -amount})
	r.note("op %d: bill %s refunded %s %s → %s", i, b.id, text(amount, b.currency), b.currency, b.status)
	r.done["bill refund"]++
	return true
}

// disputeBill disputes a received or approved bill, or settles a dispute back to where the
// bill was.
func (r *ledgerRun) disputeBill(i int) bool {
	b := pick(r.rng, r.bills, func(b *modelBill) bool {
		return b.status == "received" || b.status == "approved" || b.status == "disputed"
	})
	if b == nil {
		return false
	}
	to := "disputed"
	if b.status == "disputed" {
		to = "received"
		if b.approved {
			to = "approved"
		}
	}
	var got billOut
	r.decode(r.do(http.StatusOK, http.MethodPatch, billPath(b.id), map[string]any{"status": to}), &got)
	if got.Status != to {
		r.fatalf("op %d: bill %s: status %s after PATCH to %s", i, b.id, got.Status, to)
	}
	r.note("op %d: bill %s %s → %s", i, b.id, b.status, to)
	r.done["bill "+b.status+" → "+to]++
	b.status = to
	return true
}

// ledgerKeys are the accounts manual entries post to: neither receivables nor payables, which
// SPEC §6 ties to invoices and bills.
var ledgerKeys = []string{"cash", "stripe_clearing", "equity", "revenue", "sales_tax", "expense:office", "expense:travel", "expense:other"}

// manualLines draws a balanced manual entry of 2–4 lines in a currency.
func (r *ledgerRun) manualLines(code string) ([]map[string]any, map[string]int64) {
	total := 1 + r.rng.Int64N(10000*scale(code))
	debits, credits := 1+r.rng.IntN(2), 1+r.rng.IntN(2)
	split := func(n int) []int64 {
		if n == 1 || total < 2 {
			return []int64{total}
		}
		a := 1 + r.rng.Int64N(total-1)
		return []int64{a, total - a}
	}
	var lines []map[string]any
	net := map[string]int64{}
	for _, v := range split(debits) {
		key := ledgerKeys[r.rng.IntN(len(ledgerKeys))]
		lines = append(lines, map[string]any{"account": r.accountID[key], "debit": text(v, code)})
		net[key] += v
	}
	for _, v := range split(credits) {
		key := ledgerKeys[r.rng.IntN(len(ledgerKeys))]
		lines = append(lines, map[string]any{"account": r.accountID[key], "credit": text(v, code), "memo": "other side"})
		net[key] -= v
	}
	r.rng.Shuffle(len(lines), func(a, b int) { lines[a], lines[b] = lines[b], lines[a] })
	return lines, net
}

func (r *ledgerRun) manualEntry(i int) bool {
	code := r.currency()
	lines, net := r.manualLines(code)
	var got journalEntry
	r.decode(r.do(http.StatusCreated, http.MethodPost, journalPath,
		map[string]any{"memo": fmt.Sprintf("Adjustment %d", i), "currency": code, "lines": lines}), &got)
	r.post(code, net)
	r.manual = append(r.manual, &modelEntry{id: got.ID, currency: code, net: net})
	r.note("op %d: manual entry %s in %s: %v", i, got.ID, code, net)
	r.done["manual entry"]++
	return true
}

func (r *ledgerRun) reverseEntry(i int) bool {
	e := pick(r.rng, r.manual, func(e *modelEntry) bool { return !e.reversed })
	if e == nil {
		return false
	}
	var got journalEntry
	r.decode(r.do(http.StatusCreated, http.MethodPost, journalPath+e.id+"/reverse/", nil), &got)
	if got.Source != "reversal" || got.Reverses == nil || *got.Reverses != e.id {
		r.fatalf("op %d: reversal of %s: %+v", i, e.id, got)
	}
	mirror := map[string]int64{}
	for k, v := range e.net {
		mirror[k] = -v
	}
	r.post(e.currency, mirror)
	e.reversed = true
	r.note("op %d: manual entry %s reversed", i, e.id)
	r.done["manual entry reversed"]++
	return true
}

// runSweep runs the daily overdue sweep: owed invoices and approved bills due before today
// become overdue.
func (r *ledgerRun) runSweep(i int) bool {
	res, err := r.sweep()
	if err != nil {
		r.fatalf("op %d: sweep: %v", i, err)
	}
	var invoices, bills int64
	for _, inv := range r.invoices {
		if (inv.status == "sent" || inv.status == "partial") && inv.due < r.today {
			inv.status = "overdue"
			invoices++
		}
	}
	for _, b := range r.bills {
		if (b.status == "approved" || b.status == "partial") && b.due < r.today {
			b.status = "overdue"
			bills++
		}
	}
	if res.Invoices != invoices || res.Bills != bills {
		r.fatalf("op %d: the sweep moved %d invoices and %d bills, the model %d and %d", i, res.Invoices, res.Bills, invoices, bills)
	}
	r.note("op %d: sweep: %d invoices and %d bills overdue", i, invoices, bills)
	r.done["sweep"]++
	return true
}

// refuse sends a request the current state must refuse with 400 and these messages.
func (r *ledgerRun) refuse(i int, kind, method, path string, body any, want map[string][]string) {
	r.t.Helper()
	res := r.s.Do(r.t, method, path, r.token, body)
	if res.Status != http.StatusBadRequest {
		r.fatalf("op %d (%s): %s %s %v: status %d, want 400: %s", i, kind, method, path, body, res.Status, res.Body)
	}
	var env testkit.Envelope
	r.decode(res, &env)
	for field, msgs := range want {
		if got := env.Error.Details[field]; !slices.Equal(got, msgs) {
			r.fatalf("op %d (%s): %s %s %v: details[%q] = %q, want %q: %s", i, kind, method, path, body, field, got, msgs, res.Body)
		}
	}
	r.note("op %d: refused as expected: %s", i, kind)
	r.refused[kind]++
}

// conflict sends a DELETE the current state must refuse with 409 and this message.
func (r *ledgerRun) conflict(i int, kind, path, message string) {
	r.t.Helper()
	res := r.s.Do(r.t, http.MethodDelete, path, r.token, nil)
	if res.Status != http.StatusConflict {
		r.fatalf("op %d (%s): DELETE %s: status %d, want 409: %s", i, kind, path, res.Status, res.Body)
	}
	var env testkit.Envelope
	r.decode(res, &env)
	if env.Error.Message != message || env.Error.Code != "CONFLICT" {
		r.fatalf("op %d (%s): DELETE %s: %s", i, kind, path, res.Body)
	}
	r.note("op %d: refused as expected: %s", i, kind)
	r.refused[kind]++
}

// invalid tries an operation the current state must refuse; false when the state offers none
// of the kind drawn.
func (r *ledgerRun) invalid(i int) bool {
	switch r.rng.IntN(16) {
	case 0: // a payment above the balance due
		inv := pick(r.rng, r.invoices, (*modelInvoice).open)
		if inv == nil {
			return false
		}
		r.refuse(i, "payment above balance", http.MethodPost, invoicePath(inv.id)+"payments/",
			map[string]any{"amount": text(inv.balance()+1, inv.currency)}, map[string][]string{"amount": {msgPaymentExceeds}})
	case 1: // a payment on an invoice that is not owed
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return !inv.open() })
		if inv == nil {
			return false
		}
		// A draft or cancelled invoice refuses by its status; a paid or refunded one owes
		// nothing, so any payment exceeds its balance (as http_payments_test.go expects).
		want := map[string][]string{"non_field_errors": {"Cannot record a payment on a " + inv.status + " invoice"}}
		if inv.status == "paid" || inv.status == "refunded" {
			want = map[string][]string{"amount": {msgPaymentExceeds}}
		}
		r.refuse(i, "payment on a "+inv.status+" invoice", http.MethodPost, invoicePath(inv.id)+"payments/",
			map[string]any{"amount": text(1, inv.currency)}, want)
	case 2: // a refund above the amount paid
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.open() || inv.status == "paid" })
		if inv == nil {
			return false
		}
		r.refuse(i, "refund above amount paid", http.MethodPost, invoicePath(inv.id)+"payments/",
			map[string]any{"amount": text(inv.paid+1, inv.currency), "kind": "refund"}, map[string][]string{"amount": {msgRefundExceeds}})
	case 3: // cancelling an invoice with payments, or one already closed
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool {
			return inv.paid > 0 || inv.status == "cancelled" || inv.status == "refunded"
		})
		if inv == nil {
			return false
		}
		msg := "Cannot change status from " + inv.status + " to cancelled"
		if inv.open() {
			msg = "Cannot cancel an invoice with payments; refund them first"
		}
		r.refuse(i, "cancel a "+inv.status+" invoice", http.MethodPost, invoicePath(inv.id)+"cancel/", nil,
			map[string][]string{"status": {msg}})
	case 4: // sending an invoice twice
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status != "draft" })
		if inv == nil {
			return false
		}
		r.refuse(i, "send a "+inv.status+" invoice", http.MethodPost, invoicePath(inv.id)+"send/", nil,
			map[string][]string{"status": {"Cannot change status from " + inv.status + " to sent"}})
	case 5: // approving a bill twice
		b := pick(r.rng, r.bills, func(b *modelBill) bool { return b.approved })
		if b == nil {
			return false
		}
		r.refuse(i, "approve an approved bill", http.MethodPost, billPath(b.id)+"approve/", nil,
			map[string][]string{"status": {"Only received or disputed bills can be approved"}})
	case 6: // paying a bill that is not approved, or disputed
		b := pick(r.rng, r.bills, func(b *modelBill) bool { return !b.payable() })
		if b == nil {
			return false
		}
		r.refuse(i, "pay a "+b.status+" bill", http.MethodPost, billPath(b.id)+"payments/",
			map[string]any{"amount": text(1, b.currency)}, map[string][]string{"non_field_errors": {"Only approved bills can take payments"}})
	case 7: // paying a bill more than it owes
		b := pick(r.rng, r.bills, (*modelBill).payable)
		if b == nil {
			return false
		}
		r.refuse(i, "bill payment above balance", http.MethodPost, billPath(b.id)+"payments/",
			map[string]any{"amount": text(b.total-b.paid+1, b.currency)}, map[string][]string{"amount": {msgPaymentExceeds}})
	case 8: // a manual entry that does not balance
		code := r.currency()
		lines, _ := r.manualLines(code)
		lines = append(lines, map[string]any{"account": r.accountID["cash"], "debit": text(1, code)})
		r.refuse(i, "unbalanced manual entry", http.MethodPost, journalPath,
			map[string]any{"memo": "Off by one", "currency": code, "lines": lines}, map[string][]string{"lines": {msgUnbalanced}})
	case 9: // a payment of nothing, or in more decimals than the currency has
		inv := pick(r.rng, r.invoices, (*modelInvoice).open)
		if inv == nil {
			return false
		}
		amount, msg := "0", "Amount must be greater than 0"
		switch inv.currency {
		case "JPY":
			amount, msg = "1.5", "Ensure that there are no decimal places."
		case "BHD":
			amount, msg = "0.0005", "Ensure that there are no more than 3 decimal places."
		case "EUR":
			amount, msg = "-0.01", "Amount must be greater than 0"
		}
		r.refuse(i, "payment of "+amount+" "+inv.currency, http.MethodPost, invoicePath(inv.id)+"payments/",
			map[string]any{"amount": amount}, map[string][]string{"amount": {msg}})
	case 10: // reversing an automatic entry, or a manual entry twice
		if e := pick(r.rng, r.manual, func(e *modelEntry) bool { return e.reversed }); e != nil && r.rng.IntN(2) == 0 {
			r.refuse(i, "reverse a reversed entry", http.MethodPost, journalPath+e.id+"/reverse/", nil,
				map[string][]string{"non_field_errors": {"This journal entry has already been reversed"}})
			return true
		}
		if len(r.automatic) == 0 {
			return false
		}
		r.refuse(i, "reverse an automatic entry", http.MethodPost, journalPath+r.automatic[r.rng.IntN(len(r.automatic))]+"/reverse/", nil,
			map[string][]string{"non_field_errors": {finance.MsgReverseManual}})
	case 12: // new lines on an invoice that has left draft
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status != "draft" })
		if inv == nil {
			return false
		}
		r.refuse(i, "new lines on a "+inv.status+" invoice", http.MethodPatch, invoicePath(inv.id),
			map[string]any{"line_items": r.linesBody(r.lines(inv.currency), inv.currency)},
			map[string][]string{"line_items": {"Only draft invoices can change amounts, lines, client or project"}})
	case 13: // deleting a numbered invoice
		inv := pick(r.rng, r.invoices, func(inv *modelInvoice) bool { return inv.status != "draft" })
		if inv == nil {
			return false
		}
		r.conflict(i, "delete a "+inv.status+" invoice", invoicePath(inv.id), msgDraftDelete)
	case 14: // deleting an approved bill
		b := pick(r.rng, r.bills, func(b *modelBill) bool { return b.approved })
		if b == nil {
			return false
		}
		r.conflict(i, "delete an approved bill", billPath(b.id), "Approved bills cannot be deleted")
	case 15: // a new total on an approved bill
		b := pick(r.rng, r.bills, func(b *modelBill) bool { return b.approved })
		if b == nil {
			return false
		}
		r.refuse(i, "new total on an approved bill", http.MethodPatch, billPath(b.id),
			map[string]any{"tax_amount": text(b.tax+1, b.currency)},
			map[string][]string{"total_amount": {"Only bills not yet approved can change amounts, lines or currency"}})
	default: // a discount above the subtotal
		code := r.currency()
		lines := r.lines(code)
		r.refuse(i, "discount above subtotal", http.MethodPost, invoicesPath,
			map[string]any{"client": r.client, "currency": code, "line_items": r.linesBody(lines, code),
				"discount_amount": text(sumLines(lines)+1, code)},
			map[string][]string{"discount_amount": {"Discount cannot exceed subtotal"}})
	}
	return true
}
