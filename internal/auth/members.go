package auth

import (
	"context"
	"fmt"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// IsMember reports whether id names an active user of the firm. Later modules use it to check
// owner, assignee and project-manager fields without reading the users table themselves.
func (s *Service) IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return false, nil
	}
	ok, err := firm.Select(idb, (*User)(nil)).Where("u.id = ? AND u.is_active = ?", id, true).Exists(ctx)
	return ok, db.Translate(err)
}

// WithUserName joins a user to a list query and selects their display name (full name, else
// username) as column as — in SQL, for the whole page at once. fk is the trusted SQL expression
// of the user id (e.g. "c.owner_id"); alias must be unique within the query.
func WithUserName(q *bun.SelectQuery, alias, fk, as string) *bun.SelectQuery {
	return q.Join(fmt.Sprintf("LEFT JOIN users AS %s ON %s.id = %s", alias, alias, fk)).
		ColumnExpr(userNameSQL(alias) + " AS " + as)
}

// userNameSQL is the display name of the user joined as alias: full name, else username.
func userNameSQL(alias string) string {
	return fmt.Sprintf("COALESCE(NULLIF(TRIM(%[1]s.first_name || ' ' || %[1]s.last_name), ''), %[1]s.username)", alias)
}

// LockMember locks a user's row until tx ends (on PostgreSQL; SQLite serialises writers), so a
// rule that sums a user's records — 24 hours a day of time entries — is checked by one
// transaction at a time even when the user has no records yet.
func (s *Service) LockMember(ctx context.Context, tx bun.IDB, firm db.Firm, id string) error {
	if s.db.SerialWrites() {
		return nil
	}
	var ids []string
	err := s.db.ForUpdate(firm.Select(tx, (*User)(nil)).Column("u.id").Where("u.id = ?", id)).Scan(ctx, &ids)
	return db.Translate(err)
}
