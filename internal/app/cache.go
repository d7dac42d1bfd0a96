package app

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/cache"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/redis/go-redis/v9"
)

// responseMaxAge bounds how long a cached list answer may be served after a data version bump
// that did not reach Redis.
const responseMaxAge = time.Minute

// versions is the data version the response cache checks and the database's writes bump.
type versions interface {
	api.Versions
	Bump(ctx context.Context)
}

// dataVersions chooses where the data version lives, or returns nil when responses are not
// cached. SQLite has one server, so a version in memory is exact. On PostgreSQL other servers
// may write too: the version must live in Redis, and without REDIS_URL there is no cache.
func dataVersions(cfg config.Config, rdb *redis.Client, logs *logging.Logs) versions {
	if cfg.ResponseCacheMB == 0 {
		return nil
	}
	switch {
	case rdb != nil:
		return cache.NewRedis(rdb, redisPrefix(cfg)+"data-version:", logs.App)
	case db.DialectOf(cfg.DatabaseURL) == db.SQLite:
		return new(cache.Local)
	}
	logs.App.Info("list response cache off: PostgreSQL without REDIS_URL cannot see other servers' writes")
	return nil
}

// responseCache builds the response cache on v (nil: no cache).
func responseCache(cfg config.Config, v versions, now func() time.Time) *api.ResponseCache {
	if v == nil {
		return nil
	}
	return api.NewResponseCache(v, cfg.ResponseCacheMB<<20, responseMaxAge, now)
}

// authVersions chooses where the firms' auth versions live (see auth.Versions): in memory on
// SQLite, whose one server makes every write; in Redis when servers share PostgreSQL; nowhere
// on PostgreSQL without Redis, where another server's logout could not be seen, so every
// request reads its session from the database. In Redis, the read brings the data version
// along (cache.Paired): one round trip per request for both.
func authVersions(cfg config.Config, rdb *redis.Client, data versions, logs *logging.Logs) auth.Versions {
	switch {
	case rdb != nil:
		v := cache.NewRedis(rdb, redisPrefix(cfg)+"auth-version:", logs.App)
		if d, ok := data.(*cache.Redis); ok {
			return cache.Paired{Redis: v, Data: d}
		}
		return v
	case db.DialectOf(cfg.DatabaseURL) == db.SQLite:
		return new(cache.Local)
	}
	return nil
}
