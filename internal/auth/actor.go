package auth

import (
	"context"
	"sync"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// Actor is the authenticated caller of a request, taken from a verified token and the live
// session behind it. Actor fields of records (created_by, owner, user, ...) come from here,
// never from a request body.
type Actor struct {
	UserID    string
	FirmID    string
	Role      Role
	SessionID string
	Username  string
	Name      string // display name: full name, else username (as lists show users)
	Timezone  string // the firm's IANA time zone: "today" is computed there
	Currency  string // the firm's default currency
	Country   string // the firm's default country for new clients
	// The firm's document number prefixes (PROP, CTR, INV by default).
	ProposalPrefix string
	ContractPrefix string
	InvoicePrefix  string
	// IncludeDeleted makes Firm read soft-deleted rows too: set for an owner's or admin's list
	// with include_deleted=true, never from a body.
	IncludeDeleted bool
}

// ActorOf is a user of the firm acting outside a request (the demo seeding): the user's role
// and the firm's settings, with no session.
func ActorOf(f *Firm, u *User) Actor {
	return Actor{UserID: u.ID, FirmID: f.ID, Role: u.Role, Username: u.Username, Name: u.FullName(),
		Timezone: f.Timezone, Currency: f.DefaultCurrency, Country: f.Country,
		ProposalPrefix: f.ProposalPrefix, ContractPrefix: f.ContractPrefix, InvoicePrefix: f.InvoicePrefix}
}

// locations caches loaded time zones: time.LoadLocation reads the zone database on every call.
var locations sync.Map // name → *time.Location

// Location is the firm's time zone (UTC when unset or unknown).
func (a Actor) Location() *time.Location {
	if a.Timezone == "" {
		return time.UTC
	}
	if loc, ok := locations.Load(a.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		return time.UTC
	}
	locations.Store(a.Timezone, loc)
	return loc
}

// Today is the calendar date at now in the firm's time zone, as YYYY-MM-DD.
func (a Actor) Today(now time.Time) string {
	return now.In(a.Location()).Format(time.DateOnly)
}

// Firm is the database scope of the actor's firm.
func (a Actor) Firm() db.Firm {
	if a.IncludeDeleted {
		return db.ForFirm(a.FirmID).WithDeleted()
	}
	return db.ForFirm(a.FirmID)
}

type actorKey struct{}

// WithActor stores the actor in ctx.
// It also scopes the request's writes to the actor's firm for the data version (db.WithFirm).
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(db.WithFirm(ctx, a.FirmID), actorKey{}, a)
}

// ActorFrom returns the request's actor. Operations that require authentication always have
// one; a missing actor is a server bug, reported as 401 rather than served unscoped.
func ActorFrom(ctx context.Context) (Actor, error) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok || a.FirmID == "" {
		return Actor{}, fault.New(fault.Unauthenticated, api.MsgNotAuthenticated)
	}
	return a, nil
}
