package ratelimit

import (
	"context"
	"hash/maphash"
	"strings"
	"sync"
	"time"
)

// memoryShards is the number of independently locked shards of a Memory (a power of two).
const memoryShards = 64

// sweepInterval is how often, at most, a shard drops its idle keys. Sweeping happens inside Allow
// (lazily, no goroutine), so a key that stopped hitting is gone at most one period plus this
// interval later, provided its shard still sees traffic; a shard that sees none gains no keys.
const sweepInterval = time.Minute

// Memory is an in-process Limiter. It is safe for concurrent use: keys are spread by hash over
// shards, each a map behind its own mutex. Checking an existing key allocates nothing. Idle keys
// (nothing left in their window) are dropped lazily during Allow and Check, so memory tracks the
// keys active within the last period or so; there is no background goroutine and nothing to close.
type Memory struct {
	now    func() time.Time
	seed   maphash.Seed
	shards []memoryShard
}

// memoryKey identifies one window: the caller's key under one rate.
type memoryKey struct {
	key    string
	limit  int
	period time.Duration
}

// memoryShard is one lock's worth of windows, padded to its own cache line so that shards do not
// contend through false sharing.
type memoryShard struct {
	mu        sync.Mutex
	windows   map[memoryKey]*window
	nextSweep int64 // µs since the epoch
	_         [40]byte
}

// NewMemory returns an in-process limiter reading time from now (time.Now when nil).
func NewMemory(now func() time.Time) *Memory {
	return newMemory(now, memoryShards)
}

// newMemory is NewMemory with a chosen shard count (a power of two), for tests.
func newMemory(now func() time.Time, shards int) *Memory {
	if now == nil {
		now = time.Now
	}
	m := &Memory{now: now, seed: maphash.MakeSeed(), shards: make([]memoryShard, shards)}
	for i := range m.shards {
		m.shards[i].windows = make(map[memoryKey]*window)
	}
	return m
}

// Allow checks key against rate and records the hit when allowed.
func (m *Memory) Allow(_ context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := m.check(key, rate, true)
	return d, err
}

// Check reports whether one more hit for key would be allowed now, recording nothing.
func (m *Memory) Check(_ context.Context, key string, rate Rate) (Decision, error) {
	d, _, err := m.check(key, rate, false)
	return d, err
}

// Reserve is Allow returning a Reservation of the recorded hit (nil when refused).
func (m *Memory) Reserve(_ context.Context, key string, rate Rate) (Decision, *Reservation, error) {
	d, at, err := m.check(key, rate, true)
	if err != nil || !d.Allowed {
		return d, nil, err
	}
	return d, &Reservation{owner: m, key: key, rate: rate, at: at}, nil
}

// release takes back the hit of a Reservation made by m.
func (m *Memory) release(_ context.Context, r *Reservation) error {
	now := m.now().UnixMicro()
	sh := m.shard(r.key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if w := sh.windows[memoryKey{key: r.key, limit: r.rate.Limit, period: r.rate.Period}]; w != nil {
		w.remove(r.at, now, spanOf(r.rate))
	}
	return nil
}

// shard returns the shard holding key.
func (m *Memory) shard(key string) *memoryShard {
	return &m.shards[maphash.String(m.seed, key)&uint64(len(m.shards)-1)]
}

// Len returns the number of windows (key and rate pairs) currently held, idle ones not yet swept
// included; for metrics and tests.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		n += len(sh.windows)
		sh.mu.Unlock()
	}
	return n
}

// check is Allow (record) and Check (!record); it also returns the time of the check (µs).
func (m *Memory) check(key string, rate Rate, record bool) (Decision, int64, error) {
	if err := rate.Validate(); err != nil {
		return Decision{}, 0, err
	}
	now := m.now().UnixMicro()
	sh := m.shard(key)
	k := memoryKey{key: key, limit: rate.Limit, period: rate.Period}

	sh.mu.Lock()
	defer sh.mu.Unlock()
	if now >= sh.nextSweep {
		sh.sweep(now)
	}
	w := sh.windows[k]
	if w == nil {
		if !record {
			var empty window // an unknown key has nothing counted; do not store it
			return empty.decide(now, rate, false), now, nil
		}
		// Clone so that the map does not pin a larger string the key was sliced from (a header).
		k.key = strings.Clone(key)
		w = new(window)
		sh.windows[k] = w
	}
	return w.decide(now, rate, record), now, nil
}

// sweep drops the shard's idle windows. The caller holds the lock.
func (sh *memoryShard) sweep(now int64) {
	for k, w := range sh.windows {
		if w.idle(now, spanOf(Rate{Limit: k.limit, Period: k.period})) {
			delete(sh.windows, k)
		}
	}
	sh.nextSweep = now + sweepInterval.Microseconds()
}
