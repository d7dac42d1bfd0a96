package db

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// IdempotencyKey names one Idempotency-Key of one user: keys are per firm and user, so two
// callers can never see each other's responses whatever keys they choose.
type IdempotencyKey struct {
	FirmID string
	UserID string
	Key    string
}

// IdempotentResponse is the response stored under a key and replayed for its retries: the status,
// the headers that describe the body, and the body's bytes.
type IdempotentResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// IdempotencyRecord is what a key already holds: the fingerprint of the request that reserved
// it and, once that request has finished, its response (Pending until then).
type IdempotencyRecord struct {
	Fingerprint string
	Pending     bool
	Response    IdempotentResponse
}

// IdempotencyClaim is a key reserved by the request that holds it: only that request completes
// or releases it, identified by the time it reserved the key.
type IdempotencyClaim struct {
	key IdempotencyKey
	at  time.Time
}

// IdempotencyStore keeps the responses to requests sent with an Idempotency-Key (SPEC §2) in the
// idempotency_keys table, on the writer: a reservation must see every other reservation.
type IdempotencyStore struct {
	db *DB
}

// NewIdempotencyStore returns the store of d.
func NewIdempotencyStore(d *DB) *IdempotencyStore { return &IdempotencyStore{db: d} }

type idempotencyRow struct {
	bun.BaseModel `bun:"table:idempotency_keys"`

	FirmID      string    `bun:"firm_id,pk"`
	UserID      string    `bun:"user_id,pk"`
	Key         string    `bun:"idempotency_key,pk"`
	Fingerprint string    `bun:"fingerprint"`
	Status      int       `bun:"status"`
	ContentType string    `bun:"content_type"`
	Location    string    `bun:"location"`
	Body        []byte    `bun:"body"`
	CreatedAt   time.Time `bun:"created_at"`
	ExpiresAt   time.Time `bun:"expires_at"`
}

// noFirm returns ctx without the firm authentication recorded in it. The idempotency table holds
// no firm's business data: a write to it must not move the firm's data version (see OnChange),
// or every keyed POST would also empty the firm's response cache a second time, and a replay,
// which changes nothing, would empty it too.
func noFirm(ctx context.Context) context.Context { return WithFirm(ctx, "") }

// reserveAttempts bounds how often Reserve tries again when the row it conflicted with was
// deleted before it could read it (its request failed with a 5xx and released the key).
const reserveAttempts = 3

// Reserve takes the key for a request with this fingerprint until expires. When the key is free —
// never used, or its row has expired (a row past expires_at is never replayed, swept or not) —
// it returns a claim: the caller runs the request, then calls Complete or Release. Otherwise it
// returns what the key holds. The reservation is one atomic statement (an insert that may take
// over an expired row), so of concurrent requests with one key exactly one gets the claim.
func (s *IdempotencyStore) Reserve(ctx context.Context, k IdempotencyKey, fingerprint string, now, expires time.Time) (*IdempotencyClaim, *IdempotencyRecord, error) {
	ctx = noFirm(ctx)
	now, expires = Stamp(now), Stamp(expires)
	for range reserveAttempts {
		res, err := s.db.W.NewRaw(`INSERT INTO idempotency_keys
			(firm_id, user_id, idempotency_key, fingerprint, status, content_type, location, body, created_at, expires_at)
			VALUES (?, ?, ?, ?, 0, '', '', NULL, ?, ?)
			ON CONFLICT (firm_id, user_id, idempotency_key) DO UPDATE SET
				fingerprint = excluded.fingerprint, status = 0, content_type = '', location = '', body = NULL,
				created_at = excluded.created_at, expires_at = excluded.expires_at
			WHERE idempotency_keys.expires_at <= ?`,
			k.FirmID, k.UserID, k.Key, fingerprint, now, expires, now).Exec(ctx)
		if err != nil {
			return nil, nil, Translate(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, nil, Translate(err)
		} else if n == 1 {
			return &IdempotencyClaim{key: k, at: now}, nil, nil
		}
		var row idempotencyRow
		err = s.db.W.NewSelect().Model(&row).
			Where("firm_id = ? AND user_id = ? AND idempotency_key = ?", k.FirmID, k.UserID, k.Key).
			Scan(ctx)
		if IsNotFound(Translate(err)) {
			continue // released in between: try to take it again
		}
		if err != nil {
			return nil, nil, Translate(err)
		}
		return nil, &IdempotencyRecord{
			Fingerprint: row.Fingerprint,
			Pending:     row.Status == 0,
			Response: IdempotentResponse{Status: row.Status, ContentType: row.ContentType,
				Location: row.Location, Body: row.Body},
		}, nil
	}
	// The key changed hands every time it was read: some request holds it now.
	return nil, &IdempotencyRecord{Fingerprint: fingerprint, Pending: true}, nil
}

// Complete stores the response of the claim's request, to be replayed until the key expires.
func (s *IdempotencyStore) Complete(ctx context.Context, c *IdempotencyClaim, r IdempotentResponse) error {
	_, err := s.db.W.NewRaw(`UPDATE idempotency_keys SET status = ?, content_type = ?, location = ?, body = ?
		WHERE firm_id = ? AND user_id = ? AND idempotency_key = ? AND created_at = ? AND status = 0`,
		r.Status, r.ContentType, r.Location, r.Body, c.key.FirmID, c.key.UserID, c.key.Key, c.at).Exec(noFirm(ctx))
	return Translate(err)
}

// Release frees the claim's key, so that a retry runs the request again.
func (s *IdempotencyStore) Release(ctx context.Context, c *IdempotencyClaim) error {
	_, err := s.db.W.NewRaw(`DELETE FROM idempotency_keys
		WHERE firm_id = ? AND user_id = ? AND idempotency_key = ? AND created_at = ? AND status = 0`,
		c.key.FirmID, c.key.UserID, c.key.Key, c.at).Exec(noFirm(ctx))
	return Translate(err)
}

// DeleteExpired removes the keys whose time is up at now and returns how many it removed.
func (s *IdempotencyStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.W.NewRaw(`DELETE FROM idempotency_keys WHERE expires_at <= ?`, Stamp(now)).Exec(noFirm(ctx))
	if err != nil {
		return 0, Translate(err)
	}
	n, err := res.RowsAffected()
	return n, Translate(err)
}
