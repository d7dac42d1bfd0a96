package finance_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §6 payments: amount_paid = Σ payments − Σ refunds, updated atomically; a payment over the
// balance is refused; only owed invoices take payments; SPEC §10's payment throttle applies.

func TestRecordPayment(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	acc := b.users[roleAccountant]
	inv := s.sentInvoice(t, b, nil)

	r := s.pay(t, acc.Token, inv.ID, map[string]any{"amount": "500.00", "method": "bank_transfer", "reference": "TRX-1"})
	testkit.WantStatus(t, r, http.StatusCreated)
	var p payment
	testkit.Decode(t, r, &p)
	if p.Kind != "payment" || p.Amount != "500.00" || p.Currency != "USD" || p.Method != "bank_transfer" ||
		p.ReceivedOn != "2026-03-10" || p.Reference != "TRX-1" || deref(p.Invoice) != inv.ID ||
		deref(p.InvoiceNumber) != "INV-2026-001" || p.Bill != nil || deref(p.CreatedBy) != acc.ID {
		t.Errorf("payment: %+v", p)
	}
	loc := r.Header.Get("Location")
	if loc != "/api/v1/finance/payments/"+p.ID+"/" {
		t.Errorf("Location %q", loc)
	}
	if g := s.Do(t, http.MethodGet, loc, b.owner, nil); g.Status != http.StatusOK || string(g.Body) != string(r.Body) {
		t.Errorf("GET %s: %s\nwant the POST's body %s", loc, g, r.Body)
	}
	got := s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "500.00" || got.BalanceDue != "1000.00" || got.PaidDate != nil {
		t.Errorf("after 500.00: %s paid %s balance %s paid_date %s", got.Status, got.AmountPaid, got.BalanceDue, deref(got.PaidDate))
	}

	// Paying the balance, dated, makes it paid on that date.
	s.paid(t, acc.Token, inv.ID, map[string]any{"amount": "1000", "method": "stripe", "received_on": "2026-03-08"})
	got = s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "paid" || got.AmountPaid != "1500.00" || got.BalanceDue != "0.00" || deref(got.PaidDate) != "2026-03-08" {
		t.Errorf("after the balance: %s paid %s balance %s paid_date %s", got.Status, got.AmountPaid, got.BalanceDue, deref(got.PaidDate))
	}
	bal := s.accountBalances(t, b.owner)
	if bal["cash"] != "500.00" || bal["stripe_clearing"] != "1000.00" || bal["receivable"] != "0.00" {
		t.Errorf("ledger: cash %s stripe %s receivable %s", bal["cash"], bal["stripe_clearing"], bal["receivable"])
	}
	if p, _ := testkit.ListOf[payment](t, s.API, b.owner, invoicePath(inv.ID)+"payments/", ""); p.Count != 2 {
		t.Errorf("the invoice lists %d payments, want 2", p.Count)
	}
	if p, _ := testkit.ListOf[payment](t, s.API, b.owner, paymentsPath, "invoice="+inv.ID+"&method=stripe"); p.Count != 1 {
		t.Errorf("filtered payments: %d, want 1", p.Count)
	}
	// A partial refund makes it partial again; the client owes the refund again.
	s.paid(t, acc.Token, inv.ID, map[string]any{"amount": "200.00", "kind": "refund", "method": "bank_transfer"})
	got = s.getInvoice(t, b.owner, inv.ID)
	if got.Status != "partial" || got.AmountPaid != "1300.00" || got.BalanceDue != "200.00" || got.PaidDate != nil {
		t.Errorf("after a 200.00 refund: %s paid %s balance %s paid_date %s", got.Status, got.AmountPaid, got.BalanceDue, deref(got.PaidDate))
	}
	if bal := s.accountBalances(t, b.owner); bal["cash"] != "300.00" || bal["receivable"] != "200.00" {
		t.Errorf("ledger after the refund: cash %s receivable %s", bal["cash"], bal["receivable"])
	}
}

