package app

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/storage"
)

// Option adjusts how New assembles the app; the defaults are production's.
type Option func(*options)

type options struct {
	now      func() time.Time
	password auth.Argon2Params
	gateway  finance.Gateway
	store    storage.Store
	// wrapNotifier decorates what finance tells of its events (nil: as is).
	wrapNotifier func(finance.Notifier) finance.Notifier
	// invoicePDF renders invoice attachments (nil: none).
	invoicePDF notify.InvoicePDF
	// The job runner's timings (see jobs.Options); zero is production's.
	jobPoll, jobTimeout, jobRescue time.Duration
}

// WithClock replaces the wall clock, so tests can freeze "today".
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithFastPasswords uses cheap password hashing. For tests only: production hashes cost tens of
// milliseconds on purpose.
func WithFastPasswords() Option { return func(o *options) { o.password = auth.FastArgon2() } }

// WithStripeGateway replaces the Stripe client, so tests can inject faults in-process.
func WithStripeGateway(g finance.Gateway) Option { return func(o *options) { o.gateway = g } }

// WithStorage replaces the store STORAGE_URL names, so tests can use a bucket of their own.
func WithStorage(s storage.Store) Option { return func(o *options) { o.store = s } }

// WithJobTimings shortens the job runner's poll interval, attempt timeout and the time after
// which a running job is taken for dead, so tests see jobs run and recover in milliseconds.
func WithJobTimings(poll, timeout, rescue time.Duration) Option {
	return func(o *options) { o.jobPoll, o.jobTimeout, o.jobRescue = poll, timeout, rescue }
}

// WithInvoicePDF attaches invoices rendered by r to the invoice emails.
func WithInvoicePDF(r notify.InvoicePDF) Option { return func(o *options) { o.invoicePDF = r } }

// WithFinanceNotifier decorates the notifier finance tells of its events, so tests can inject a
// failure after an email is queued.
func WithFinanceNotifier(wrap func(finance.Notifier) finance.Notifier) Option {
	return func(o *options) { o.wrapNotifier = wrap }
}
