// Package cache tells the data version that cached responses are checked against: a number per
// firm that grows after every committed write for that firm, in process for a single server or
// in Redis for servers that share a database.
//
// A write names its firm with db.WithFirm (authentication does it for every request; code that
// writes for a firm outside a request names it itself). A write that names no firm bumps
// nothing: a firm's cached answers change only when its own data does. Counters only grow, so a
// version never comes back.
package cache

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/redis/go-redis/v9"
)

// Local is the data version of one process: right when this process makes every write (SQLite,
// or a single server on PostgreSQL).
type Local struct {
	firms sync.Map // firm id → *atomic.Uint64
}

func (l *Local) firm(id string) *atomic.Uint64 {
	if c, ok := l.firms.Load(id); ok {
		return c.(*atomic.Uint64)
	}
	c, _ := l.firms.LoadOrStore(id, new(atomic.Uint64))
	return c.(*atomic.Uint64)
}

// Current returns the version of the data of ctx's firm (0 for no firm).
func (l *Local) Current(ctx context.Context) (uint64, error) {
	if id := db.FirmOf(ctx); id != "" {
		return l.firm(id).Load(), nil
	}
	return 0, nil
}

// Bump records a write for ctx's firm; a write that names no firm changes no version.
func (l *Local) Bump(ctx context.Context) {
	if id := db.FirmOf(ctx); id != "" {
		l.firm(id).Add(1)
	}
}

// Redis is the data version shared by every server using the same key prefix.
type Redis struct {
	client redis.UniversalClient
	prefix string
	log    *slog.Logger
}

// NewRedis keeps the counters under keys starting with prefix.
func NewRedis(client redis.UniversalClient, prefix string, log *slog.Logger) *Redis {
	return &Redis{client: client, prefix: prefix, log: log}
}

// Current reads the shared version of ctx's firm (0 for no firm); while Redis is unreachable it
// fails, and callers bypass their caches. A version read ahead for the request (CurrentWith)
// costs no round trip.
func (r *Redis) Current(ctx context.Context) (uint64, error) {
	id := db.FirmOf(ctx)
	if id == "" {
		return 0, nil
	}
	key := r.key(id)
	if v, ok := memoOf(ctx).get(key); ok {
		return v, nil
	}
	s, err := r.client.Get(ctx, key).Result()
	if err == redis.Nil {
		return 0, nil // a counter never bumped yet
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

// CurrentWith is Current that also reads also's version of the same firm in the same round
// trip, keeping it in ctx's memo (WithMemo) for the rest of the request: authentication reads
// the auth version and, with it, the data version the response cache will ask for.
func (r *Redis) CurrentWith(ctx context.Context, also *Redis) (uint64, error) {
	id := db.FirmOf(ctx)
	m := memoOf(ctx)
	if id == "" || m == nil || also == nil {
		return r.Current(ctx)
	}
	key, alsoKey := r.key(id), also.key(id)
	if v, ok := m.get(key); ok {
		return v, nil // read ahead with the request's rate limit (Remember)
	}
	vals, err := r.client.MGet(ctx, key, alsoKey).Result()
	if err != nil {
		return 0, err
	}
	v, err := counter(vals[0])
	if err != nil {
		return 0, err
	}
	if a, err := counter(vals[1]); err == nil {
		m.put(alsoKey, a)
	}
	return v, nil
}

// counter reads one MGET value: nil for a counter never bumped yet.
func counter(v any) (uint64, error) {
	if v == nil {
		return 0, nil
	}
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("cache: version is a %T", v)
	}
	return strconv.ParseUint(s, 10, 64)
}

func (r *Redis) key(firmID string) string { return r.prefix + "firm:" + firmID }

// Bump records a write of ctx's firm for every server. A failed bump is logged; the other
// servers' cached answers then live until their maximum age.
func (r *Redis) Bump(ctx context.Context) {
	id := db.FirmOf(ctx)
	if id == "" {
		return
	}
	memoOf(ctx).forget(r.key(id))
	if err := r.client.Incr(context.WithoutCancel(ctx), r.key(id)).Err(); err != nil {
		r.log.Warn("data version not bumped in Redis; other servers may answer from their caches until max age",
			"error", err.Error())
	}
}

// Paired is the auth version store that reads the data version along with it (CurrentWith):
// one Redis round trip per request for both, where two GETs cost two.
type Paired struct {
	*Redis
	Data *Redis
}

// Current reads the auth version of ctx's firm and, ahead, its data version.
func (p Paired) Current(ctx context.Context) (uint64, error) { return p.CurrentWith(ctx, p.Data) }

// Keys are the Redis keys of firmID's auth and data versions: what a request reads first, so
// that the rate limit's round trip can bring them (Remember).
func (p Paired) Keys(firmID string) []string {
	return []string{p.Redis.key(firmID), p.Data.key(firmID)}
}

// Remember keeps versions read elsewhere for the rest of ctx's request (see WithMemo): values
// are the replies of GETs of keys, nil for a counter never bumped. A value that is not a
// version is left out, and the version is then read again when asked for.
func Remember(ctx context.Context, keys []string, values []any) {
	m := memoOf(ctx)
	if m == nil || len(values) != len(keys) {
		return
	}
	for i, k := range keys {
		if v, err := counter(values[i]); err == nil {
			m.put(k, v)
		}
	}
}

// memo holds the versions read ahead for one request.
type memo struct {
	mu   sync.Mutex
	vals map[string]uint64
}

type memoKey struct{}

// WithMemo gives ctx's request a memo for versions read ahead (Redis.CurrentWith). A version
// read at the start of a request serves its later checks: it is no older than one read later
// would be from a cache's point of view, because a cache fills under the version it read before
// reading the data.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{})
}

func memoOf(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}

func (m *memo) get(key string) (uint64, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.vals[key]
	return v, ok
}

func (m *memo) put(key string, v uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vals == nil {
		m.vals = make(map[string]uint64, 2)
	}
	m.vals[key] = v
}

// forget drops a version the request itself has just moved on.
func (m *memo) forget(key string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.vals, key)
}
