package finance

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/fault"
)

// payableOnline: only owed invoices with a balance due are paid online. Through the API an
// open invoice always owes something, so the zero-balance rule is checked here.
func TestPayableOnline(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		inv    Invoice
		wantOK bool
		msg    string
	}{
		{"sent", Invoice{Status: InvoiceSent, TotalAmount: 100}, true, ""},
		{"partial", Invoice{Status: InvoicePartial, TotalAmount: 100, AmountPaid: 40}, true, ""},
		{"overdue", Invoice{Status: InvoiceOverdue, TotalAmount: 100}, true, ""},
		{"open but nothing due", Invoice{Status: InvoicePartial, TotalAmount: 100, AmountPaid: 100}, false, MsgNothingDue},
		{"draft", Invoice{Status: InvoiceDraft, TotalAmount: 100}, false, "Cannot pay a draft invoice online"},
		{"paid", Invoice{Status: InvoicePaid, TotalAmount: 100, AmountPaid: 100}, false, "Cannot pay a paid invoice online"},
		{"cancelled", Invoice{Status: InvoiceCancelled, TotalAmount: 100}, false, "Cannot pay a cancelled invoice online"},
		{"refunded", Invoice{Status: InvoiceRefunded, TotalAmount: 100, Credited: 100}, false, "Cannot pay a refunded invoice online"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			bad := payableOnline(&c.inv)
			if (bad == nil) != c.wantOK || !c.wantOK && bad[fault.NonField][0] != c.msg {
				t.Fatalf("payableOnline = %v, want ok=%v %q", bad, c.wantOK, c.msg)
			}
		})
	}
}

func TestIntentKeyIsDeterministic(t *testing.T) {
	t.Parallel()
	inv := &Invoice{ID: "0193", Currency: "USD"}
	if a, b := intentKey(inv, 1500, 1), intentKey(inv, 1500, 1); a != b || a != "consultantpro-pi-0193-USD-1500-1" {
		t.Fatalf("keys %q, %q", a, b)
	}
	if intentKey(inv, 1500, 1) == intentKey(inv, 1400, 1) || intentKey(inv, 1500, 1) == intentKey(inv, 1500, 2) {
		t.Fatal("balance and attempt must change the key")
	}
}
