package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/redis/go-redis/v9"
)

// limits are the parsed rate-limit settings.
type limits struct {
	throttle      *api.Throttle
	loginFailures ratelimit.Rate
	redis         *redis.Client // nil without REDIS_URL
	quietRedis    func()        // stops routing go-redis's log lines to this app's log
}

// newLimits builds the limiter: in-process by default; with REDIS_URL shared by every instance
// through Redis, falling back to in-process limits (and logging it) while Redis is unreachable.
func newLimits(cfg config.Config, log *slog.Logger, now func() time.Time) (*limits, error) {
	rates := map[api.Scope]string{
		api.Burst: cfg.RateBurst, api.Sustained: cfg.RateSustained, api.Anon: cfg.RateAnon,
		api.Payment: cfg.RatePayment, api.Upload: cfg.RateUpload,
	}
	l := &limits{throttle: &api.Throttle{Rates: map[api.Scope]ratelimit.Rate{}}}
	for scope, v := range rates {
		r, err := ratelimit.ParseRate(v)
		if err != nil {
			return nil, fmt.Errorf("rate for %s (%q): %w", scope, v, err)
		}
		l.throttle.Rates[scope] = r
	}
	var err error
	if l.loginFailures, err = ratelimit.ParseRate(cfg.RateLoginFailures); err != nil {
		return nil, fmt.Errorf("RATE_LOGIN_FAILURES %q: %w", cfg.RateLoginFailures, err)
	}
	memory := ratelimit.NewMemory(now)
	l.throttle.Limiter = memory
	if cfg.RedisURL == "" {
		return l, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	// Fail fast: a rate-limit check must not hold a request while Redis is down; the fallback
	// answers from memory and probes Redis again every few seconds.
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 250*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond
	opts.MaxRetries, opts.DialerRetries, opts.DialerRetryTimeout = -1, 1, 10*time.Millisecond
	l.quietRedis = routeRedisLog(log)
	l.redis = redis.NewClient(opts)
	l.throttle.Limiter = ratelimit.NewFallback(ratelimit.NewRedis(l.redis, redisPrefix(cfg)+"rl:", now), memory, log)
	return l, nil
}

// close releases the Redis connection, if any.
func (l *limits) close() {
	if l.redis != nil {
		_ = l.redis.Close()
		l.quietRedis()
	}
}
