package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// windowScript runs one check atomically in Redis, mirroring window.decide. The window is a hash
// with fields c<i> (hit count) and l<i> (newest hit, µs) per slot i.
//
// KEYS[1] the window's key. ARGV: now (µs, from the caller's clock), period (µs), limit,
// record ("1" or "0"), the slot of now, the slot count, the key's TTL (ms).
//
// It returns {allowed (1/0), c0, l0, c1, l1, ...} after the check, expired slots as 0, 0; the
// caller derives the rest of the decision from that, with the same code as Memory. Timestamps are
// formatted explicitly with string.format('%.0f'): Lua's own tostring keeps only 14 digits, and
// this does not depend on how a Redis version converts numbers passed to redis.call.
const windowScript = `
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local record = ARGV[4] == '1'
local slot = tonumber(ARGV[5])
local slots = tonumber(ARGV[6])
local fields = {}
for i = 0, slots - 1 do
  fields[2 * i + 1] = 'c' .. i
  fields[2 * i + 2] = 'l' .. i
end
local raw = redis.call('HMGET', KEYS[1], unpack(fields))
local out = {0}
local used = 0
for i = 0, slots - 1 do
  local c = tonumber(raw[2 * i + 1]) or 0
  local l = tonumber(raw[2 * i + 2]) or 0
  if c > 0 and l + period > now then
    used = used + c
  else
    c, l = 0, 0
  end
  out[2 * i + 2] = c
  out[2 * i + 3] = l
end
if used < limit then
  out[1] = 1
  if record then
    local ci, li = 2 * slot + 2, 2 * slot + 3
    if out[ci] > 0 then
      out[ci] = out[ci] + 1
      if now > out[li] then out[li] = now end
    else
      out[ci], out[li] = 1, now
    end
    redis.call('HSET', KEYS[1], 'c' .. slot, out[ci], 'l' .. slot, string.format('%.0f', out[li]))
    redis.call('PEXPIRE', KEYS[1], ARGV[7])
  end
end
return out
`

// releaseScript takes back one hit recorded at a time, mirroring window.remove.
//
// KEYS[1] the window's key. ARGV: the hit's time (µs), now (µs), period (µs), the hit's slot.
// It returns 1 when a hit was taken back, else 0.
const releaseScript = `
local at = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local slot = ARGV[4]
local raw = redis.call('HMGET', KEYS[1], 'c' .. slot, 'l' .. slot)
local c = tonumber(raw[1]) or 0
local l = tonumber(raw[2]) or 0
if at + period <= now or c <= 0 or l + period <= now or l < at then
  return 0
end
redis.call('HSET', KEYS[1], 'c' .. slot, c - 1)
return 1
`

// Redis is a Limiter whose windows live in Redis, so that every instance of the application
// shares one budget per key. Each check is one Lua script call (one round trip, atomic). It is
// safe for concurrent use.
//
// The script takes the time from the caller's clock (now), not from Redis's TIME. That keeps the
// semantics identical to Memory and lets tests drive the clock; the cost is that instances must
// keep their clocks in step (NTP): an instance running δ ahead expires other instances' hits δ
// early, so during skew a key may get a little more than Limit per Period; one running behind only
// makes counting more conservative. Server time would be immune to skew but untestable without
// waiting, and would differ from the in-process fallback. The key's TTL (one period and a
// sub-window, on the server's clock) only reclaims memory; expiry is decided by the timestamps.
type Redis struct {
	client   redis.UniversalClient
	prefix   string
	now      func() time.Time
	script   *redis.Script
	releaser *redis.Script
}

// NewRedis returns a limiter storing its windows under prefix (e.g. "consultantpro:ratelimit:")
// through client, reading time from now (time.Now when nil).
func NewRedis(client redis.UniversalClient, prefix string, now func() time.Time) *Redis {
	if now == nil {
		now = time.Now
	}
	return &Redis{client: client, prefix: prefix, now: now, script: redis.NewScript(windowScript),
		releaser: redis.NewScript(releaseScript)}
}

// Allow checks key against rate and records the hit when allowed.
func (r *Redis) Allow(ctx context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := r.check(ctx, key, rate, true)
	return d, err
}

// Check reports whether one more hit for key would be allowed now, recording nothing.
func (r *Redis) Check(ctx context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := r.check(ctx, key, rate, false)
	return d, err
}

// Reserve is Allow returning a Reservation of the recorded hit (nil when refused).
func (r *Redis) Reserve(ctx context.Context, key string, rate Rate) (Decision, *Reservation, error) {
	d, at, err := r.check(ctx, key, rate, true)
	if err != nil || !d.Allowed {
		return d, nil, err
	}
	return d, &Reservation{owner: r, key: key, rate: rate, at: at}, nil
}

// release takes back the hit of a Reservation made by r, in one atomic script call.
func (r *Redis) release(ctx context.Context, res *Reservation) error {
	s := spanOf(res.rate)
	err := r.releaser.Run(ctx, r.client, []string{r.key(res.key, res.rate)},
		strconv.FormatInt(res.at, 10), strconv.FormatInt(r.now().UnixMicro(), 10), s.period, s.slotOf(res.at),
	).Err()
	if err != nil {
		return fmt.Errorf("ratelimit: redis: %w", err)
	}
	return nil
}

// key returns the Redis key holding key's window under rate: the prefix, the caller's key, then
// the rate, so that one key under two rates has two windows.
func (r *Redis) key(key string, rate Rate) string {
	return r.prefix + key + "|" + strconv.Itoa(rate.Limit) + "/" +
		strconv.FormatInt(rate.Period.Microseconds(), 10)
}

// check is Allow (record) and Check (!record); it also returns the time of the check (µs).
func (r *Redis) check(ctx context.Context, key string, rate Rate, record bool) (Decision, int64, error) {
	if err := rate.Validate(); err != nil {
		return Decision{}, 0, err
	}
	if r.client == nil {
		return Decision{}, 0, errors.New("ratelimit: redis limiter has no client")
	}
	now := r.now().UnixMicro()
	s := spanOf(rate)
	flag := "0"
	if record {
		flag = "1"
	}
	ttl := (s.period+s.width)/1000 + 1 // ms, rounded up
	res, err := r.script.Run(ctx, r.client, []string{r.key(key, rate)},
		strconv.FormatInt(now, 10), s.period, rate.Limit, flag, s.slotOf(now), slotCount, ttl,
	).Int64Slice()
	if err != nil {
		return Decision{}, 0, fmt.Errorf("ratelimit: redis: %w", err)
	}
	d, err := windowDecision(res, now, rate)
	return d, now, err
}

// windowDecision reads the window script's answer: allowed, then each slot's count and last hit.
func windowDecision(res []int64, now int64, rate Rate) (Decision, error) {
	if len(res) != 1+2*slotCount {
		return Decision{}, fmt.Errorf("ratelimit: redis: script returned %d values, want %d",
			len(res), 1+2*slotCount)
	}
	s := spanOf(rate)
	var w window
	for i := range w.count {
		w.count[i], w.last[i] = uint32(res[1+2*i]), res[2+2*i]
	}
	return w.decision(now, s, rate.Limit, w.used(now, s), res[0] == 1), nil
}
