package app

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/redis/go-redis/v9"
)

// redisPrefix starts every Redis key of the app (REDIS_PREFIX), so deployments that share one
// Redis database keep their rate limits and data versions apart.
func redisPrefix(cfg config.Config) string {
	return cmp.Or(cfg.RedisPrefix, config.DefaultRedisPrefix)
}

// redisLog carries go-redis's own log lines (a dial that failed while Redis is down, pool
// warnings) into the app's JSON log at WARN, where go-redis would otherwise print plain text
// to stderr between the JSON lines. go-redis has one logger per process, so it is installed
// once and writes to the log of the app started last — the only one outside tests; lines
// written while no app runs are dropped.
type redisLog struct {
	to atomic.Pointer[slog.Logger]
}

var (
	redisLogger     redisLog
	installRedisLog sync.Once
)

// Printf implements go-redis's logging interface.
func (l *redisLog) Printf(ctx context.Context, format string, args ...any) {
	log := l.to.Load()
	if log == nil {
		return
	}
	detail := strings.TrimPrefix(fmt.Sprintf(format, args...), "redis: ")
	log.WarnContext(ctx, "redis client", "detail", detail)
}

// routeRedisLog sends go-redis's lines to log until the returned release is called.
func routeRedisLog(log *slog.Logger) (release func()) {
	installRedisLog.Do(func() { redis.SetLogger(&redisLogger) })
	redisLogger.to.Store(log)
	return func() { redisLogger.to.CompareAndSwap(log, nil) }
}

// Redis is the server's Redis connection (rate limits, auth and data versions), nil without
// REDIS_URL.
func (a *App) Redis() *redis.Client { return a.limits.redis }
