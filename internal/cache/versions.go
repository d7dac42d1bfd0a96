// Package cache tells the data version that cached responses are checked against: a number
// that grows after every committed write, in process for a single server or in Redis for
// servers that share a database.
//
// A firm's version is the sum of a global counter and the firm's own. A write made for one firm
// (db.FirmOf names it) bumps that firm's counter only, so other firms keep their cached lists;
// a write for no firm in particular (registering a firm, a command-line tool) bumps the global
// one, which every firm's version includes. Counters only grow, so a sum never comes back.
package cache

import (
	"context"
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
	global atomic.Uint64
	firms  sync.Map // firm id → *atomic.Uint64
}

func (l *Local) firm(id string) *atomic.Uint64 {
	if c, ok := l.firms.Load(id); ok {
		return c.(*atomic.Uint64)
	}
	c, _ := l.firms.LoadOrStore(id, new(atomic.Uint64))
	return c.(*atomic.Uint64)
}

// Current returns the version of the data of ctx's firm.
func (l *Local) Current(ctx context.Context) (uint64, error) {
	v := l.global.Load()
	if id := db.FirmOf(ctx); id != "" {
		v += l.firm(id).Load()
	}
	return v, nil
}

// Bump records a write for ctx's firm, or for every firm.
func (l *Local) Bump(ctx context.Context) {
	if id := db.FirmOf(ctx); id != "" {
		l.firm(id).Add(1)
		return
	}
	l.global.Add(1)
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

func (r *Redis) key(ctx context.Context) string {
	if id := db.FirmOf(ctx); id != "" {
		return r.prefix + "firm:" + id
	}
	return r.prefix + "global"
}

// Current reads the shared version of ctx's firm; while Redis is unreachable it fails, and
// callers bypass their caches.
func (r *Redis) Current(ctx context.Context) (uint64, error) {
	keys := []string{r.prefix + "global"}
	if db.FirmOf(ctx) != "" {
		keys = append(keys, r.key(ctx))
	}
	vals, err := r.client.MGet(ctx, keys...).Result()
	if err != nil {
		return 0, err
	}
	var sum uint64
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // a counter never bumped yet
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// Bump records a write for every server. A failed bump is logged; the other servers' cached
// answers then live until their maximum age.
func (r *Redis) Bump(ctx context.Context) {
	if err := r.client.Incr(context.WithoutCancel(ctx), r.key(ctx)).Err(); err != nil {
		r.log.Warn("data version not bumped in Redis; other servers may answer from their caches until max age",
			"error", err.Error())
	}
}
