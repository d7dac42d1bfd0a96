package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/uptrace/bun"
)

// Service is the auth module: firms, users and sessions.
type Service struct {
	logins   ratelimit.Limiter
	loginMax ratelimit.Rate
	reuse    time.Duration
	db       *db.DB
	hasher   *Hasher
	tokens   *Tokens
	now      func() time.Time
	security *slog.Logger
	store    store
	created  func(ctx context.Context, tx bun.IDB, firmID string, now time.Time) error
	mailer   Mailer
	resetMax ratelimit.Rate
}

// store is the auth package's SQL, in the *_store.go files. Firm-owned rows go through db.Firm
// scopes; the only unscoped lookups are the ones that happen before a firm is known: login and
// refresh.
type store struct {
	sessions *sessionCache // told of every change to what authentication reads
}

// Deps are what the service needs; Now defaults to time.Now.
type Deps struct {
	DB       *db.DB
	Hasher   *Hasher
	Tokens   *Tokens
	Now      func() time.Time
	Security *slog.Logger
	// Logins counts failed password checks per account, of logins and password changes alike
	// (nil: unlimited); LoginMax is the allowance.
	Logins   ratelimit.Limiter
	LoginMax ratelimit.Rate
	// RefreshReuse is how long after its rotation a refresh token presented again gets the same
	// new pair instead of revoking its session (0: never; see Refresh).
	RefreshReuse time.Duration
	// FirmCreated runs in the transaction that creates a firm, for what later modules give
	// every firm (the finance module's chart of accounts). Nil: nothing.
	FirmCreated func(ctx context.Context, tx bun.IDB, firmID string, now time.Time) error
	// ResetMax is the allowance of password reset requests per email address, counted on
	// Logins (zero: 5 an hour).
	ResetMax ratelimit.Rate
	// AuthVersions lets a request skip the session query while nothing it reads has changed
	// (see sessionCache); nil reads the database on every request.
	AuthVersions Versions
}

// NewService assembles the auth module.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Security == nil {
		d.Security = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d.DB, hasher: d.Hasher, tokens: d.Tokens, now: d.Now, security: d.Security,
		logins: d.Logins, loginMax: d.LoginMax, resetMax: resetRate(d.ResetMax), reuse: max(d.RefreshReuse, 0), created: d.FirmCreated,
		store: store{sessions: newSessionCache(d.AuthVersions)}}
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }

// Authenticate turns an access token into the request's actor. The token must verify and its
// session must be live and its user active, so revocation and deactivation work at once.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, error) {
	userID, firmID, sessionID, err := s.tokens.Verify(token)
	if err != nil {
		return Actor{}, fault.Wrap(fault.AuthFailed, MsgBadToken, err)
	}
	su, err := s.sessionUser(ctx, sessionID, userID, firmID)
	if fault.KindOf(err) == fault.NotFound {
		return Actor{}, fault.New(fault.AuthFailed, MsgBadToken)
	}
	if err != nil {
		return Actor{}, err
	}
	switch {
	case su.RevokedAt != nil:
		return Actor{}, fault.Wrap(fault.AuthFailed, MsgBadToken, errSessionRevoked)
	case !su.ExpiresAt.After(s.now()):
		return Actor{}, fault.Wrap(fault.AuthFailed, MsgBadToken, errSessionExpired)
	case !su.IsActive:
		return Actor{}, fault.Wrap(fault.AuthFailed, MsgBadToken, errUserInactive)
	}
	return Actor{UserID: su.UserID, FirmID: su.FirmID, Role: su.Role, SessionID: sessionID, Username: su.Username, Name: su.Name,
		Timezone: su.Timezone, Currency: su.Currency, Country: su.Country,
		ProposalPrefix: su.PropPfx, ContractPrefix: su.CtrPfx, InvoicePrefix: su.InvPfx}, nil
}

// sessionUser reads what authentication needs of a session, from the session cache while the
// firm's auth version has not moved since it was read, else from the database.
func (s *Service) sessionUser(ctx context.Context, sessionID, userID, firmID string) (*sessionUser, error) {
	cache := s.store.sessions
	now := s.now()
	version, cached := cache.version(ctx, firmID)
	if cached {
		if su, ok := cache.get(sessionID, userID, firmID, version, now); ok {
			return su, nil
		}
	}
	su, err := s.store.sessionUser(ctx, s.db.R, sessionID, userID, firmID)
	if err == nil && cached {
		cache.put(sessionID, su, version, now)
	}
	return su, err
}

// startSession opens a session for the user and issues its first token pair (inside tx).
func (s *Service) startSession(ctx context.Context, tx bunIDB, u *User, meta ClientMeta) (TokenPair, error) {
	now := s.stamp()
	sess := &Session{ID: db.NewID(), FirmID: u.FirmID, UserID: u.ID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(s.tokens.refreshTTL), UserAgent: truncate(meta.UserAgent, 255), IP: meta.IP}
	if err := s.store.insertSession(ctx, tx, sess); err != nil {
		return TokenPair{}, err
	}
	return s.issue(ctx, tx, u, sess.ID, now)
}

// issue makes an access token and a new refresh token for a session.
func (s *Service) issue(ctx context.Context, tx bunIDB, u *User, sessionID string, now time.Time) (TokenPair, error) {
	refresh, hash := NewRefresh()
	if err := s.store.insertRefresh(ctx, tx, hash, sessionID, now); err != nil {
		return TokenPair{}, err
	}
	access, err := s.tokens.Access(u.ID, u.FirmID, sessionID)
	if err != nil {
		return TokenPair{}, err
	}
	return TokenPair{Access: access, Refresh: refresh}, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
