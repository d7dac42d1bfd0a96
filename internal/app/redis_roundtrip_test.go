package app_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the calls a Redis client sends: one per command or pipeline.
type roundTrips struct{ n atomic.Int64 }

func (c *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// With Redis, an authenticated read that is served from the caches costs one Redis call: the
// rate limit's script also brings the auth and data versions. A logout is still seen by the
// very next request.
func TestOneRedisCallPerCachedRead(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Configure: func(c *config.Config) {
		c.RedisURL = redisURL(t)
		c.RedisPrefix = "test-" + uuid.NewString()[:8] + ":"
	}})
	f := s.RegisterFirm(t)
	auditedClient(t, s, f.Owner.Token)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, "/api/crm/clients/", f.Owner.Token, nil), http.StatusOK) // fills the caches

	calls := &roundTrips{}
	s.Srv.App.Redis().AddHook(calls)
	for i := range 3 {
		calls.n.Store(0)
		r := s.Do(t, http.MethodGet, "/api/crm/clients/", f.Owner.Token, nil)
		testkit.WantStatus(t, r, http.StatusOK)
		if r.Header.Get("X-RateLimit-Limit") == "" {
			t.Fatalf("read %d: no rate-limit headers", i)
		}
		if got := calls.n.Load(); got != 1 {
			t.Errorf("read %d: %d Redis calls, want 1", i, got)
		}
	}
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/auth/logout/", f.Owner.Token, map[string]any{}), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, "/api/crm/clients/", f.Owner.Token, nil), http.StatusUnauthorized)
}
