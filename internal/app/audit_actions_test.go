package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// objectActions lists the actions of one object's audit rows, newest first.
func objectActions(t *testing.T, s *testkit.API, f *testkit.Firm, typ, id string) []string {
	t.Helper()
	var actions []string
	for _, row := range auditOf(t, s, f, "resource_type="+typ+"&resource_id="+id) {
		actions = append(actions, row.Action)
	}
	return actions
}

// wantActionRow finds the one audit row the request r left on the object and checks it: the
// action's name, the acting user, the object, the request's id and IP, and each expected
// change as old → new (nil: null; numbers are minor units, compared as printed).
func wantActionRow(t *testing.T, s *testkit.API, f *testkit.Firm, r *testkit.Response, by testkit.User,
	action, typ, id string, changes map[string][2]any) {
	t.Helper()
	request := r.Header.Get("X-Request-ID")
	if request == "" {
		t.Fatalf("%s %s: no X-Request-ID", r.Method, r.Path)
	}
	var mine []auditRow
	for _, row := range auditOf(t, s, f, "resource_type="+typ+"&resource_id="+id) {
		if row.RequestID == request {
			mine = append(mine, row)
		}
	}
	if len(mine) != 1 {
		t.Errorf("%s %s: %d audit rows on %s %s, want one: %+v", r.Method, r.Path, len(mine), typ, id, mine)
		return
	}
	row := mine[0]
	if row.Action != action {
		t.Errorf("%s %s: action %q, want %q", r.Method, r.Path, row.Action, action)
	}
	if row.ActorType != "user" || row.Actor != by.ID || row.ActorName != by.Name {
		t.Errorf("%s %s: actor %s %s %q, want user %s %q", r.Method, r.Path, row.ActorType, row.Actor, row.ActorName, by.ID, by.Name)
	}
	if row.ResourceType != typ || row.ResourceID != id {
		t.Errorf("%s %s: resource %s %s, want %s %s", r.Method, r.Path, row.ResourceType, row.ResourceID, typ, id)
	}
	if row.IP != "127.0.0.1" {
		t.Errorf("%s %s: ip %q, want 127.0.0.1", r.Method, r.Path, row.IP)
	}
	for field, want := range changes {
		got, ok := row.Changes[field]
		if !ok {
			t.Errorf("%s %s (%s): no change of %s in %v", r.Method, r.Path, action, field, row.Changes)
			continue
		}
		for i, side := range []string{"old", "new"} {
			if (got[side] == nil) != (want[i] == nil) || fmt.Sprint(got[side]) != fmt.Sprint(want[i]) {
				t.Errorf("%s %s (%s): %s %s = %v, want %v", r.Method, r.Path, action, field, side, got[side], want[i])
			}
		}
	}
}

// posted sends a request with a JSON body, expects the status and returns the response.
func posted(t *testing.T, s *testkit.API, path, token string, body any, status int) *testkit.Response {
	t.Helper()
	r := s.Do(t, http.MethodPost, path, token, body)
	testkit.WantStatus(t, r, status)
	return r
}

