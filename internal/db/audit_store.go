package db

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// AuditEntry is one row of the audit log: a change to one object, written in the change's own
// transaction (internal/audit decides what goes in). Rows are only inserted, and removed by
// the retention purge.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID           string          `bun:"id,pk"`
	FirmID       string          `bun:"firm_id"`
	OccurredAt   time.Time       `bun:"occurred_at"`
	ActorType    string          `bun:"actor_type"` // user, system or stripe
	Actor        string          `bun:"actor"`      // the user's id, or the actor type
	Action       string          `bun:"action"`
	ResourceType string          `bun:"resource_type"`
	ResourceID   string          `bun:"resource_id"`
	Changes      json.RawMessage `bun:"changes,type:text"`
	RequestID    string          `bun:"request_id"`
	IP           string          `bun:"ip"`
	ActorName    string          `bun:"actor_name"` // the user's display name when it happened
}

// InsertAudit writes entries with idb, the transaction of the change they record.
func InsertAudit(ctx context.Context, idb bun.IDB, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	_, err := idb.NewInsert().Model(&entries).Exec(ctx)
	return Translate(err)
}

// AuditQuery is the audit log's list: filters on the object, the actor, the action and the
// time, newest first.
func AuditQuery() *ListSpec {
	return &ListSpec{
		Filters: []Filter{
			{Name: "resource_type", Column: "al.resource_type", Kind: TextFilter, Doc: "The kind of object: client, invoice, user, …"},
			{Name: "resource_id", Column: "al.resource_id", Kind: IDFilter, Doc: "One object's rows."},
			{Name: "actor", Column: "al.actor", Kind: TextFilter, Doc: "A user's id, or system (jobs) or stripe (webhooks)."},
			{Name: "action", Column: "al.action", Kind: TextFilter, Doc: "create, update, delete, restore, login, send, …"},
			{Name: "occurred_after", Column: "al.occurred_at", Kind: TimeFilter, Op: ">=", Doc: "At or after this RFC 3339 time."},
			{Name: "occurred_before", Column: "al.occurred_at", Kind: TimeFilter, Op: "<", Doc: "Before this RFC 3339 time."},
		},
		Ordering:  []OrderField{{Name: "occurred_at", Column: "al.occurred_at"}},
		Default:   "-occurred_at",
		UpdatedAt: "al.occurred_at",
		ID:        "al.id",
	}
}

// ListAudit pages the firm's audit rows; resourceType and id, when given, narrow them to one
// object's history.
func (d *DB) ListAudit(ctx context.Context, f Firm, resourceType, id string, q ListQuery) ([]AuditEntry, int64, error) {
	var rows []AuditEntry
	sel := d.R.NewSelect().Model(&rows).Where("al.firm_id = ?", f.ID())
	if resourceType != "" {
		sel = sel.Where("al.resource_type = ? AND al.resource_id = ?", resourceType, id)
	}
	count, err := q.Window(q.Apply(sel)).ScanAndCount(ctx)
	return rows, int64(count), Translate(err)
}

// PurgeAudit removes the audit rows older than cutoff, in every firm, a batch at a time; it
// returns how many it removed. It goes firm by firm, so that each cut is a range of the firm's
// log index rather than a scan of every firm's rows.
func (d *DB) PurgeAudit(ctx context.Context, cutoff time.Time) (int64, error) {
	var firms []string
	if err := d.R.NewSelect().Table("firms").Column("id").Scan(ctx, &firms); err != nil {
		return 0, Translate(err)
	}
	var total int64
	for _, firm := range firms {
		for {
			res, err := d.W.NewDelete().Model((*AuditEntry)(nil)).
				Where("id IN (?)", d.W.NewSelect().Model((*AuditEntry)(nil)).Column("id").
					Where("firm_id = ? AND occurred_at < ?", firm, Stamp(cutoff)).Limit(PurgeBatch)).Exec(ctx)
			if err != nil {
				return total, Translate(err)
			}
			n, _ := res.RowsAffected()
			total += n
			if n < PurgeBatch {
				break
			}
		}
	}
	return total, nil
}