// Payments only on owed invoices, within the balance; refunds within what was paid. A refused
// payment records nothing.
func TestPaymentRefusals(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, numberingNow)
	b := s.newBooks(t)
	ids := s.invoiceStates(t, b)

	for _, tc := range []struct {
		name, state string
		body        map[string]any
		want        map[string][]string
	}{
		{"payment of a draft", "draft", map[string]any{"amount": "1.00"}, map[string][]string{nonField: {fmt.Sprintf(msgNoPaymentOn, "draft")}}},
		{"payment of a cancelled invoice", "cancelled", map[string]any{"amount": "1.00"}, map[string][]string{nonField: {fmt.Sprintf(msgNoPaymentOn, "cancelled")}}},
		{"refund of a draft", "draft", map[string]any{"amount": "1.00", "kind": "refund"}, map[string][]string{nonField: {fmt.Sprintf(msgNoRefundOn, "draft")}}},
		{"refund of a cancelled invoice", "cancelled", map[string]any{"amount": "1.00", "kind": "refund"}, map[string][]string{nonField: {fmt.Sprintf(msgNoRefundOn, "cancelled")}}},
		{"payment over the balance", "partial", map[string]any{"amount": "1000.01"}, map[string][]string{"amount": {msgPaymentExceeds}}},
		{"payment of a paid invoice", "paid", map[string]any{"amount": "0.01"}, map[string][]string{"amount": {msgPaymentExceeds}}},
		{"payment of a refunded invoice", "refunded", map[string]any{"amount": "0.01"}, map[string][]string{"amount": {msgPaymentExceeds}}},
		{"refund over what was paid", "partial", map[string]any{"amount": "500.01", "kind": "refund"}, map[string][]string{"amount": {msgRefundExceeds}}},
		{"refund when nothing was paid", "sent", map[string]any{"amount": "0.01", "kind": "refund"}, map[string][]string{"amount": {msgRefundExceeds}}},
		{"zero", "sent", map[string]any{"amount": "0"}, map[string][]string{"amount": {msgAmountPositive}}},
		{"negative", "sent", map[string]any{"amount": "-10.00"}, map[string][]string{"amount": {msgAmountPositive}}},
		{"a third decimal", "sent", map[string]any{"amount": "10.001"}, map[string][]string{"amount": {"Ensure that there are no more than 2 decimal places."}}},
		{"no amount", "sent", map[string]any{"method": "cash"}, map[string][]string{"amount": {"This field is required."}}},
		{"unknown method", "sent", map[string]any{"amount": "1.00", "method": "barter"}, map[string][]string{"method": {`"barter" is not a valid choice.`}}},
		{"unknown field", "sent", map[string]any{"amount": "1.00", "invoice": ids["paid"]}, map[string][]string{"invoice": {"Unknown field."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.getInvoice(t, b.owner, ids[tc.state])
			testkit.WantOnly(t, s.pay(t, b.owner, ids[tc.state], tc.body), tc.want)
			after := s.getInvoice(t, b.owner, ids[tc.state])
			if after.Status != before.Status || after.AmountPaid != before.AmountPaid || after.BalanceDue != before.BalanceDue {
				t.Errorf("refused payment changed the invoice: %s paid %s balance %s, was %s paid %s balance %s",
					after.Status, after.AmountPaid, after.BalanceDue, before.Status, before.AmountPaid, before.BalanceDue)
			}
		})
	}
	if p, _ := testkit.ListOf[payment](t, s.API, b.owner, paymentsPath, ""); p.Count != 4 {
		t.Errorf("%d payments recorded, want the 4 of the setup", p.Count)
	}
}

// payConcurrently sends one payment of each amount to the invoice at once and checks SPEC §6's
// invariants: the accepted payments add up to amount_paid, never more than the total; every
// refusal is "Payment exceeds balance due" for more than what was left; the ledger agrees.
func payConcurrently(t *testing.T, s *apiServer, b *books, inv invoice, amounts []string) (accepted int, sum money.Amount) {
	t.Helper()
	s.warmWriters(t, b, len(amounts))
	responses := concurrently(t, len(amounts), func(i int) (*response, error) {
		return s.try(http.MethodPost, invoicePath(inv.ID)+"payments/", b.owner, map[string]any{"amount": amounts[i], "method": "cash"})
	})
	var refused []money.Amount
	for i, r := range responses {
		switch r.Status {
		case http.StatusCreated:
			var p payment
			testkit.Decode(t, r, &p)
			if p.Amount != amounts[i] || deref(p.Invoice) != inv.ID {
				t.Errorf("payment %d answered %+v", i, p)
			}
			accepted++
			sum += usd(t, amounts[i])
		default:
			testkit.WantOnly(t, r, map[string][]string{"amount": {msgPaymentExceeds}})
			refused = append(refused, usd(t, amounts[i]))
		}
	}
	total := usd(t, inv.TotalAmount)
	got := s.getInvoice(t, b.owner, inv.ID)
	if sum > total || fmtUSD(sum) != got.AmountPaid || fmtUSD(total-sum) != got.BalanceDue {
		t.Errorf("accepted %d payments for %s; invoice shows paid %s balance %s of %s", accepted, fmtUSD(sum), got.AmountPaid, got.BalanceDue, inv.TotalAmount)
	}
	for _, a := range refused {
		if a <= total-sum {
			t.Errorf("a payment of %s was refused though %s was still owed", fmtUSD(a), fmtUSD(total-sum))
		}
	}
	if p, _ := testkit.ListOf[payment](t, s.API, b.owner, invoicePath(inv.ID)+"payments/", ""); p.Count != int64(accepted) {
		t.Errorf("the invoice lists %d payments, %d were accepted", p.Count, accepted)
	}
	return accepted, sum
}

