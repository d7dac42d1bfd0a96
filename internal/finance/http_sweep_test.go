package finance_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The sweep moves sent and partly paid invoices due before the firm's today to overdue, once,
// and leaves drafts, invoices due today and paid ones alone.
func TestSweepOverdue(t *testing.T) {
	t.Parallel()
	// 2026-03-10 23:30 UTC is already 2026-03-11 in Auckland.
	s := startServerAt(t, time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC))
	b := s.newBooks(t)
	b.firm.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
	b.owner = s.Login(t, b.users[roleOwner].Username, testkit.Password)
	mk := func(due string, send bool) string {
		inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"issue_date": "2026-02-01", "due_date": due}))
		if send {
			s.sendInvoice(t, b.owner, inv.ID)
		}
		return inv.ID
	}
	pastDue := mk("2026-03-10", true) // before Auckland's today, not before UTC's
	dueToday := mk("2026-03-11", true)
	draft := mk("2026-02-15", false)
	partial := mk("2026-02-15", true)
	testkit.WantStatus(t, s.pay(t, b.owner, partial, map[string]any{"amount": "100.00"}), http.StatusCreated)
	paid := mk("2026-02-15", true)
	testkit.WantStatus(t, s.pay(t, b.owner, paid, map[string]any{"amount": "1500.00"}), http.StatusCreated)

	bill := func(approve bool) string {
		r := s.Do(t, http.MethodPost, billsPath, b.owner, map[string]any{"vendor_name": "Office Co", "expense_category": "office",
			"subtotal": "80.00", "bill_date": "2026-02-01", "due_date": "2026-02-20"})
		testkit.WantStatus(t, r, http.StatusCreated)
		id := testkit.Object(t, r)["id"].(string)
		if approve {
			testkit.WantStatus(t, s.Do(t, http.MethodPost, billPath(id)+"approve/", b.owner, nil), http.StatusOK)
		}
		return id
	}
	approvedBill, receivedBill := bill(true), bill(false)

	if !s.getInvoice(t, b.owner, pastDue).IsOverdue {
		t.Error("is_overdue is false on a sent invoice due before the firm's today")
	}
	res, err := s.Srv.App.SweepOverdue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Invoices != 2 {
		t.Errorf("sweep moved %d invoices, want 2 (past due and partial)", res.Invoices)
	}
	for id, want := range map[string]string{pastDue: "overdue", partial: "overdue", dueToday: "sent", draft: "draft", paid: "paid"} {
		if got := s.getInvoice(t, b.owner, id).Status; got != want {
			t.Errorf("invoice due %s: status %q after the sweep, want %q", s.getInvoice(t, b.owner, id).DueDate, got, want)
		}
	}
	if res.Bills != 1 {
		t.Errorf("sweep moved %d bills, want 1 (the approved one)", res.Bills)
	}
	for id, want := range map[string]string{approvedBill: "overdue", receivedBill: "received"} {
		if got := testkit.Fetch[map[string]any](t, s.API, b.owner, billPath(id))["status"]; got != want {
			t.Errorf("bill: status %v after the sweep, want %q", got, want)
		}
	}
	// The sweep's changes are the system's, one row per invoice and bill it moved.
	for id, from := range map[string]string{pastDue: "sent", partial: "partial", approvedBill: "approved"} {
		rows := auditRows(t, s.API, b.owner, "actor=system&resource_id="+id)
		if len(rows) != 1 || rows[0]["action"] != "overdue" || rows[0]["actor_type"] != "system" ||
			fmt.Sprint(rows[0]["changes"]) != fmt.Sprintf("map[status:map[new:overdue old:%s]]", from) {
			t.Errorf("sweep's audit rows of %s = %v", id, rows)
		}
	}
	// A payment recorded on an invoice is the payment's create, and the invoice's own row.
	byOwner := map[string]int{}
	for _, row := range auditRows(t, s.API, b.owner, "action=payment&resource_id="+partial) {
		byOwner[fmt.Sprint(row["resource_type"])]++
	}
	if fmt.Sprint(byOwner) != "map[invoice:1]" {
		t.Errorf("payment rows on the invoice's id = %v, want the invoice's only", byOwner)
	}
	again, err := s.Srv.App.SweepOverdue(context.Background())
	if err != nil || again.Invoices != 0 || again.Bills != 0 {
		t.Errorf("second sweep moved %d invoices and %d bills (%v), want none", again.Invoices, again.Bills, err)
	}
	// An overdue invoice still takes payments, and paying it in full makes it paid.
	testkit.WantStatus(t, s.pay(t, b.owner, pastDue, map[string]any{"amount": "1500.00"}), http.StatusCreated)
	if got := s.getInvoice(t, b.owner, pastDue); got.Status != "paid" || got.IsOverdue {
		t.Errorf("overdue invoice paid in full: status %q is_overdue %v", got.Status, got.IsOverdue)
	}
}

// auditRows reads the firm's audit log rows for query (owners and admins may).
func auditRows(t *testing.T, s *testkit.API, token, query string) []map[string]any {
	t.Helper()
	_, rows := testkit.ListOf[map[string]any](t, s, token, "/api/audit-log/", query)
	return rows
}
