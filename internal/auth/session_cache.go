package auth

import (
	"context"
	"sync"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
)

// Versions is a counter per firm (the firm named by db.WithFirm in ctx): internal/cache keeps
// one in process (SQLite, one server) or in Redis (servers sharing PostgreSQL).
type Versions interface {
	Current(ctx context.Context) (uint64, error)
	Bump(ctx context.Context)
}

// sessionCache keeps what authenticating a session read from the database (its session, user
// and firm rows), so that a request does not pay a query to learn what has not changed. Every
// write to those rows bumps the firm's auth version after it commits (markAuthChanged); an
// entry counts only while the version it was read under is still the current one, so logout,
// revocation, deactivation, role, password and firm changes take effect on the next request,
// on every server. The version is read before the rows are, so a write that commits in between
// leaves an entry under a version that is already old.
type sessionCache struct {
	versions Versions // nil: no cache, every request reads the database
	mu       sync.RWMutex
	entries  map[string]sessionEntry // by session id
}

type sessionEntry struct {
	su      sessionUser
	version uint64
	read    time.Time
}

// sessionCacheMaxAge bounds how long an entry is trusted: a bump lost on its way to Redis
// (logged) leaves other servers' entries valid at most this long.
const sessionCacheMaxAge = time.Minute

// sessionCacheMax bounds the entries (about 300 bytes each): past it the cache starts again
// empty, which only costs each live session one query.
const sessionCacheMax = 100_000

func newSessionCache(v Versions) *sessionCache {
	return &sessionCache{versions: v, entries: make(map[string]sessionEntry)}
}

// version returns the current auth version of firmID; ok is false when there is no cache or
// the version cannot be read (then the database decides).
func (c *sessionCache) version(ctx context.Context, firmID string) (uint64, bool) {
	if c.versions == nil {
		return 0, false
	}
	v, err := c.versions.Current(db.WithFirm(ctx, firmID))
	return v, err == nil
}

// get returns the entry of a session read under version, if there is one.
func (c *sessionCache) get(sessionID, userID, firmID string, version uint64, now time.Time) (*sessionUser, bool) {
	c.mu.RLock()
	e, ok := c.entries[sessionID]
	c.mu.RUnlock()
	if !ok || e.version != version || e.su.UserID != userID || e.su.FirmID != firmID || now.Sub(e.read) >= sessionCacheMaxAge {
		return nil, false
	}
	su := e.su
	return &su, true
}

// put keeps what was read under version.
func (c *sessionCache) put(sessionID string, su *sessionUser, version uint64, now time.Time) {
	c.mu.Lock()
	if len(c.entries) >= sessionCacheMax {
		c.entries = make(map[string]sessionEntry)
	}
	c.entries[sessionID] = sessionEntry{su: *su, version: version, read: now}
	c.mu.Unlock()
}

// markAuthChanged bumps firmID's auth version once the write of ctx has committed: called by
// every store method that changes a session, a user or a firm.
func (c *sessionCache) markAuthChanged(ctx context.Context, firmID string) {
	if c == nil || c.versions == nil {
		return
	}
	bumpCtx := db.WithFirm(context.WithoutCancel(ctx), firmID)
	db.AfterCommit(ctx, func() { c.versions.Bump(bumpCtx) })
}

// SessionsChanged makes every server read the sessions of firmID from the database again on
// their next request: for a change made around the service, such as an operator's SQL fix of a
// user's role or status.
func (s *Service) SessionsChanged(ctx context.Context, firmID string) {
	s.store.sessions.markAuthChanged(ctx, firmID)
}
