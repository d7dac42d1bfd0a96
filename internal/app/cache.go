package app

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/cache"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/redis/go-redis/v9"
)

// responseMaxAge bounds how long a cached list answer may be served after a data version bump
// that did not reach Redis.
const responseMaxAge = time.Minute

// responseCache builds the list response cache and hooks the data version to the database's
// writes. SQLite has one server, so a version in memory is exact. On PostgreSQL other servers
// may write too: the version must live in Redis, and without REDIS_URL there is no cache.
func responseCache(cfg config.Config, d *db.DB, rdb *redis.Client, logs *logging.Logs, now func() time.Time) *api.ResponseCache {
	if cfg.ResponseCacheMB == 0 {
		return nil
	}
	var versions interface {
		api.Versions
		Bump(ctx context.Context)
	}
	switch {
	case rdb != nil:
		versions = cache.NewRedis(rdb, "consultantpro:data-version:", logs.App)
	case d.Dialect == db.SQLite:
		versions = new(cache.Local)
	default:
		logs.App.Info("list response cache off: PostgreSQL without REDIS_URL cannot see other servers' writes")
		return nil
	}
	d.OnChange(versions.Bump)
	return api.NewResponseCache(versions, cfg.ResponseCacheMB<<20, responseMaxAge, now)
}
