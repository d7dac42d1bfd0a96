package stripe_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/stripe"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The default bound of a Stripe call is SPEC §7's ≤ 15 s, and a client built without a timeout
// uses it.
func TestDefaultTimeout(t *testing.T) {
	t.Parallel()
	if stripe.DefaultTimeout <= 0 || stripe.DefaultTimeout > 15*time.Second {
		t.Fatalf("DefaultTimeout = %v, want at most 15s", stripe.DefaultTimeout)
	}
	if got := stripe.New(stripe.Config{SecretKey: "sk_test_x"}).Timeout(); got != stripe.DefaultTimeout {
		t.Fatalf("timeout without configuration = %v, want %v", got, stripe.DefaultTimeout)
	}
	if got := stripe.New(stripe.Config{SecretKey: "sk_test_x", Timeout: time.Second}).Timeout(); got != time.Second {
		t.Fatalf("configured timeout = %v, want 1s", got)
	}
}

// The real client against stripe-mock: the requests it builds are valid for Stripe's API.
func TestClientAgainstStripeMock(t *testing.T) {
	t.Parallel()
	c := stripe.New(stripe.Config{SecretKey: "sk_test_123", APIBase: testkit.StripeMockURL(t)})
	ctx := context.Background()
	cu, err := c.CreateCustomer(ctx, stripe.CustomerParams{Name: "Acme Ltd", Email: "ap@acme.example",
		Metadata: map[string]string{"client_id": "c1"}, IdempotencyKey: "test-customer-1"})
	if err != nil || !strings.HasPrefix(cu.ID, "cus_") {
		t.Fatalf("CreateCustomer = %+v, %v", cu, err)
	}
	for _, p := range []stripe.PaymentIntentParams{
		{Amount: 160000, Currency: "USD", Customer: cu.ID, Description: "Invoice INV-2026-001",
			Metadata: map[string]string{stripe.MetaInvoice: "i1", stripe.MetaFirm: "f1"}, IdempotencyKey: "test-pi-usd"},
		{Amount: 1600, Currency: "JPY", Customer: cu.ID, IdempotencyKey: "test-pi-jpy"},
	} {
		pi, err := c.CreatePaymentIntent(ctx, p)
		if err != nil || !strings.HasPrefix(pi.ID, "pi_") || pi.ClientSecret == "" {
			t.Fatalf("CreatePaymentIntent(%s) = %+v, %v", p.Currency, pi, err)
		}
	}
}

func TestClientFailures(t *testing.T) {
	t.Parallel()
	params := stripe.PaymentIntentParams{Amount: 1000, Currency: "USD", IdempotencyKey: "k1"}
	t.Run("refused is 502 without Stripe's text", func(t *testing.T) {
		t.Parallel()
		fake := testkit.NewFakeStripe(t)
		fake.Refuse(http.StatusPaymentRequired, "card_error")
		_, err := stripe.New(stripe.Config{SecretKey: "sk_test_x", APIBase: fake.URL}).CreatePaymentIntent(context.Background(), params)
		fe := fault.As(err)
		if fault.KindOf(err) != fault.BadGateway || fe.Message != stripe.MsgRefused {
			t.Fatalf("error = %v, want BadGateway %q", err, stripe.MsgRefused)
		}
		if !strings.Contains(err.Error(), "req_fake_") || !strings.Contains(err.Error(), "card_error") {
			t.Fatalf("cause %q lacks Stripe's request id and type (the log needs them)", err)
		}
		if stripe.KeyReused(err) {
			t.Fatal("a card error is not a reused key")
		}
	})
	t.Run("reused key is recognised", func(t *testing.T) {
		t.Parallel()
		fake := testkit.NewFakeStripe(t)
		c := stripe.New(stripe.Config{SecretKey: "sk_test_x", APIBase: fake.URL})
		if _, err := c.CreatePaymentIntent(context.Background(), params); err != nil {
			t.Fatal(err)
		}
		other := params
		other.Amount = 999
		_, err := c.CreatePaymentIntent(context.Background(), other)
		if !stripe.KeyReused(err) || fault.KindOf(err) != fault.BadGateway {
			t.Fatalf("error = %v, want a reused key (502)", err)
		}
	})
	t.Run("unreachable is 503", func(t *testing.T) {
		t.Parallel()
		fake := testkit.NewFakeStripe(t)
		fake.Close()
		_, err := stripe.New(stripe.Config{SecretKey: "sk_test_x", APIBase: fake.URL}).CreateCustomer(context.Background(), stripe.CustomerParams{})
		if fault.KindOf(err) != fault.Unavailable || fault.As(err).Message != stripe.MsgUnreachable {
			t.Fatalf("error = %v, want Unavailable", err)
		}
	})
	t.Run("slow past the timeout is 503", func(t *testing.T) {
		t.Parallel()
		fake := testkit.NewFakeStripe(t)
		fake.SetDelay(5 * time.Second)
		_, err := stripe.New(stripe.Config{SecretKey: "sk_test_x", APIBase: fake.URL, Timeout: 50 * time.Millisecond}).
			CreatePaymentIntent(context.Background(), params)
		if fault.KindOf(err) != fault.Unavailable {
			t.Fatalf("error = %v, want Unavailable", err)
		}
		var fe *fault.Error
		if !errors.As(err, &fe) {
			t.Fatal("not a fault error")
		}
	})
}
