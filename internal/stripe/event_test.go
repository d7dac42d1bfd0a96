package stripe_test

import (
	"errors"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/stripe"
)

func TestParseEvent(t *testing.T) {
	t.Parallel()
	t.Run("payment intent succeeded", func(t *testing.T) {
		t.Parallel()
		ev, err := stripe.ParseEvent([]byte(`{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1773144000,
			"data":{"object":{"id":"pi_1","object":"payment_intent","amount":1099,"amount_received":1099,"currency":"usd",
			"status":"succeeded","latest_charge":"ch_1","last_payment_error":null,"metadata":{"invoice_id":"inv","firm_id":"firm"}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		pi := ev.PaymentIntent
		if ev.ID != "evt_1" || ev.Type != stripe.PaymentIntentSucceeded || !ev.Created.Equal(time.Unix(1773144000, 0)) || pi == nil {
			t.Fatalf("event = %+v", ev)
		}
		if pi.ID != "pi_1" || pi.AmountReceived != 1099 || pi.Currency != "USD" || pi.LatestCharge != "ch_1" ||
			pi.Metadata[stripe.MetaInvoice] != "inv" || pi.Metadata[stripe.MetaFirm] != "firm" || pi.FailureCode != "" {
			t.Fatalf("payment intent = %+v", pi)
		}
	})
	t.Run("payment failed with and without last_payment_error", func(t *testing.T) {
		t.Parallel()
		ev, err := stripe.ParseEvent([]byte(`{"id":"evt_2","type":"payment_intent.payment_failed","created":1,
			"data":{"object":{"id":"pi_2","amount":500,"currency":"jpy","last_payment_error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		if pi := ev.PaymentIntent; pi.FailureCode != "card_declined" || pi.FailureDeclineCode != "insufficient_funds" ||
			pi.FailureMessage != "Your card has insufficient funds." || pi.Currency != "JPY" || pi.Amount != 500 {
			t.Fatalf("payment intent = %+v", pi)
		}
		ev, err = stripe.ParseEvent([]byte(`{"id":"evt_3","type":"payment_intent.payment_failed","created":1,
			"data":{"object":{"id":"pi_3","amount":500,"currency":"usd","last_payment_error":null}}}`))
		if err != nil || ev.PaymentIntent.FailureCode != "" || ev.PaymentIntent.FailureMessage != "" {
			t.Fatalf("null last_payment_error: %+v, %v", ev.PaymentIntent, err)
		}
	})
	t.Run("stripe invoice", func(t *testing.T) {
		t.Parallel()
		ev, err := stripe.ParseEvent([]byte(`{"id":"evt_4","type":"invoice.payment_succeeded","created":1,
			"data":{"object":{"id":"in_1","object":"invoice","amount_paid":1000,"amount_due":1000,"attempt_count":2,"currency":"eur","status":"paid","metadata":{"invoice_id":"x"}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		if in := ev.Invoice; in.ID != "in_1" || in.AmountPaid != 1000 || in.AttemptCount != 2 || in.Currency != "EUR" || in.Metadata["invoice_id"] != "x" {
			t.Fatalf("invoice = %+v", in)
		}
	})
	t.Run("charge refunds oldest first, failed ones do not count", func(t *testing.T) {
		t.Parallel()
		ev, err := stripe.ParseEvent([]byte(`{"id":"evt_5","type":"charge.refunded","created":1,
			"data":{"object":{"id":"ch_1","object":"charge","amount":1000,"amount_refunded":700,"currency":"usd","refunded":false,
			"payment_intent":"pi_1","refunds":{"object":"list","data":[
				{"id":"re_2","amount":400,"status":"succeeded","created":20},
				{"id":"re_1","amount":300,"status":"succeeded","created":10},
				{"id":"re_3","amount":100,"status":"failed","created":30}]}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		ch := ev.Charge
		if ch.ID != "ch_1" || ch.PaymentIntent != "pi_1" || ch.AmountRefunded != 700 || ch.Refunded || len(ch.Refunds) != 3 {
			t.Fatalf("charge = %+v", ch)
		}
		if ch.Refunds[0].ID != "re_1" || ch.Refunds[1].ID != "re_2" || !ch.Refunds[1].Counts() || ch.Refunds[2].Counts() {
			t.Fatalf("refunds = %+v", ch.Refunds)
		}
	})
	t.Run("unknown types keep only the envelope", func(t *testing.T) {
		t.Parallel()
		ev, err := stripe.ParseEvent([]byte(`{"id":"evt_6","type":"customer.created","created":1,"data":{"object":{"id":"cus_1","object":"customer"}}}`))
		if err != nil || ev.Type != "customer.created" || ev.PaymentIntent != nil || ev.Invoice != nil || ev.Charge != nil {
			t.Fatalf("event = %+v, %v", ev, err)
		}
	})
	for name, body := range map[string]string{
		"not JSON":              `{"id":`,
		"no id":                 `{"type":"charge.refunded"}`,
		"no type":               `{"id":"evt_7"}`,
		"known type, no object": `{"id":"evt_8","type":"charge.refunded","data":{}}`,
		"object without id":     `{"id":"evt_9","type":"charge.refunded","data":{"object":{"amount":1}}}`,
		"object of wrong shape": `{"id":"evt_10","type":"payment_intent.succeeded","data":{"object":{"id":"pi","amount":"ten"}}}`,
	} {
		t.Run("refused: "+name, func(t *testing.T) {
			t.Parallel()
			if _, err := stripe.ParseEvent([]byte(body)); !errors.Is(err, stripe.ErrBadEvent) {
				t.Fatalf("ParseEvent(%s) = %v, want ErrBadEvent", body, err)
			}
		})
	}
}
