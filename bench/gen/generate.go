package gen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// Defaults of Options.
const (
	DefaultUserPrefix = "perf"
	DefaultPassword   = "correct horse battery staple bench"
)

// Options say what to generate where.
type Options struct {
	DatabaseURL string // sqlite:/path.db or postgres://…; migrated if needed
	Scale       Scale
	Seed        uint64
	// UserPrefix starts every username: prefix-owner, prefix-manager-001, … Usernames are unique
	// across firms, so a second firm in one database needs another prefix.
	UserPrefix string
	Password   string           // every user's password
	Now        func() time.Time // the clock ("today"); time.Now when nil
	Log        io.Writer        // progress lines; nil for none

	// fastPasswords hashes with the test cost: the package's tests check what is generated,
	// and production-cost hashing under the race detector took most of their time.
	fastPasswords bool
}

// Counts are how many rows of each kind the generator created.
type Counts struct {
	Users, Clients, Proposals, Contracts, Projects, Tasks, TimeEntries int
}

// Result describes the generated firm and how to sign in to it.
type Result struct {
	FirmID   string
	Owner    string // the owner's username
	Password string // every user's password
	Counts   Counts
	Elapsed  time.Duration
}

// Generate builds a firm of o.Scale in the database at o.DatabaseURL: the firm, its owner and
// staff through the auth service, everything else in bulk. It refreshes the planner
// statistics before returning.
func Generate(ctx context.Context, o Options) (Result, error) {
	began := time.Now()
	o = o.withDefaults()
	if err := o.Scale.Validate(); err != nil {
		return Result{}, err
	}
	step := stepper(o.Log, began)
	a, closeApp, err := openApp(ctx, o)
	if err != nil {
		return Result{}, err
	}
	defer closeApp()
	r := newRNG(o.Seed)
	v := newVocab()
	firm, owner, err := register(ctx, a.Auth, o, v, r)
	if err != nil {
		return Result{}, err
	}
	actor := auth.Actor{UserID: owner.ID, FirmID: firm.ID, Role: auth.Owner, Username: owner.Username}
	users, err := createUsers(ctx, a.Auth, actor, newUsers(o.Scale, o.UserPrefix, o.Password, v, r))
	if err != nil {
		return Result{}, explain(err)
	}
	step("firm, owner and %d users", len(users))
	b := &builder{r: r, cal: newCalendar(o.Now()), v: v, firmID: firm.ID, staff: newStaff(owner.ID, users, r), sc: o.Scale}
	p := b.build(numberPrefixes{proposal: firm.ProposalPrefix, contract: firm.ContractPrefix})
	p.planEntries(b)
	step("planned %d clients, %d projects, %d tasks", len(p.clients), len(p.projects), len(p.tasks))
	if err := prepare(ctx, a.DB); err != nil {
		return Result{}, err
	}
	if err := loadPlan(ctx, a.DB, firm.ID, p); err != nil {
		return Result{}, err
	}
	step("loaded clients, proposals, contracts, projects and tasks")
	entries, err := loadEntries(ctx, a.DB, newEntryGen(b), p.work)
	if err != nil {
		return Result{}, err
	}
	step("loaded %d time entries", entries)
	if err := finish(ctx, a.DB); err != nil {
		return Result{}, err
	}
	step("analyzed")
	return Result{FirmID: firm.ID, Owner: owner.Username, Password: o.Password, Elapsed: time.Since(began),
		Counts: Counts{Users: 1 + len(users), Clients: len(p.clients), Proposals: len(p.proposals),
			Contracts: len(p.contracts), Projects: len(p.projects), Tasks: len(p.tasks), TimeEntries: entries}}, nil
}

// withDefaults fills the unset options.
func (o Options) withDefaults() Options {
	if o.UserPrefix == "" {
		o.UserPrefix = DefaultUserPrefix
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Scale.Name == "" {
		o.Scale.Name = "custom"
	}
	return o
}

// openApp assembles the real application on the database (migrating it), with production-cost
// password hashing so that the generated users log in like real ones. The returned function
// closes it and removes its scratch data directory.
func openApp(ctx context.Context, o Options) (*app.App, func(), error) {
	dir, err := os.MkdirTemp("", "consultantpro-gen-*")
	if err != nil {
		return nil, nil, err
	}
	const unlimited = "1000000000/min"
	cfg := config.Config{
		Env: config.ModeLocal, DataDir: dir, DatabaseURL: o.DatabaseURL,
		SecretKey:    "consultantpro-bench-generator-secret-key-0123456789abcdef0123456789",
		AllowedHosts: []string{"localhost", "127.0.0.1"},
		RateBurst:    unlimited, RateSustained: unlimited, RateAnon: unlimited,
		RatePayment: unlimited, RateUpload: unlimited, RateLoginFailures: unlimited,
	}
	opts := []app.Option{app.WithClock(o.Now)}
	if o.fastPasswords {
		opts = append(opts, app.WithFastPasswords())
	}
	a, err := app.New(ctx, cfg, logging.Discard(), "gen", opts...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("open %s: %w", o.DatabaseURL, err)
	}
	return a, func() { a.Close(); os.RemoveAll(dir) }, nil
}

// register creates the firm and its owner through the auth service.
func register(ctx context.Context, svc *auth.Service, o Options, v vocab, r rng) (*auth.Firm, *auth.User, error) {
	username := o.UserPrefix + "-owner"
	firm, owner, _, err := svc.Register(ctx, auth.Registration{
		FirmName: fmt.Sprintf("%s Consulting (%s scale, seed %d)", pick(r, v.stems), o.Scale.Name, o.Seed),
		Username: username, Email: username + "@" + staffEmailDomain, Password: o.Password,
		FirstName: pick(r, v.firstNames), LastName: pick(r, v.lastNames),
	}, auth.ClientMeta{UserAgent: "consultantpro-gen"})
	if err != nil {
		return nil, nil, fmt.Errorf("register the firm's owner %s (the database may already hold a generated "+
			"firm: use a fresh database or another user prefix): %w", username, explain(err))
	}
	return firm, owner, nil
}

// explain spells out a validation error's field messages, which its text only names.
func explain(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) && len(fe.Details) > 0 {
		return fmt.Errorf("%w %v", err, fe.Details)
	}
	return err
}

// stepper returns a function that writes a progress line with the time since began.
func stepper(w io.Writer, began time.Time) func(format string, args ...any) {
	return func(format string, args ...any) {
		if w != nil {
			fmt.Fprintf(w, "%7.1fs  %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
		}
	}
}
