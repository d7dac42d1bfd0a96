package ratelimit

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// A window is stored in Redis as one string of slotCount records of slotBytes bytes, little
// endian: the slot's hit count (uint32) and the time of its newest hit (int64, µs). One GET reads
// it and one SETRANGE writes the slot a hit lands in, which costs Redis a fraction of what a hash
// of 2 × slotCount fields did (a hash read and written field by field was most of Redis's CPU
// under load). A missing window, or one of another length, reads as empty and is written anew.
// The key names the format (windowFormat), so a key of another layout is never read as this one.
const (
	slotBytes    = 12
	windowFormat = "w1:"
)

// windowScript runs the checks of one request atomically in Redis, each mirroring window.decide,
// in order: a hit allowed is recorded even when a later one is refused.
//
// KEYS are the windows' keys, then keys to read along (see AllowAllReading). ARGV: now (µs,
// from the caller's clock), record ("1" or "0"), the slot count, the number of windows, then per
// window its period (µs), limit, the slot of now and the key's TTL (ms).
//
// It returns, per window, allowed (1/0) and the window as it was before the check (a string as
// stored, "" when absent), then the value of each key read along (nil when absent); the caller
// applies the hit itself with the same code as Memory and derives the decision from that. Times
// are written with struct.pack's 8-byte integers: exact for µs since the epoch, which fit a Lua
// number.
const windowScript = `
local now = tonumber(ARGV[1])
local record = ARGV[2] == '1'
local slots = tonumber(ARGV[3])
local windows = tonumber(ARGV[4])
local layout = '<' .. string.rep('I4i8', slots)
local out = {}
for k = 1, windows do
  local a = 4 + (k - 1) * 4
  local period = tonumber(ARGV[a + 1])
  local limit = tonumber(ARGV[a + 2])
  local slot = tonumber(ARGV[a + 3])
  local raw = redis.call('GET', KEYS[k]) or ''
  local v = nil
  if #raw == slots * 12 then v = {struct.unpack(layout, raw)} end
  local used = 0
  if v then
    for i = 0, slots - 1 do
      local c, l = v[2 * i + 1], v[2 * i + 2]
      if c > 0 and l + period > now then used = used + c end
    end
  end
  local allowed = 0
  if used < limit then
    allowed = 1
    if record then
      local c, l = 0, 0
      if v then c, l = v[2 * slot + 1], v[2 * slot + 2] end
      if c > 0 and l + period > now then
        c = c + 1
        if now > l then l = now end
      else
        c, l = 1, now
      end
      if not v then raw = ''; redis.call('SET', KEYS[k], string.rep('\0', slots * 12)) end
      redis.call('SETRANGE', KEYS[k], slot * 12, struct.pack('<I4i8', c, l))
      redis.call('PEXPIRE', KEYS[k], ARGV[a + 4])
    end
  end
  out[2 * k - 1] = allowed
  out[2 * k] = raw
end
for k = windows + 1, #KEYS do
  out[windows + k] = redis.call('GET', KEYS[k]) or false
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
local at_byte = tonumber(ARGV[4]) * 12
local raw = redis.call('GETRANGE', KEYS[1], at_byte, at_byte + 11)
if #raw ~= 12 then
  return 0
end
local c, l = struct.unpack('<I4i8', raw)
if at + period <= now or c <= 0 or l + period <= now or l < at then
  return 0
end
redis.call('SETRANGE', KEYS[1], at_byte, struct.pack('<I4i8', c - 1, l))
return 1
`

// Redis is a Limiter whose windows live in Redis, so that every instance of the application
// shares one budget per key. Each check is one Lua script call (one round trip, atomic), and so
// are all the checks of one request (AllowAll); a script touches several keys, so the client
// must be one Redis server or a replicated one, not a Cluster. It is safe for concurrent use.
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
	return r.prefix + windowFormat + key + "|" + strconv.Itoa(rate.Limit) + "/" +
		strconv.FormatInt(rate.Period.Microseconds(), 10)
}

// check is Allow (record) and Check (!record); it also returns the time of the check (µs).
func (r *Redis) check(ctx context.Context, key string, rate Rate, record bool) (Decision, int64, error) {
	if err := rate.Validate(); err != nil {
		return Decision{}, 0, err
	}
	now := r.now().UnixMicro()
	ds, _, err := r.decide(ctx, []Hit{{Key: key, Rate: rate}}, nil, now, record)
	if err != nil {
		return Decision{}, 0, err
	}
	return ds[0], now, nil
}

// decide runs the window script for hits (valid rates) at now and returns their decisions and
// the values of the keys read along (nil for a key that does not exist).
func (r *Redis) decide(ctx context.Context, hits []Hit, reads []string, now int64, record bool) ([]Decision, []any, error) {
	if r.client == nil {
		return nil, nil, errors.New("ratelimit: redis limiter has no client")
	}
	flag := "0"
	if record {
		flag = "1"
	}
	keys := make([]string, len(hits), len(hits)+len(reads))
	args := make([]any, 0, 4+4*len(hits))
	args = append(args, strconv.FormatInt(now, 10), flag, slotCount, len(hits))
	for i, h := range hits {
		s := spanOf(h.Rate)
		keys[i] = r.key(h.Key, h.Rate)
		ttl := (s.period+s.width)/1000 + 1 // ms, rounded up
		args = append(args, s.period, h.Rate.Limit, s.slotOf(now), ttl)
	}
	keys = append(keys, reads...)
	res, err := r.script.Run(ctx, r.client, keys, args...).Slice()
	if err != nil {
		return nil, nil, fmt.Errorf("ratelimit: redis: %w", err)
	}
	if len(res) != 2*len(hits)+len(reads) {
		return nil, nil, fmt.Errorf("ratelimit: redis: script returned %d values, want %d", len(res), 2*len(hits)+len(reads))
	}
	ds := make([]Decision, len(hits))
	for i, h := range hits {
		allowed, ok1 := res[2*i].(int64)
		stored, ok2 := res[2*i+1].(string)
		if !ok1 || !ok2 {
			return nil, nil, fmt.Errorf("ratelimit: redis: script returned %T, %T", res[2*i], res[2*i+1])
		}
		ds[i] = windowDecision(stored, now, h.Rate, allowed == 1, record)
	}
	return ds, res[2*len(hits):], nil
}

// windowDecision is the decision on a window stored as the script found it (stored), given
// whether the script allowed the hit and recorded it when allowed (record): the script's check,
// replayed on the same state with window's code.
func windowDecision(stored string, now int64, rate Rate, allowed, record bool) Decision {
	var w window
	if len(stored) == slotCount*slotBytes {
		b := []byte(stored)
		for i := range w.count {
			w.count[i] = binary.LittleEndian.Uint32(b[i*slotBytes:])
			w.last[i] = int64(binary.LittleEndian.Uint64(b[i*slotBytes+4:]))
		}
	}
	s := spanOf(rate)
	used := w.used(now, s)
	if allowed && record {
		w.add(now, s)
		used++
	}
	return w.decision(now, s, rate.Limit, used, allowed)
}