func TestConcurrentPaymentsNeverOverpay(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	t.Run("equal payments reach the total", func(t *testing.T) {
		t.Parallel()
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, nil) // 1500.00
		amounts := make([]string, 20)
		for i := range amounts {
			amounts[i] = "100.00"
		}
		accepted, sum := payConcurrently(t, s, b, inv, amounts)
		if accepted != 15 || sum != 150000 {
			t.Errorf("accepted %d payments for %s, want 15 for 1500.00", accepted, fmtUSD(sum))
		}
		got := s.getInvoice(t, b.owner, inv.ID)
		if got.Status != "paid" || got.PaidDate == nil {
			t.Errorf("fully paid invoice: %s paid_date %s", got.Status, deref(got.PaidDate))
		}
		if bal := s.accountBalances(t, b.owner); bal["cash"] != "1500.00" || bal["receivable"] != "0.00" {
			t.Errorf("ledger: cash %s receivable %s", bal["cash"], bal["receivable"])
		}
	})
	t.Run("uneven payments", func(t *testing.T) {
		t.Parallel()
		b := s.newBooks(t)
		inv := s.sentInvoice(t, b, map[string]any{"line_items": []map[string]any{
			{"description": "Retainer", "quantity": "1", "rate": "1234.56"}}})
		amounts := make([]string, 20)
		for i := range amounts {
			amounts[i] = fmt.Sprintf("%d.%02d", 40+i*7, (i*37)%100) // 40.00 … 173.03: Σ 2139.70 > 1234.56
		}
		_, sum := payConcurrently(t, s, b, inv, amounts)
		if bal := s.accountBalances(t, b.owner); bal["cash"] != fmtUSD(sum) || bal["receivable"] != fmtUSD(usd(t, inv.TotalAmount)-sum) {
			t.Errorf("ledger: cash %s receivable %s; accepted %s of %s", bal["cash"], bal["receivable"], fmtUSD(sum), inv.TotalAmount)
		}
	})
}

// SPEC §10: recording a payment is under the payment limit (10/min by default; 3/min here),
// per user, with the scope's headers, across invoice and bill payments.
func TestPaymentRateLimit(t *testing.T) {
	t.Parallel()
	s := startServerWith(t, func(c *config.Config) { c.RatePayment = "3/min" })
	b := s.newBooks(t)
	inv := s.sentInvoice(t, b, nil)
	bl := s.approvedBill(t, b.owner, nil)

	for i := 1; i <= 3; i++ {
		r := s.pay(t, b.owner, inv.ID, map[string]any{"amount": "10.00"})
		testkit.WantStatus(t, r, http.StatusCreated)
		if r.Header.Get("X-RateLimit-Limit") != "3" || r.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(3-i) {
			t.Errorf("payment %d: X-RateLimit-Limit %q Remaining %q; want 3, %d", i,
				r.Header.Get("X-RateLimit-Limit"), r.Header.Get("X-RateLimit-Remaining"), 3-i)
		}
		reset, err := strconv.ParseInt(r.Header.Get("X-RateLimit-Reset"), 10, 64)
		if err != nil || reset < time.Now().Unix() {
			t.Errorf("payment %d: X-RateLimit-Reset %q", i, r.Header.Get("X-RateLimit-Reset"))
		}
	}
	for _, r := range []*response{
		s.pay(t, b.owner, inv.ID, map[string]any{"amount": "10.00"}),
		s.payBill(t, b.owner, bl.ID, map[string]any{"amount": "10.00"}),
	} {
		env := testkit.WantError(t, r, http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS")
		secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 60 {
			t.Errorf("%s: Retry-After %q", r.Path, r.Header.Get("Retry-After"))
		}
		if env.Error.Message != fmt.Sprintf(msgThrottledPattern, secs) {
			t.Errorf("%s: message %q", r.Path, env.Error.Message)
		}
	}
	if got := s.getInvoice(t, b.owner, inv.ID); got.AmountPaid != "30.00" {
		t.Errorf("throttled payment was recorded: paid %s, want 30.00", got.AmountPaid)
	}
	if got := s.getBill(t, b.owner, bl.ID); got.AmountPaid != "0.00" {
		t.Errorf("throttled bill payment was recorded: paid %s", got.AmountPaid)
	}
	// Other operations are not under the payment limit, and another user has their own budget.
	r := s.Do(t, http.MethodGet, invoicePath(inv.ID), b.owner, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if r.Header.Get("X-RateLimit-Limit") == "3" {
		t.Errorf("a read is limited by the payment scope")
	}
	r = s.pay(t, b.users[roleAccountant].Token, inv.ID, map[string]any{"amount": "10.00"})
	testkit.WantStatus(t, r, http.StatusCreated)
	if r.Header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("another user's first payment: X-RateLimit-Remaining %q, want 2", r.Header.Get("X-RateLimit-Remaining"))
	}
}
