package finance_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §1's finance row: owners, admins and accountants do everything; managers read, and
// create, generate and send invoices of the projects they manage; payment operations are
// IsPaymentAuthorized; consultants have no access at all. Another firm's objects are 404.

// fixtures are the objects one role's subtest acts on, made by the owner.
type fixtures struct {
	managed, unmanaged            string // projects of the books' client: managed by the manager, by nobody
	managedEntry, unmanagedEntry  string // an unbilled entry on each
	draft, draftToDelete          string // drafts of the managed project
	draftToSend, draftUnmanaged   string // drafts to send: of the managed project, of the other
	sentToCancel                  string // sent, of the managed project
	sentManaged, sentUnmanaged    string // sent, to take payments
	bill, billToDelete, billToPay string // received, received, approved
	manual                        string // a manual journal entry
	payment                       string // a payment of another sent invoice
}

func (s *apiServer) financeFixtures(t *testing.T, b *books, day string) fixtures {
	t.Helper()
	var fx fixtures
	fx.managed = s.createProject(t, b.owner, b.client, map[string]any{"project_manager": b.users[roleManager].ID})
	fx.unmanaged = s.createProject(t, b.owner, b.client, nil)
	fx.managedEntry = s.logTime(t, b.owner, fx.managed, day, "2.00", nil)
	fx.unmanagedEntry = s.logTime(t, b.owner, fx.unmanaged, day, "3.00", nil)
	draft := func(project string) string {
		return s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{"project": project})).ID
	}
	fx.draft, fx.draftToDelete, fx.draftToSend, fx.draftUnmanaged = draft(fx.managed), draft(fx.managed), draft(fx.managed), draft(fx.unmanaged)
	fx.sentToCancel = s.sendInvoice(t, b.owner, draft(fx.managed)).ID
	fx.sentManaged = s.sendInvoice(t, b.owner, draft(fx.managed)).ID
	fx.sentUnmanaged = s.sendInvoice(t, b.owner, draft(fx.unmanaged)).ID
	fx.payment = s.paid(t, b.owner, s.sendInvoice(t, b.owner, draft(fx.managed)).ID, map[string]any{"amount": "1.00"}).ID
	fx.bill = s.createBill(t, b.owner, billBody(nil)).ID
	fx.billToDelete = s.createBill(t, b.owner, billBody(nil)).ID
	fx.billToPay = s.approvedBill(t, b.owner, nil).ID
	ids := s.accountIDs(t, b.owner)
	fx.manual = s.postEntry(t, b.owner, manualEntry("Opening cash", debit(ids["cash"], "10.00"), credit(ids["equity"], "10.00"))).ID
	return fx
}

