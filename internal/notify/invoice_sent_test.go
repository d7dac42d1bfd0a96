package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

var seq atomic.Int64

// fakePDF stands in for the finance module's invoice renderer.
type fakePDF struct{}

func (fakePDF) InvoicePDF(_ context.Context, firmID, invoiceID string) ([]byte, error) {
	return []byte("%PDF-1.7 " + invoiceID), nil
}

// emailServer is a server that sends to mailpit, with Stripe configured (pay links), a fake
// PDF renderer and its jobs running, polled every 10 ms.
func emailServer(t *testing.T, mp *testkit.Mailpit, opts ...app.Option) *testkit.API {
	t.Helper()
	opts = append([]app.Option{app.WithInvoicePDF(fakePDF{}), app.WithJobTimings(10*time.Millisecond, 0, 0)}, opts...)
	s := testkit.StartAPI(t, testkit.APIOptions{Options: opts, Configure: func(c *config.Config) {
		c.SMTPURL, c.MailFrom, c.PublicURL = mp.SMTPURL, "billing@consultantpro.example", "https://app.firm.example"
		c.StripeSecretKey, c.PayURL = "sk_test_123", "https://app.firm.example/pay/invoices/{invoice}/"
	}})
	if err := s.Srv.App.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// draftInvoice creates a client whose primary contact has a fresh address and a draft invoice
// for it; it returns the invoice id and the address.
func draftInvoice(t *testing.T, s *testkit.API, token string) (string, string) {
	t.Helper()
	email := fmt.Sprintf("payables-%d-%d@client.example", time.Now().UnixNano(), seq.Add(1))
	r := s.Do(t, http.MethodPost, "/api/crm/clients/", token, map[string]any{
		"company_name": "Globex <Corp>", "primary_contact_name": "Hank Scorpio", "primary_contact_email": email})
	testkit.WantStatus(t, r, http.StatusCreated)
	client := testkit.Object(t, r)["id"].(string)
	r = s.Do(t, http.MethodPost, "/api/finance/invoices/", token, map[string]any{"client": client, "due_date": "2099-01-31",
		"line_items": []map[string]any{{"description": "Strategy workshop", "quantity": "10", "rate": "160.00"}}})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string), email
}

func TestInvoiceSentEmail(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	id, email := draftInvoice(t, s, f.Owner.Token)
	r := s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/send/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	number := testkit.Object(t, r)["invoice_number"].(string)

	got := mp.WaitTo(t, email, 1)[0]
	if got.From.Name != f.Name || got.From.Address != "billing@consultantpro.example" {
		t.Errorf("From = %+v, want the firm's name and MAIL_FROM", got.From)
	}
	if len(got.To) != 1 || got.To[0].Address != email || got.To[0].Name != "Hank Scorpio" {
		t.Errorf("To = %+v", got.To)
	}
	if want := "Invoice " + number + " from " + f.Name; got.Subject != want {
		t.Errorf("Subject = %q, want %q", got.Subject, want)
	}
	payURL := "https://app.firm.example/pay/invoices/" + id + "/"
	for _, want := range []string{"Dear Hank Scorpio", "Globex <Corp>", "Amount due: 1600.00 USD", "Due date: 2099-01-31", "Pay online: " + payURL} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, got.Text)
		}
	}
	if !strings.Contains(got.HTML, "Globex &lt;Corp&gt;") || !strings.Contains(got.HTML, `href="`+payURL+`"`) {
		t.Errorf("HTML does not escape the client's name or lacks the pay link:\n%s", got.HTML)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].FileName != number+".pdf" {
		t.Fatalf("attachments = %+v", got.Attachments)
	}
	if b := mp.Part(t, got.ID, got.Attachments[0].PartID); string(b) != "%PDF-1.7 "+id {
		t.Errorf("attachment = %q", b)
	}

	// The message reaches mailpit before the job records it as sent: wait for the job to finish.
	ctx := context.Background()
	retried := waitJob(t, s, "email.invoice_sent", id, rivertype.JobStateCompleted)
	st, err := s.Srv.App.Notify.DeliveryStatus(ctx, notify.InvoiceSentKey(id))
	if err != nil || st != "sent" {
		t.Fatalf("delivery status %q, %v; want sent", st, err)
	}
	// The job run again (an operator's retry, a second worker) sends nothing more.
	if _, err := s.Srv.App.Jobs.Retry(ctx, retried); err != nil {
		t.Fatal(err)
	}
	waitJob(t, s, "email.invoice_sent", id, rivertype.JobStateCompleted)
	if n := len(mp.To(t, email)); n != 1 {
		t.Errorf("%d emails after the job ran twice, want 1", n)
	}
}

