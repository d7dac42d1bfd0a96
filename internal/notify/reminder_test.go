package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// sentInvoice creates a client with a fresh address and an invoice of 1600.00 USD due on due,
// sends it, waits for its email, and returns the invoice id and the address.
func sentInvoice(t *testing.T, s *testkit.API, mp *testkit.Mailpit, token, due string) (string, string) {
	t.Helper()
	email := fmt.Sprintf("reminded-%d-%d@client.example", time.Now().UnixNano(), seq.Add(1))
	r := s.Do(t, http.MethodPost, "/api/crm/clients/", token, map[string]any{
		"company_name": fmt.Sprintf("Initech %d", seq.Add(1)), "primary_contact_name": "Bill Lumbergh", "primary_contact_email": email})
	testkit.WantStatus(t, r, http.StatusCreated)
	r = s.Do(t, http.MethodPost, "/api/finance/invoices/", token, map[string]any{"client": testkit.Object(t, r)["id"], "due_date": due,
		"line_items": []map[string]any{{"description": "TPS reports", "quantity": "10", "rate": "160.00"}}})
	testkit.WantStatus(t, r, http.StatusCreated)
	id := testkit.Object(t, r)["id"].(string)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/send/", token, nil), http.StatusOK)
	mp.WaitTo(t, email, 1)
	return id, email
}

func TestReminderSettings(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	got := testkit.Object(t, s.Do(t, http.MethodGet, "/api/firm/", f.Owner.Token, nil))
	if fmt.Sprint(got["reminder_days_before_due"], got["reminder_days_after_due"]) != "[] []" {
		t.Fatalf("defaults %v %v, want [] []", got["reminder_days_before_due"], got["reminder_days_after_due"])
	}
	r := s.Do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, map[string]any{
		"reminder_days_before_due": []int{3}, "reminder_days_after_due": []int{14, 1, 7, 7}})
	testkit.WantStatus(t, r, http.StatusOK)
	got = testkit.Object(t, s.Do(t, http.MethodGet, "/api/firm/", f.Owner.Token, nil))
	if fmt.Sprint(got["reminder_days_before_due"], got["reminder_days_after_due"]) != "[3] [1 7 14]" {
		t.Fatalf("stored %v %v, want [3] [1 7 14]", got["reminder_days_before_due"], got["reminder_days_after_due"])
	}
	for name, days := range map[string][]int{"negative": {-1}, "over a year": {366}, "six": {1, 2, 3, 4, 5, 6}} {
		r := s.Do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, map[string]any{"reminder_days_after_due": days})
		if r.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d", name, r.Status)
			continue
		}
		testkit.WantValidation(t, r, map[string][]string{"reminder_days_after_due": {auth.MsgReminderDays}})
	}
	manager := f.AddUser(t, "manager")
	testkit.WantForbidden(t, s.Do(t, http.MethodPatch, "/api/firm/", manager.Token, map[string]any{"reminder_days_after_due": []int{}}))
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, "/api/firm/", f.Owner.Token, map[string]any{"reminder_days_after_due": []int{}}), http.StatusOK)
	got = testkit.Object(t, s.Do(t, http.MethodGet, "/api/firm/", f.Owner.Token, nil))
	if fmt.Sprint(got["reminder_days_after_due"]) != "[]" {
		t.Fatalf("after clearing: %v", got["reminder_days_after_due"])
	}
}