func TestFinanceRoleMatrix(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	ids := s.accountIDs(t, b.owner)

	for i, role := range allRoles {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			u := b.users[role]
			fx := s.financeFixtures(t, b, fmt.Sprintf("2026-11-%02d", i+2))
			// want picks the expected status: for owners, admins and accountants, for managers;
			// consultants are always refused.
			want := func(full, manager int) int {
				switch role {
				case roleConsultant:
					return http.StatusForbidden
				case roleManager:
					return manager
				}
				return full
			}
			const ok, created, gone, no = http.StatusOK, http.StatusCreated, http.StatusNoContent, http.StatusForbidden
			check := func(what string, r *response, status int) {
				t.Helper()
				if status == http.StatusForbidden {
					testkit.WantForbidden(t, r)
					return
				}
				if r.Status != status {
					t.Errorf("%s: %s", what, r)
				}
			}
			do := func(method, path string, body any) *response { return s.Do(t, method, path, u.Token, body) }
			generateBody := func(project string) map[string]any {
				return map[string]any{"client": b.client, "project": project, "date_after": "2026-11-01",
					"date_before": "2026-11-30", "group_by": "entry"}
			}
			pay := map[string]any{"amount": "100.00", "method": "bank_transfer"}

			// Reads.
			check("list invoices", do(http.MethodGet, invoicesPath, nil), want(ok, ok))
			check("get invoice", do(http.MethodGet, invoicePath(fx.draft), nil), want(ok, ok))
			check("list invoice payments", do(http.MethodGet, invoicePath(fx.sentManaged)+"payments/", nil), want(ok, ok))
			check("list payments", do(http.MethodGet, paymentsPath, nil), want(ok, ok))
			check("get payment", do(http.MethodGet, paymentPath(fx.payment), nil), want(ok, ok))
			check("list bills", do(http.MethodGet, billsPath, nil), want(ok, ok))
			check("get bill", do(http.MethodGet, billPath(fx.bill), nil), want(ok, ok))
			check("list bill payments", do(http.MethodGet, billPath(fx.billToPay)+"payments/", nil), want(ok, ok))
			check("list accounts", do(http.MethodGet, accountsPath, nil), want(ok, ok))
			check("list ledger entries", do(http.MethodGet, entriesPath, nil), want(ok, ok))
			check("get ledger entry", do(http.MethodGet, entriesPath+fx.manual+"/", nil), want(ok, ok))
			check("list journal entries", do(http.MethodGet, journalPath, nil), want(ok, ok))
			check("get journal entry", do(http.MethodGet, journalEntryPath(fx.manual), nil), want(ok, ok))

			// Invoices: a manager writes only invoices of the projects they manage.
			check("create invoice of a managed project", do(http.MethodPost, invoicesPath, b.invoiceBody(map[string]any{"project": fx.managed})), want(created, created))
			check("create invoice of another project", do(http.MethodPost, invoicesPath, b.invoiceBody(map[string]any{"project": fx.unmanaged})), want(created, no))
			check("create invoice without project", do(http.MethodPost, invoicesPath, b.invoiceBody(map[string]any{"project": nil})), want(created, no))
			check("generate for a managed project", s.generate(t, u.Token, generateBody(fx.managed)), want(created, created))
			check("generate for another project", s.generate(t, u.Token, generateBody(fx.unmanaged)), want(created, no))
			check("send a managed project's draft", do(http.MethodPost, invoicePath(fx.draftToSend)+"send/", nil), want(ok, ok))
			check("send another project's draft", do(http.MethodPost, invoicePath(fx.draftUnmanaged)+"send/", nil), want(ok, no))
			check("patch a draft", s.patchInvoice(t, u.Token, fx.draft, map[string]any{"notes": "by " + role}), want(ok, no))
			check("put a draft", do(http.MethodPut, invoicePath(fx.draft), b.invoiceBody(map[string]any{"project": fx.managed, "notes": "put"})), want(ok, no))
			check("patch a draft to sent", s.patchInvoice(t, u.Token, fx.draft, map[string]any{"status": "sent"}), want(ok, no))
			check("cancel", do(http.MethodPost, invoicePath(fx.sentToCancel)+"cancel/", nil), want(ok, no))
			check("delete a draft", do(http.MethodDelete, invoicePath(fx.draftToDelete), nil), want(gone, no))

			// Payments: IsPaymentAuthorized.
			check("pay an invoice of a managed project", s.pay(t, u.Token, fx.sentManaged, pay), want(created, created))
			check("refund it", s.pay(t, u.Token, fx.sentManaged, map[string]any{"amount": "40.00", "kind": "refund"}), want(created, created))
			check("pay an invoice of another project", s.pay(t, u.Token, fx.sentUnmanaged, pay), want(created, no))

			// Bills.
			check("create bill", do(http.MethodPost, billsPath, billBody(nil)), want(created, no))
			check("patch bill", do(http.MethodPatch, billPath(fx.bill), map[string]any{"description": role}), want(ok, no))
			check("put bill", do(http.MethodPut, billPath(fx.bill), billBody(map[string]any{"description": "put"})), want(ok, no))
			check("approve bill", do(http.MethodPost, billPath(fx.bill)+"approve/", nil), want(ok, no))
			check("pay bill", s.payBill(t, u.Token, fx.billToPay, pay), want(created, no))
			check("delete bill", do(http.MethodDelete, billPath(fx.billToDelete), nil), want(gone, no))

			// Ledger.
			check("create account", do(http.MethodPost, accountsPath, map[string]any{"code": "61" + role[:2], "name": "Training " + role, "type": "expense"}), want(created, no))
			check("post manual entry", do(http.MethodPost, journalPath, manualEntry("Petty cash", debit(ids["cash"], "5.00"), credit(ids["equity"], "5.00"))), want(created, no))
			check("reverse manual entry", s.reverse(t, u.Token, fx.manual), want(created, no))

			if role != roleManager && role != roleConsultant {
				return
			}
			// Nothing a refusal answered changed anything.
			d := s.getInvoice(t, b.owner, fx.draft)
			if d.Status != "draft" || d.InvoiceNumber != nil || d.Notes != "" || deref(d.Project) != fx.managed {
				t.Errorf("refused writes changed the draft: %+v", d)
			}
			if got := s.getInvoice(t, b.owner, fx.draftToDelete); got.Status != "draft" {
				t.Errorf("refused delete: draft is %s", got.Status)
			}
			if got := s.getInvoice(t, b.owner, fx.sentToCancel); got.Status != "sent" {
				t.Errorf("refused cancel: invoice is %s", got.Status)
			}
			if got := s.getInvoice(t, b.owner, fx.draftUnmanaged); got.Status != "draft" || got.InvoiceNumber != nil {
				t.Errorf("refused send: invoice is %s %v", got.Status, got.InvoiceNumber)
			}
			if got := s.getInvoice(t, b.owner, fx.sentUnmanaged); got.AmountPaid != "0.00" || got.Status != "sent" {
				t.Errorf("refused payment: paid %s, status %s", got.AmountPaid, got.Status)
			}
			s.wantEntries(t, b.owner, "", fx.unmanagedEntry)
			if got := s.getBill(t, b.owner, fx.bill); got.Status != "received" || got.ApprovedBy != nil || got.TotalAmount != "1080.00" {
				t.Errorf("refused bill writes changed it: %+v", got)
			}
			if got := s.getBill(t, b.owner, fx.billToPay); got.AmountPaid != "0.00" {
				t.Errorf("refused bill payment: paid %s", got.AmountPaid)
			}
			s.getBill(t, b.owner, fx.billToDelete)
			if got := s.getJournalEntry(t, b.owner, fx.manual); got.ReversedBy != nil {
				t.Errorf("refused reversal: entry reversed by %s", *got.ReversedBy)
			}
			if role == roleManager {
				// What the manager was allowed did happen.
				if got := s.getInvoice(t, b.owner, fx.draftToSend); got.Status != "sent" || got.InvoiceNumber == nil {
					t.Errorf("manager's send: %s %v", got.Status, got.InvoiceNumber)
				}
				if got := s.getInvoice(t, b.owner, fx.sentManaged); got.AmountPaid != "60.00" || got.Status != "partial" {
					t.Errorf("manager's payment and refund: paid %s, status %s; want 60.00 partial", got.AmountPaid, got.Status)
				}
			}
		})
	}
}

