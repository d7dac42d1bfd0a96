package notify

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// delivery is one email event's row.
type delivery struct {
	bun.BaseModel `bun:"table:email_deliveries,alias:ed"`
	EventKey      string     `bun:"event_key,pk"`
	FirmID        string     `bun:"firm_id"`
	Kind          string     `bun:"kind"`
	Recipient     string     `bun:"recipient"`
	Status        string     `bun:"status"`
	CreatedAt     time.Time  `bun:"created_at"`
	SentAt        *time.Time `bun:"sent_at"`
}

// Delivery statuses.
const (
	statusSending = "sending"
	statusSent    = "sent"
	statusSkipped = "skipped" // superseded before it was sent (a missed reminder): never sent
)

type store struct{ db *db.DB }

// claim takes the event's key for a send and reports whether it did. A key already held is
// taken over (took) only when it was left "sending" by an attempt that started before the
// current one (abandoned, non-zero): jobs of one event are unique and River runs a job again
// only after its earlier attempt has ended or its process died, so that claim's attempt is
// over, and its message may or may not have gone out. Sending again then risks a duplicate
// instead of losing the email.
func (s store) claim(ctx context.Context, d *delivery, abandoned time.Time) (claimed, took bool, err error) {
	res, err := s.db.W.NewInsert().Model(d).On("CONFLICT (event_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, false, db.Translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, false, nil
	}
	held := new(delivery)
	if err := s.db.W.NewSelect().Model(held).Where("ed.event_key = ?", d.EventKey).Scan(ctx); err != nil {
		return false, false, db.Translate(err)
	}
	if held.Status != statusSending || abandoned.IsZero() || !held.CreatedAt.Before(abandoned) {
		return false, false, nil
	}
	// Compare and set: of two takers, one wins.
	res, err = s.db.W.NewUpdate().Model((*delivery)(nil)).Set("created_at = ?", d.CreatedAt).
		Where("event_key = ? AND status = ? AND created_at = ?", d.EventKey, statusSending, held.CreatedAt).Exec(ctx)
	if err != nil {
		return false, false, db.Translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, n == 1, nil
}

// sent marks the event's email delivered.
func (s store) sent(ctx context.Context, key string, at time.Time) error {
	_, err := s.db.W.NewUpdate().Model((*delivery)(nil)).Set("status = ?", statusSent).Set("sent_at = ?", at).
		Where("event_key = ?", key).Exec(ctx)
	return db.Translate(err)
}

// release frees the key of a send that failed, so that the retry sends.
func (s store) release(ctx context.Context, key string) error {
	_, err := s.db.W.NewDelete().Model((*delivery)(nil)).Where("event_key = ? AND status = ?", key, statusSending).Exec(ctx)
	return db.Translate(err)
}

// skip records the event's email as never to be sent, unless the event already has a row.
func (s store) skip(ctx context.Context, d *delivery) error {
	d.Status = statusSkipped
	_, err := s.db.W.NewInsert().Model(d).On("CONFLICT (event_key) DO NOTHING").Exec(ctx)
	return db.Translate(err)
}

// status returns an event's delivery status ("" when it has none), for tests and operators.
func (s store) status(ctx context.Context, key string) (string, error) {
	var out []string
	err := s.db.R.NewSelect().Model((*delivery)(nil)).Column("status").Where("event_key = ?", key).Scan(ctx, &out)
	if err != nil || len(out) == 0 {
		return "", db.Translate(err)
	}
	return out[0], nil
}