// Named actions are recorded as what they are, by whoever did them: one row per action on its
// object, with the action's name (never "update"), the acting user, the request's id and IP and
// the changed fields; the objects an action creates get their own create rows from the same
// request. Proposals have no send action (SPEC §4 sends one with a PATCH of its status), so
// their sending is an update and their accepting the named accept.
func TestAuditNamedActions(t *testing.T) {
	t.Parallel()
	const now = "2026-03-10T12:00:00Z"
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)})
	f := s.RegisterFirm(t)
	manager := f.AddUser(t, "manager")
	admin := f.AddUser(t, "admin")
	accountant := f.AddUser(t, "accountant")
	owner := f.Owner
	client := auditedClient(t, s, owner.Token)

	// CRM: a proposal sent (an update) and accepted with its contract.
	proposal := created(t, s, owner.Token, "/api/crm/proposals/", map[string]any{"client": client, "title": "Operating model review",
		"description": "Scope and fees", "total_value": "1600.00", "valid_until": "2026-12-31"})
	proposalPath := "/api/crm/proposals/" + proposal + "/"
	sent := s.Do(t, http.MethodPatch, proposalPath, manager.Token, map[string]any{"status": "sent"})
	testkit.WantStatus(t, sent, http.StatusOK)
	wantActionRow(t, s, f, sent, manager, "update", "proposal", proposal,
		map[string][2]any{"status": {"draft", "sent"}, "sent_at": {nil, now}})
	accept := posted(t, s, proposalPath+"accept/", manager.Token, map[string]any{"create_contract": true}, http.StatusOK)
	wantActionRow(t, s, f, accept, manager, "accept", "proposal", proposal,
		map[string][2]any{"status": {"sent", "accepted"}, "accepted_at": {nil, now}})
	var accepted struct {
		Contract struct {
			ID string `json:"id"`
		} `json:"contract"`
	}
	testkit.Decode(t, accept, &accepted)
	wantActionRow(t, s, f, accept, manager, "create", "contract", accepted.Contract.ID,
		map[string][2]any{"proposal_id": {nil, proposal}, "status": {nil, "draft"}, "contract_number": {nil, "CTR-2026-001"}})
	if got := objectActions(t, s, f, "proposal", proposal); fmt.Sprint(got) != "[accept update create]" {
		t.Errorf("proposal actions = %v, want [accept update create]", got)
	}

	// Finance: an invoice sent and paid in part by the accountant; another sent and cancelled
	// by an admin. Sending queues its email as a job; nothing needs SMTP here.
	invoiceBody := map[string]any{"client": client,
		"line_items": []map[string]any{{"description": "Strategy workshop", "quantity": "10", "rate": "150.00"}}}
	paidInvoice := created(t, s, owner.Token, "/api/finance/invoices/", invoiceBody)
	path := "/api/finance/invoices/" + paidInvoice + "/"
	r := posted(t, s, path+"send/", accountant.Token, nil, http.StatusOK)
	wantActionRow(t, s, f, r, accountant, "send", "invoice", paidInvoice,
		map[string][2]any{"status": {"draft", "sent"}, "invoice_number": {nil, "INV-2026-001"}, "sent_at": {nil, now}})
	r = posted(t, s, path+"payments/", accountant.Token, map[string]any{"amount": "500.00"}, http.StatusCreated)
	wantActionRow(t, s, f, r, accountant, "payment", "invoice", paidInvoice,
		map[string][2]any{"status": {"sent", "partial"}, "amount_paid": {0, 50000}})
	payment := testkit.Object(t, r)["id"].(string)
	wantActionRow(t, s, f, r, accountant, "create", "payment", payment,
		map[string][2]any{"invoice_id": {nil, paidInvoice}, "amount": {nil, 50000}, "kind": {nil, "payment"}})
	r = posted(t, s, path+"payments/", accountant.Token, map[string]any{"amount": "100.00", "kind": "refund"}, http.StatusCreated)
	wantActionRow(t, s, f, r, accountant, "refund", "invoice", paidInvoice, map[string][2]any{"amount_paid": {50000, 40000}})
	if got := objectActions(t, s, f, "invoice", paidInvoice); fmt.Sprint(got) != "[refund payment send create]" {
		t.Errorf("paid invoice actions = %v, want [refund payment send create]", got)
	}

	cancelled := created(t, s, owner.Token, "/api/finance/invoices/", invoiceBody)
	path = "/api/finance/invoices/" + cancelled + "/"
	r = posted(t, s, path+"send/", admin.Token, nil, http.StatusOK)
	wantActionRow(t, s, f, r, admin, "send", "invoice", cancelled,
		map[string][2]any{"status": {"draft", "sent"}, "invoice_number": {nil, "INV-2026-002"}})
	r = posted(t, s, path+"cancel/", admin.Token, nil, http.StatusOK)
	wantActionRow(t, s, f, r, admin, "cancel", "invoice", cancelled, map[string][2]any{"status": {"sent", "cancelled"}})
	if got := objectActions(t, s, f, "invoice", cancelled); fmt.Sprint(got) != "[cancel send create]" {
		t.Errorf("cancelled invoice actions = %v, want [cancel send create]", got)
	}

	// A bill approved by an admin and paid in part by the accountant.
	bill := created(t, s, owner.Token, "/api/finance/bills/", map[string]any{"vendor_name": "Office Co",
		"expense_category": "software", "subtotal": "80.00"})
	path = "/api/finance/bills/" + bill + "/"
	r = posted(t, s, path+"approve/", admin.Token, nil, http.StatusOK)
	wantActionRow(t, s, f, r, admin, "approve", "bill", bill,
		map[string][2]any{"status": {"received", "approved"}, "approved_by": {nil, admin.ID}, "approved_at": {nil, now}})
	r = posted(t, s, path+"payments/", accountant.Token, map[string]any{"amount": "30.00"}, http.StatusCreated)
	wantActionRow(t, s, f, r, accountant, "payment", "bill", bill,
		map[string][2]any{"status": {"approved", "partial"}, "amount_paid": {0, 3000}})
	if got := objectActions(t, s, f, "bill", bill); fmt.Sprint(got) != "[payment approve create]" {
		t.Errorf("bill actions = %v, want [payment approve create]", got)
	}

	// A manual journal entry reversed by the owner.
	accounts := map[string]string{}
	_, rows := testkit.ListOf[struct {
		ID   string `json:"id"`
		Code string `json:"code"`
	}](t, s, owner.Token, "/api/finance/ledger/accounts/", "page_size=200")
	for _, a := range rows {
		accounts[a.Code] = a.ID
	}
	entry := created(t, s, accountant.Token, "/api/finance/ledger/journal-entries/", map[string]any{"memo": "Owner's capital",
		"lines": []map[string]any{{"account": accounts["1000"], "debit": "250.00"}, {"account": accounts["3000"], "credit": "250.00"}}})
	r = posted(t, s, "/api/finance/ledger/journal-entries/"+entry+"/reverse/", owner.Token, nil, http.StatusCreated)
	// Entries are immutable: the reversed entry's row names the action, and the reversal's own
	// create row, from the same request, links the two.
	wantActionRow(t, s, f, r, owner, "reverse", "journal_entry", entry, nil)
	wantActionRow(t, s, f, r, owner, "create", "journal_entry", testkit.Object(t, r)["id"].(string),
		map[string][2]any{"reverses_id": {nil, entry}, "source": {nil, "reversal"}})
	if got := objectActions(t, s, f, "journal_entry", entry); fmt.Sprint(got) != "[reverse create]" {
		t.Errorf("journal entry actions = %v, want [reverse create]", got)
	}

	// Documents: a new version uploaded by a manager.
	folder := created(t, s, owner.Token, "/api/documents/folders/", map[string]any{"name": "Engagement"})
	up := uploadTo(t, s, owner.Token, "/api/documents/documents/upload/", map[string]string{"folder": folder}, "notes.txt",
		[]byte("Interview notes, week one.\n"))
	testkit.WantStatus(t, up, http.StatusCreated)
	document := testkit.Object(t, up)["id"].(string)
	up = uploadTo(t, s, manager.Token, "/api/documents/documents/"+document+"/versions/", nil, "notes.txt",
		[]byte("Interview notes, week two.\n"))
	testkit.WantStatus(t, up, http.StatusCreated)
	wantActionRow(t, s, f, up, manager, "upload", "document", document, map[string][2]any{"version_count": {1, 2}})
	if got := objectActions(t, s, f, "document", document); fmt.Sprint(got) != "[upload create]" {
		t.Errorf("document actions = %v, want [upload create]", got)
	}
}