// IsPaymentAuthorized opens payments to a manager who owns the invoice's client (and not the
// project), but nothing else of that invoice; a consultant who manages the project still has
// no finance access.
func TestPaymentAuthorizationByClientOwner(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	mgr, cons := b.users[roleManager], b.users[roleConsultant]
	mine := s.createClient(t, mgr.Token) // the manager owns it
	project := s.createProject(t, b.owner, mine, map[string]any{"project_manager": b.users[roleAdmin].ID})
	body := map[string]any{"client": mine, "project": project,
		"line_items": []map[string]any{{"description": "Audit", "quantity": "4", "rate": "250.00"}}}
	inv := s.sendInvoice(t, b.owner, s.createInvoice(t, b.owner, body).ID)

	p := s.paid(t, mgr.Token, inv.ID, map[string]any{"amount": "400.00", "method": "check"})
	if p.Kind != "payment" || p.Amount != "400.00" || deref(p.CreatedBy) != mgr.ID {
		t.Errorf("client owner's payment: %+v", p)
	}
	testkit.WantStatus(t, s.pay(t, mgr.Token, inv.ID, map[string]any{"amount": "100.00", "kind": "refund"}), http.StatusCreated)
	if got := s.getInvoice(t, b.owner, inv.ID); got.AmountPaid != "300.00" || got.BalanceDue != "700.00" {
		t.Errorf("after the client owner's payment and refund: paid %s balance %s", got.AmountPaid, got.BalanceDue)
	}
	// Owning the client opens payments only.
	testkit.WantForbidden(t, s.invoiceAction(t, mgr.Token, inv.ID, "cancel"))
	draft := s.createInvoice(t, b.owner, body)
	testkit.WantForbidden(t, s.invoiceAction(t, mgr.Token, draft.ID, "send"))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, invoicesPath, mgr.Token, body))

	// A consultant managing the project is still a consultant.
	theirs := s.createProject(t, b.owner, b.client, map[string]any{"project_manager": cons.ID})
	inv2 := s.sentInvoice(t, b, map[string]any{"project": theirs})
	testkit.WantForbidden(t, s.pay(t, cons.Token, inv2.ID, map[string]any{"amount": "1.00"}))
	testkit.WantForbidden(t, s.Do(t, http.MethodGet, invoicePath(inv2.ID), cons.Token, nil))
	if got := s.getInvoice(t, b.owner, inv2.ID); got.AmountPaid != "0.00" {
		t.Errorf("consultant's refused payment was recorded: %s", got.AmountPaid)
	}
}