// waitJob waits until the job of kind whose arguments mention arg is in state, and returns its id.
func waitJob(t *testing.T, s *testkit.API, kind, arg string, state rivertype.JobState) int64 {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		rows, err := s.Srv.App.Jobs.List(context.Background(), nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Kind == kind && strings.Contains(string(r.EncodedArgs), arg) && r.State == state {
				return r.ID
			}
		}
	}
	t.Fatalf("no %s job for %s reached %s", kind, arg, state)
	return 0
}

// failingAfter queues the email, then fails: the send's transaction must roll back both.
type failingAfter struct {
	next finance.Notifier
	fail *atomic.Bool
}

func (f failingAfter) InvoiceSent(ctx context.Context, tx bun.Tx, firmID, invoiceID string) error {
	if err := f.next.InvoiceSent(ctx, tx, firmID, invoiceID); err != nil {
		return err
	}
	if f.fail.Load() {
		return errors.New("injected failure after the email was queued")
	}
	return nil
}

func (f failingAfter) PaymentReceived(ctx context.Context, tx bun.Tx, firmID, paymentID string) error {
	return f.next.PaymentReceived(ctx, tx, firmID, paymentID)
}

// TestInvoiceSendAndEmailCommitTogether: a failure after the email job is queued leaves the
// invoice a draft and no job; the next send queues exactly one.
func TestInvoiceSendAndEmailCommitTogether(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	var fail atomic.Bool
	fail.Store(true)
	s := emailServer(t, mp, app.WithFinanceNotifier(func(n finance.Notifier) finance.Notifier {
		return failingAfter{next: n, fail: &fail}
	}))
	f := s.RegisterFirm(t)
	id, email := draftInvoice(t, s, f.Owner.Token)
	r := s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/send/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusInternalServerError)
	inv := testkit.Object(t, s.Do(t, http.MethodGet, "/api/finance/invoices/"+id+"/", f.Owner.Token, nil))
	if inv["status"] != "draft" || inv["invoice_number"] != nil {
		t.Fatalf("after the failed send: status %v number %v, want a draft without a number", inv["status"], inv["invoice_number"])
	}
	ctx := context.Background()
	rows, err := s.Srv.App.Jobs.List(ctx, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if row.Kind == "email.invoice_sent" {
			t.Fatalf("the rolled-back send left job %d (%s)", row.ID, row.State)
		}
	}
	fail.Store(false)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/send/", f.Owner.Token, nil), http.StatusOK)
	if got := mp.WaitTo(t, email, 1); len(got) != 1 {
		t.Fatalf("%d emails, want 1", len(got))
	}
}

// mailConfig points a test server's email at mailpit, with the links of emailServer.
func mailConfig(mp *testkit.Mailpit) func(*config.Config) {
	return func(c *config.Config) {
		c.SMTPURL, c.MailFrom, c.PublicURL = mp.SMTPURL, "billing@consultantpro.example", "https://app.firm.example"
		c.StripeSecretKey, c.PayURL = "sk_test_123", "https://app.firm.example/pay/invoices/{invoice}/"
	}
}

// startJobs starts a test server's job workers.
func startJobs(t *testing.T, s *testkit.API) {
	t.Helper()
	if err := s.Srv.App.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// clockServer is emailServer on a clock frozen at start.
func clockServer(t *testing.T, mp *testkit.Mailpit, start time.Time) *testkit.API {
	t.Helper()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start, Configure: mailConfig(mp),
		Options: []app.Option{app.WithInvoicePDF(fakePDF{}), app.WithJobTimings(10*time.Millisecond, 0, 0)}})
	startJobs(t, s)
	return s
}
