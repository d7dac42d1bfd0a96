// Package ratelimit counts hits per key under rates such as "100/min" (SPEC §10): in-process by
// default (Memory), shared by every instance through Redis (Redis), and falling back from Redis to
// in-process limits while Redis fails (Fallback). The HTTP layer picks the keys (user or client IP,
// per scope) and turns a refused Decision into a 429 with Retry-After.
//
// # Algorithm: a sliding window of sub-windows, never too lenient
//
// A Rate allows Limit hits in any span of Period. Each key keeps, per rate, 21 slots; a slot counts
// the hits of one sub-window of Period/20 and remembers the time of the newest of them. A slot's
// hits count until that newest time plus Period, so a burst (all hits at one instant) behaves
// exactly like a log of timestamps: 100 hits at t with "100/min" refuse the 101st until exactly
// t+1min, and all 100 slots are free again at t+1min. Spread-out hits that share a sub-window are
// held as long as the newest of them.
//
// Error bound: the limiter never allows more than Limit hits in any span of Period, because every
// hit is counted at least as long as an exact log would count it (given one clock; see Redis on
// skew between instances). In the other direction a hit may be counted up to Period/20 too long
// (3 s for a minute, 45 s for 15 minutes, 3 min for an hour), so RetryAfter and Reset may be up to
// that much later than exact, and a client pacing itself exactly at the limit may be refused a hit
// that an exact log would allow. This is stricter than the two-window estimate
// Cloudflare describes, which assumes hits were spread evenly over the previous window and can let
// nearly 2×Limit through in one Period when they were not. It costs 21 counters and times per key
// and rate (about 250 bytes) instead of two counters, and unlike an exact log (8 KB per key for
// 1000/hour) its memory does not grow with Limit.
//
// A refused hit is not recorded, so a client that keeps retrying is not locked out for longer.
// Check looks without recording.
//
// # Reservations
//
// Reserve counts events that are only known to count afterwards, such as failed logins, without
// a race: it checks and records one hit atomically (like Allow) and returns a Reservation; when
// the attempt succeeds, Release takes the hit back. Checking first and recording a failure after
// a slow password check would let every concurrent attempt through the check; with reservations
// at most Limit attempts can be under way or failed in any Period. Release removes the hit from
// its sub-window unless it has already left the window; on Redis it is a second atomic script.
// A Reservation remembers the limiter that recorded it, so a Fallback releases it there even
// after switching.
//
// # Decisions
//
// Remaining is the number of further hits allowed right now. Reset is when the window fully resets
// (every counted hit has left it, Remaining is back to Limit); ResetUnix rounds it up for
// X-RateLimit-Reset. RetryAfter, set only when refused, is when the first slot frees;
// RetryAfterSeconds rounds it up to whole seconds, at least 1, for Retry-After.
//
// # Time
//
// Every limiter reads time from an injected clock, in microseconds. The Redis script takes it as
// an argument rather than using the server's TIME, which keeps Redis and Memory identical and
// testable, at the price of relying on synchronised instance clocks; see Redis.
//
// # Memory
//
// Memory shards keys over 64 mutex-protected maps; a check of an existing key allocates nothing.
// Idle keys are swept lazily inside Allow and Check, at most once a minute per shard, so there is
// no goroutine to stop. Redis keys expire by TTL.
package ratelimit