// A refusing role answers 403 before the body is read: an invalid body does not turn it into 400.
func TestFinanceAuthorizationBeforeValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	mgr, cons := b.users[roleManager], b.users[roleConsultant]
	draft := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	sent := s.sentInvoice(t, b, map[string]any{"project": s.createProject(t, b.owner, b.client, nil)})
	bl := s.createBill(t, b.owner, billBody(nil))
	bad := map[string]any{"line_items": "many", "colour": "red"}

	testkit.WantForbidden(t, s.patchInvoice(t, mgr.Token, draft.ID, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, invoicesPath, cons.Token, bad))
	testkit.WantForbidden(t, s.pay(t, mgr.Token, sent.ID, map[string]any{"amount": "-1", "colour": "red"}))
	testkit.WantForbidden(t, s.generate(t, cons.Token, map[string]any{"group_by": "week"}))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, billsPath, mgr.Token, map[string]any{}))
	testkit.WantForbidden(t, s.Do(t, http.MethodPatch, billPath(bl.ID), mgr.Token, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, journalPath, mgr.Token, map[string]any{"lines": 1}))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, accountsPath, cons.Token, map[string]any{}))

	t.Run("no credentials", func(t *testing.T) {
		for _, r := range []*response{
			s.Do(t, http.MethodGet, invoicesPath, "", nil),
			s.Do(t, http.MethodGet, invoicePath(draft.ID), "", nil),
			s.Do(t, http.MethodPost, invoicePath(sent.ID)+"payments/", "", map[string]any{"amount": "1.00"}),
			s.Do(t, http.MethodPost, generatePath, "", map[string]any{}),
			s.Do(t, http.MethodGet, billsPath, "", nil),
			s.Do(t, http.MethodGet, journalPath, "", nil),
		} {
			testkit.WantError(t, r, http.StatusUnauthorized, "NotAuthenticated", "UNAUTHORIZED")
		}
	})
}