// TestReminders: a reminder goes on its day in the firm's time zone, once; reminders missed
// while no sweep ran are skipped for the latest one; paid and cancelled invoices get none.
func TestReminders(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	s := clockServer(t, mp, at("2026-03-01T09:00:00Z"))
	f := s.RegisterFirm(t)
	// Auckland is UTC+13 in March: its 7 March starts at 6 March 11:00 UTC.
	f.Settings(t, map[string]any{"timezone": "Pacific/Auckland",
		"reminder_days_before_due": []int{3}, "reminder_days_after_due": []int{1, 7, 14}})
	owed, email := sentInvoice(t, s, mp, f.Owner.Token, "2026-03-10")
	paid, paidEmail := sentInvoice(t, s, mp, f.Owner.Token, "2026-03-10")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+paid+"/payments/", f.Owner.Token,
		map[string]any{"kind": "payment", "amount": "1600.00", "method": "bank_transfer", "received_on": "2026-03-02"}), http.StatusCreated)
	cancelled, cancelledEmail := sentInvoice(t, s, mp, f.Owner.Token, "2026-03-10")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+cancelled+"/cancel/", f.Owner.Token, nil), http.StatusOK)
	ctx := context.Background()
	sweep := func(now string) int {
		t.Helper()
		s.Clock.Set(at(now))
		if _, err := s.Srv.App.SweepOverdue(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := s.Srv.App.Notify.SendReminders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	status := func(side string, days int) string {
		t.Helper()
		st, err := s.Srv.App.Notify.DeliveryStatus(ctx, notify.InvoiceReminderKey(owed, side, days))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	if n := sweep("2026-03-06T10:00:00Z"); n != 0 { // still 6 March in Auckland
		t.Fatalf("%d reminders queued 4 days before the due date", n)
	}
	if n := sweep("2026-03-06T12:00:00Z"); n != 1 { // 7 March in Auckland: 3 days before
		t.Fatalf("%d reminders queued on the day of the first, want 1", n)
	}
	got := mp.WaitTo(t, email, 2)[1]
	if want := "Reminder: invoice "; !strings.HasPrefix(got.Subject, want) || !strings.HasSuffix(got.Subject, "is due on 2026-03-10 – "+f.Name) {
		t.Errorf("Subject %q", got.Subject)
	}
	payURL := "https://app.firm.example/pay/invoices/" + owed + "/"
	for _, want := range []string{"Dear Bill Lumbergh", "Amount due: 1600.00 USD", "Due date: 2026-03-10", "Pay online: " + payURL} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, got.Text)
		}
	}
	if got.From.Name != f.Name || got.To[0].Address != email {
		t.Errorf("From %+v To %+v", got.From, got.To)
	}
	waitJob(t, s, "email.invoice_reminder", owed, "completed")
	if n := sweep("2026-03-07T12:00:00Z"); n != 0 {
		t.Errorf("the same reminder queued again: %d", n)
	}

	// Down from before the 1-day reminder until after the 14-day one: one reminder, the latest.
	if n := sweep("2026-03-25T12:00:00Z"); n != 1 {
		t.Fatalf("%d reminders queued after the downtime, want 1", n)
	}
	got = mp.WaitTo(t, email, 3)[2]
	if !strings.HasPrefix(got.Subject, "Overdue: invoice ") || !strings.Contains(got.Text, "was due on 2026-03-10") {
		t.Errorf("Subject %q\n%s", got.Subject, got.Text)
	}
	// Both reminder jobs: the first completed long ago, and this one marks its delivery sent
	// only after the mail is in the box.
	waitJobs(t, s, "email.invoice_reminder", owed, 2)
	for _, c := range []struct {
		side string
		days int
		want string
	}{{"before", 3, "sent"}, {"after", 1, "skipped"}, {"after", 7, "skipped"}, {"after", 14, "sent"}} {
		if st := status(c.side, c.days); st != c.want {
			t.Errorf("%s %d: %q, want %q", c.side, c.days, st, c.want)
		}
	}
	if n := sweep("2026-04-30T12:00:00Z"); n != 0 {
		t.Errorf("%d reminders queued once every reminder had its day", n)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(mp.To(t, email)); n != 3 {
		t.Errorf("%d emails for the owed invoice, want 3 (invoice, 3 days before, 14 days after)", n)
	}
	if n := len(mp.To(t, paidEmail)); n != 2 { // the invoice and its receipt
		t.Errorf("%d emails for the paid invoice, want 2 and no reminder", n)
	}
	if n := len(mp.To(t, cancelledEmail)); n != 1 {
		t.Errorf("%d emails for the cancelled invoice, want 1 and no reminder", n)
	}
}
