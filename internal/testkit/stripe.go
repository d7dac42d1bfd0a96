package testkit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/stripe"
)

// Stripe helpers: signed webhook deliveries, stripe-mock, and an in-process fake of the two
// Stripe endpoints ConsultantPro calls, for the faults stripe-mock cannot produce (slowness,
// refusals, idempotency).

// SignStripe returns the Stripe-Signature header Stripe would send for body at t.
func SignStripe(body []byte, secret string, t time.Time) string {
	return stripe.SignatureFor(body, secret, t)
}

// StripeMockURL returns the stripe-mock base URL from TEST_STRIPE_API_BASE after checking that
// it answers. Unset, the test is skipped (a laptop without stripe-mock); set and unreachable,
// the test fails: CI starts stripe-mock and sets it.
func StripeMockURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_STRIPE_API_BASE")
	if base == "" {
		t.Skip("TEST_STRIPE_API_BASE is not set: start stripe-mock and set it to run this test (.ci/run does)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/v1/customers", nil)
	if err != nil {
		t.Fatalf("TEST_STRIPE_API_BASE %q: %v", base, err)
	}
	req.SetBasicAuth("sk_test_123", "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("stripe-mock at TEST_STRIPE_API_BASE %q does not answer: %v", base, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stripe-mock at TEST_STRIPE_API_BASE %q answered %d", base, res.StatusCode)
	}
	return base
}

// FakeStripe is an in-process Stripe serving POST /v1/customers and POST /v1/payment_intents
// with Stripe's idempotency: a repeated Idempotency-Key returns the first object, the same key
// with other parameters is refused with an idempotency_error. An object is created before the
// configured delay, as Stripe keeps what it created when the caller gives up waiting.
type FakeStripe struct {
	*httptest.Server

	mu        sync.Mutex
	delay     time.Duration
	refuse    int    // answer every request with this status and a Stripe error
	errType   string // the Stripe error type of a refusal
	keys      []string
	objects   map[string]fakeObject // by idempotency key
	customers int
	intents   int
	params    []url.Values
}

type fakeObject struct {
	fingerprint string
	body        string
}

// FakeStripeText is in every refusal's message: Stripe's text must never reach a client.
const FakeStripeText = "fake-stripe-secret-text"

// NewFakeStripe starts a fake Stripe; it stops at cleanup.
func NewFakeStripe(t testing.TB) *FakeStripe {
	t.Helper()
	f := &FakeStripe{objects: map[string]fakeObject{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// SetDelay makes every answer wait d after the object is created (0: answer at once).
func (f *FakeStripe) SetDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// Refuse makes every request fail with status and a Stripe error of errType (0: stop refusing).
func (f *FakeStripe) Refuse(status int, errType string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse, f.errType = status, errType
}

// Occupy marks an idempotency key as used with other parameters, as Stripe remembers a key
// for 24 hours: a request with it is refused with an idempotency_error.
func (f *FakeStripe) Occupy(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[key] = fakeObject{fingerprint: "other parameters"}
}

// Counts returns how many customers and payment intents were created.
func (f *FakeStripe) Counts() (customers, intents int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.customers, f.intents
}

// Keys returns the idempotency keys of every request, in order.
func (f *FakeStripe) Keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

// Params returns the form parameters of every request, in order.
func (f *FakeStripe) Params() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.params...)
}

func (f *FakeStripe) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	w.Header().Set("Request-Id", fmt.Sprintf("req_fake_%d", time.Now().UnixNano()))
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	f.keys = append(f.keys, key)
	f.params = append(f.params, r.PostForm)
	delay := f.delay
	status, body := f.refuse, stripeError(f.errType, FakeStripeText+": refused")
	if status == 0 {
		status, body = f.answer(r, key)
	}
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// answer creates (or finds again, by key) the object a request asks for; f.mu is held.
func (f *FakeStripe) answer(r *http.Request, key string) (int, string) {
	fp := fingerprint(r.URL.Path, r.PostForm)
	if o, ok := f.objects[key]; ok && key != "" {
		if o.fingerprint != fp {
			return http.StatusBadRequest, stripeError("idempotency_error",
				"Keys for idempotent requests can only be used with the same parameters they were first used with.")
		}
		return http.StatusOK, o.body
	}
	var body string
	switch r.URL.Path {
	case "/v1/customers":
		f.customers++
		body = fmt.Sprintf(`{"id":"cus_fake_%d","object":"customer","email":%q,"name":%q}`,
			f.customers, r.PostForm.Get("email"), r.PostForm.Get("name"))
	case "/v1/payment_intents":
		f.intents++
		id := fmt.Sprintf("pi_fake_%d", f.intents)
		body = fmt.Sprintf(`{"id":%q,"object":"payment_intent","amount":%s,"currency":%q,"client_secret":"%s_secret_fake","status":"requires_payment_method","customer":%q}`,
			id, r.PostForm.Get("amount"), r.PostForm.Get("currency"), id, r.PostForm.Get("customer"))
	default:
		return http.StatusNotFound, stripeError("invalid_request_error", "Unrecognized request URL")
	}
	if key != "" {
		f.objects[key] = fakeObject{fingerprint: fp, body: body}
	}
	return http.StatusOK, body
}

func fingerprint(path string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(path)
	for _, k := range keys {
		fmt.Fprintf(&b, "&%s=%s", k, strings.Join(form[k], ","))
	}
	return b.String()
}

func stripeError(typ, msg string) string {
	return fmt.Sprintf(`{"error":{"type":%q,"code":"fake_code","message":%q}}`, typ, msg)
}
