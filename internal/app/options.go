package app

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/storage"
)

// Option adjusts how New assembles the app; the defaults are production's.
type Option func(*options)

type options struct {
	now      func() time.Time
	password auth.Argon2Params
	gateway  finance.Gateway
	store    storage.Store
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