// SPEC §1: another firm's invoices, bills, payments and journal entries are 404 to every role
// that works in finance, on every method and action, never 403.
func TestFinanceTenancy(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := s.newBooks(t)
	draft := s.createInvoice(t, a.owner, a.invoiceBody(nil))
	sent := s.sentInvoice(t, a, nil)
	pmt := s.paid(t, a.owner, sent.ID, map[string]any{"amount": "100.00"})
	bl := s.createBill(t, a.owner, billBody(nil))
	approved := s.approvedBill(t, a.owner, nil)
	ids := s.accountIDs(t, a.owner)
	manual := s.postEntry(t, a.owner, manualEntry("Opening cash", debit(ids["cash"], "10.00"), credit(ids["equity"], "10.00")))
	auto := s.entriesOf(t, a.owner, "source=invoice&invoice="+sent.ID)
	if len(auto) != 1 {
		t.Fatalf("sent invoice has %d invoice postings, want 1", len(auto))
	}

	objs := tenancyObjects{draft: draft.ID, sent: sent.ID, payment: pmt.ID, bill: bl.ID, approved: approved.ID,
		manual: manual.ID, auto: auto[0].ID}
	other := s.newBooks(t)
	t.Run("another firm", func(t *testing.T) {
		for _, role := range []string{roleOwner, roleAdmin, roleAccountant, roleManager} {
			t.Run(role, func(t *testing.T) {
				t.Parallel()
				anotherFirm(t, s, a, other, role, objs)
			})
		}
	})
	t.Run("a consultant is refused by role, whatever the id", func(t *testing.T) {
		cons := other.users[roleConsultant].Token
		for _, id := range []string{draft.ID, unknownID} {
			testkit.WantForbidden(t, s.Do(t, http.MethodGet, invoicePath(id), cons, nil))
			testkit.WantForbidden(t, s.Do(t, http.MethodPost, invoicePath(id)+"send/", cons, nil))
		}
	})
	t.Run("unknown and malformed ids", func(t *testing.T) {
		for _, id := range []string{unknownID, "not-a-uuid"} {
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, invoicePath(id), a.owner, nil))
			testkit.WantNotFound(t, s.Do(t, http.MethodPatch, invoicePath(id), a.owner, map[string]any{"notes": "x"}))
			testkit.WantNotFound(t, s.Do(t, http.MethodDelete, invoicePath(id), a.owner, nil))
			testkit.WantNotFound(t, s.Do(t, http.MethodPost, invoicePath(id)+"send/", a.owner, nil))
			testkit.WantNotFound(t, s.pay(t, a.owner, id, map[string]any{"amount": "1.00"}))
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, billPath(id), a.owner, nil))
			testkit.WantNotFound(t, s.Do(t, http.MethodPost, billPath(id)+"approve/", a.owner, nil))
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, paymentPath(id), a.owner, nil))
			testkit.WantNotFound(t, s.reverse(t, a.owner, id))
		}
	})

	// Firm A's objects are as they were.
	if got := s.getInvoice(t, a.owner, draft.ID); got.Status != "draft" || got.Notes != "" {
		t.Errorf("draft after another firm's attempts: %+v", got)
	}
	if got := s.getInvoice(t, a.owner, sent.ID); got.Status != "partial" || got.AmountPaid != "100.00" {
		t.Errorf("sent invoice after another firm's attempts: %s paid %s", got.Status, got.AmountPaid)
	}
	if got := s.getBill(t, a.owner, bl.ID); got.Status != "received" {
		t.Errorf("bill after another firm's attempts: %s", got.Status)
	}
	if got := s.getBill(t, a.owner, approved.ID); got.Status != "approved" || got.AmountPaid != "0.00" {
		t.Errorf("approved bill after another firm's attempts: %s paid %s", got.Status, got.AmountPaid)
	}
	if got := s.getJournalEntry(t, a.owner, manual.ID); got.ReversedBy != nil {
		t.Errorf("manual entry reversed by another firm")
	}
}

