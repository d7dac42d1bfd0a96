package notify_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestAbandonedClaimIsSent: a claim left "sending" before the job's attempt started belongs to
// an attempt that is over (a killed process): the email is sent, not lost. A claim made after
// the attempt started is another attempt's, still under way: it is left alone.
func TestAbandonedClaimIsSent(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	claim := func(id string, at time.Time) {
		t.Helper()
		_, err := s.DB().W.NewRaw("INSERT INTO email_deliveries (event_key, firm_id, kind, recipient, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			notify.InvoiceSentKey(id), f.ID, "email.invoice_sent", "x@client.example", "sending", at.UTC()).Exec(t.Context())
		if err != nil {
			t.Fatal(err)
		}
	}
	abandoned, email := draftInvoice(t, s, f.Owner.Token)
	claim(abandoned, time.Now().Add(-time.Hour))
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+abandoned+"/send/", f.Owner.Token, nil), http.StatusOK)
	mp.WaitTo(t, email, 1)
	waitJob(t, s, "email.invoice_sent", abandoned, "completed")
	if st, _ := s.Srv.App.Notify.DeliveryStatus(t.Context(), notify.InvoiceSentKey(abandoned)); st != "sent" {
		t.Errorf("status %q after the takeover, want sent", st)
	}

	f = s.RegisterFirm(t) // draftInvoice's client name is taken in the first firm
	live, liveEmail := draftInvoice(t, s, f.Owner.Token)
	claim(live, time.Now().Add(time.Hour))
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/finance/invoices/"+live+"/send/", f.Owner.Token, nil), http.StatusOK)
	waitJob(t, s, "email.invoice_sent", live, "completed")
	if n := len(mp.To(t, liveEmail)); n != 0 {
		t.Errorf("%d emails while another attempt holds the claim, want 0", n)
	}
}