// Invoicing from time changes each billed entry in one statement; every entry still gets its
// row under the invoice's action, with its billing fields, and a cancel that releases the
// entries records their release.
func TestAuditBillingOfTimeEntries(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := auditedClient(t, s, tok)
	project := created(t, s, tok, "/api/projects/projects/", map[string]any{"client": client,
		"name": fmt.Sprintf("Project %d", testkit.Seq()), "start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"})
	var entries []string
	for _, day := range []string{"2026-02-02", "2026-02-03", "2026-02-04"} {
		entries = append(entries, created(t, s, tok, "/api/projects/time-entries/", map[string]any{"project": project,
			"date": day, "hours": "2.00", "description": "Interviews"}))
	}
	r := posted(t, s, "/api/finance/invoices/generate/", tok, map[string]any{"client": client, "project": project,
		"date_after": "2026-02-01", "date_before": "2026-02-28", "group_by": "entry"}, http.StatusCreated)
	invoice := testkit.Object(t, r)["id"].(string)
	for _, entry := range entries {
		wantActionRow(t, s, f, r, f.Owner, "generate", "time_entry", entry,
			map[string][2]any{"invoiced": {false, true}, "invoice_id": {nil, invoice}})
	}
	path := "/api/finance/invoices/" + invoice + "/"
	posted(t, s, path+"send/", tok, nil, http.StatusOK)
	r = posted(t, s, path+"cancel/", tok, nil, http.StatusOK)
	for _, entry := range entries {
		wantActionRow(t, s, f, r, f.Owner, "cancel", "time_entry", entry,
			map[string][2]any{"invoiced": {true, false}, "invoice_id": {invoice, nil}})
		if got := objectActions(t, s, f, "time_entry", entry); fmt.Sprint(got) != "[cancel generate create]" {
			t.Errorf("entry actions = %v, want [cancel generate create]", got)
		}
	}
}
