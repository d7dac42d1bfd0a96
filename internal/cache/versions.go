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
// fails, and callers bypass their caches.
func (r *Redis) Current(ctx context.Context) (uint64, error) {
	id := db.FirmOf(ctx)
	if id == "" {
		return 0, nil
	}
	s, err := r.client.Get(ctx, r.prefix+"firm:"+id).Result()
	if err == redis.Nil {
		return 0, nil // a counter never bumped yet
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

// Bump records a write of ctx's firm for every server. A failed bump is logged; the other
// servers' cached answers then live until their maximum age.
func (r *Redis) Bump(ctx context.Context) {
	id := db.FirmOf(ctx)
	if id == "" {
		return
	}
	if err := r.client.Incr(context.WithoutCancel(ctx), r.prefix+"firm:"+id).Err(); err != nil {
		r.log.Warn("data version not bumped in Redis; other servers may answer from their caches until max age",
			"error", err.Error())
	}
}
