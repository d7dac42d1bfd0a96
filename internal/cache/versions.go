// Package cache tells the data version that cached responses are checked against: a number
// bumped after every committed write, in process for a single server or in Redis for servers
// that share a database.
package cache

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Local is the data version of one process: right when this process makes every write (SQLite,
// or a single server on PostgreSQL).
type Local struct{ n atomic.Uint64 }

// Current returns the version.
func (l *Local) Current(context.Context) (uint64, error) { return l.n.Load(), nil }

// Bump records a write.
func (l *Local) Bump(context.Context) { l.n.Add(1) }

// Redis is the data version shared by every server using the same Redis key.
type Redis struct {
	client redis.UniversalClient
	key    string
	log    *slog.Logger
}

// NewRedis keeps the version under key.
func NewRedis(client redis.UniversalClient, key string, log *slog.Logger) *Redis {
	return &Redis{client: client, key: key, log: log}
}

// Current reads the shared version; while Redis is unreachable it fails, and callers bypass
// their caches.
func (r *Redis) Current(ctx context.Context) (uint64, error) {
	s, err := r.client.Get(ctx, r.key).Result()
	if err == redis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

// Bump records a write for every server. A failed bump is logged; the other servers' cached
// answers then live until their maximum age.
func (r *Redis) Bump(ctx context.Context) {
	if err := r.client.Incr(context.WithoutCancel(ctx), r.key).Err(); err != nil {
		r.log.Warn("data version not bumped in Redis; other servers may answer from their caches until max age",
			"error", err.Error())
	}
}