// anotherFirm tries every finance route on firm a's objects as a user of the other firm with
// the role: each answers 404, and their ids are unknown in bodies and lists.
func anotherFirm(t *testing.T, s *apiServer, a, other *books, role string, objs tenancyObjects) {
	u := other.users[role]
	ids := s.accountIDs(t, a.owner)
	notFound := func(method, path string, body any) {
		t.Helper()
		testkit.WantNotFound(t, s.Do(t, method, path, u.Token, body))
	}
	for _, inv := range []string{objs.draft, objs.sent} {
		for _, prefix := range []string{"/api/finance/invoices/", "/api/v1/finance/invoices/"} {
			notFound(http.MethodGet, prefix+inv+"/", nil)
		}
		notFound(http.MethodPatch, invoicePath(inv), map[string]any{"notes": "pwned"})
		notFound(http.MethodPatch, invoicePath(inv), map[string]any{"status": "cancelled"})
		notFound(http.MethodPut, invoicePath(inv), other.invoiceBody(nil))
		notFound(http.MethodDelete, invoicePath(inv), nil)
		notFound(http.MethodPost, invoicePath(inv)+"send/", nil)
		notFound(http.MethodPost, invoicePath(inv)+"cancel/", nil)
		notFound(http.MethodPost, invoicePath(inv)+"payments/", map[string]any{"amount": "1.00"})
		notFound(http.MethodGet, invoicePath(inv)+"payments/", nil)
	}
	notFound(http.MethodGet, paymentPath(objs.payment), nil)
	for _, id := range []string{objs.bill, objs.approved} {
		notFound(http.MethodGet, billPath(id), nil)
		notFound(http.MethodPatch, billPath(id), map[string]any{"status": "disputed"})
		notFound(http.MethodPut, billPath(id), billBody(nil))
		notFound(http.MethodDelete, billPath(id), nil)
		notFound(http.MethodPost, billPath(id)+"approve/", nil)
		notFound(http.MethodPost, billPath(id)+"payments/", map[string]any{"amount": "1.00"})
		notFound(http.MethodGet, billPath(id)+"payments/", nil)
	}
	for _, e := range []string{objs.manual, objs.auto} {
		notFound(http.MethodGet, journalEntryPath(e), nil)
		notFound(http.MethodGet, entriesPath+e+"/", nil)
		notFound(http.MethodPost, journalEntryPath(e)+"reverse/", nil)
	}
	// Their ids are unknown in bodies too.
	testkit.WantValidation(t, s.Do(t, http.MethodPost, invoicesPath, u.Token, other.invoiceBody(map[string]any{"client": a.client, "project": nil})),
		map[string][]string{"client": {msgInvoiceClient}})
	testkit.WantValidation(t, s.generate(t, u.Token, map[string]any{"client": a.client, "date_after": "2026-01-01",
		"date_before": "2026-12-31", "group_by": "entry"}), map[string][]string{"client": {msgInvoiceClient}})
	if role != roleManager {
		testkit.WantValidation(t, s.Do(t, http.MethodPost, journalPath, u.Token, manualEntry("x", debit(ids["cash"], "1.00"), credit(ids["equity"], "1.00"))),
			map[string][]string{"lines": {msgLineAccount}})
	}
	// Nor seen in lists.
	for _, list := range []string{invoicesPath, paymentsPath, billsPath, invoicesPath + "?client=" + a.client} {
		if p, _ := testkit.ListOf[map[string]any](t, s.API, u.Token, list, ""); p.Count != 0 {
			t.Errorf("%s lists %d of another firm's rows", list, p.Count)
		}
	}
	if rows := s.entriesOf(t, u.Token, "invoice="+objs.sent); len(rows) != 0 {
		t.Errorf("the journal lists %d of another firm's entries", len(rows))
	}
}

// tenancyObjects are one firm's finance objects another firm tries to reach.
type tenancyObjects struct {
	draft, sent, payment, bill, approved, manual, auto string
}
