package notify_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestPaymentReceipt: each recorded payment of an invoice sends one receipt; a refund none.
func TestPaymentReceipt(t *testing.T) {
	t.Parallel()
	mp := testkit.NeedMailpit(t)
	s := emailServer(t, mp)
	f := s.RegisterFirm(t)
	id, email := draftInvoice(t, s, f.Owner.Token)
	r := s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/send/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	number := testkit.Object(t, r)["invoice_number"].(string)
	pay := func(kind, amount string) {
		t.Helper()
		r := s.Do(t, http.MethodPost, "/api/finance/invoices/"+id+"/payments/", f.Owner.Token,
			map[string]any{"kind": kind, "amount": amount, "method": "bank_transfer", "received_on": "2026-03-02"})
		testkit.WantStatus(t, r, http.StatusCreated)
	}
	pay("payment", "600.00")
	mp.WaitTo(t, email, 2) // the invoice, then the first receipt
	pay("payment", "1000.00")
	got := mp.WaitTo(t, email, 3)
	pay("refund", "100.00")
	rows, err := s.Srv.App.Jobs.List(context.Background(), nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	jobs := 0
	for _, r := range rows {
		if r.Kind == "email.payment_receipt" && strings.Contains(string(r.EncodedArgs), f.ID) {
			jobs++
		}
	}
	if jobs != 2 {
		t.Errorf("%d receipt jobs, want 2 (none for the refund)", jobs)
	}
	var receipts []testkit.MailMessage
	for _, m := range got {
		if strings.HasPrefix(m.Subject, "Payment received") {
			receipts = append(receipts, m)
		}
	}
	if len(receipts) != 2 {
		t.Fatalf("%d receipts, want 2", len(receipts))
	}
	if want := "Payment received for invoice " + number + " – " + f.Name; receipts[0].Subject != want {
		t.Errorf("Subject = %q, want %q", receipts[0].Subject, want)
	}
	texts := receipts[0].Text + receipts[1].Text
	for _, want := range []string{"payment of 600.00 USD", "Balance still due: 1000.00 USD", "payment of 1000.00 USD",
		"The invoice is paid in full"} {
		if !strings.Contains(texts, want) {
			t.Errorf("receipts lack %q:\n%s", want, texts)
		}
	}
	if receipts[0].From.Name != f.Name || receipts[0].To[0].Address != email {
		t.Errorf("From %+v To %+v", receipts[0].From, receipts[0].To)
	}
}
