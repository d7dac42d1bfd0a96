package auth

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Session is one login.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	UserID        string     `bun:"user_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	LastUsedAt    time.Time  `bun:"last_used_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	RevokeReason  string     `bun:"revoke_reason"`
	UserAgent     string     `bun:"user_agent"`
	IP            string     `bun:"ip"`
}

// refreshToken is one issued refresh token, by hash.
type refreshToken struct {
	bun.BaseModel `bun:"table:refresh_tokens,alias:rt"`
	TokenHash     string     `bun:"token_hash,pk"`
	SessionID     string     `bun:"session_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	UsedAt        *time.Time `bun:"used_at"`
}

func (store) insertSession(ctx context.Context, idb bun.IDB, s *Session) error {
	_, err := idb.NewInsert().Model(s).Exec(ctx)
	return db.Translate(err)
}

func (store) insertRefresh(ctx context.Context, idb bun.IDB, hash, sessionID string, now time.Time) error {
	_, err := idb.NewInsert().Model(&refreshToken{TokenHash: hash, SessionID: sessionID, CreatedAt: now}).Exec(ctx)
	return db.Translate(err)
}

// refreshWithSession loads a refresh token and its session.
func (store) refreshWithSession(ctx context.Context, idb bun.IDB, hash string) (*refreshToken, *Session, error) {
	rt := new(refreshToken)
	if err := idb.NewSelect().Model(rt).Where("rt.token_hash = ?", hash).Scan(ctx); err != nil {
		return nil, nil, db.Translate(err)
	}
	s := new(Session)
	if err := idb.NewSelect().Model(s).Where("s.id = ?", rt.SessionID).Scan(ctx); err != nil {
		return nil, nil, db.Translate(err)
	}
	return rt, s, nil
}

// refreshToken loads a refresh token by hash.
func (store) refreshToken(ctx context.Context, idb bun.IDB, hash string) (*refreshToken, error) {
	rt := new(refreshToken)
	err := idb.NewSelect().Model(rt).Where("rt.token_hash = ?", hash).Scan(ctx)
	return rt, db.Translate(err)
}

// markRefreshUsed consumes a refresh token; it reports false when another request consumed it
// first (a concurrent reuse).
func (store) markRefreshUsed(ctx context.Context, idb bun.IDB, hash string, now time.Time) (bool, error) {
	res, err := idb.NewUpdate().Model((*refreshToken)(nil)).Set("used_at = ?", now).
		Where("token_hash = ? AND used_at IS NULL", hash).Exec(ctx)
	if err != nil {
		return false, db.Translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, db.Translate(err)
}

func (store) touchSession(ctx context.Context, idb bun.IDB, id string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Session)(nil)).Set("last_used_at = ?", now).Where("id = ?", id).Exec(ctx)
	return db.Translate(err)
}

func (st store) revokeSession(ctx context.Context, idb bun.IDB, firmID, id, reason string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Set("revoke_reason = ?", reason).
		Where("id = ? AND firm_id = ? AND revoked_at IS NULL", id, firmID).Exec(ctx)
	st.sessions.markAuthChanged(ctx, firmID)
	return db.Translate(err)
}

// revokeUserSessions ends every live session of a user except keep ("" keeps none).
func (st store) revokeUserSessions(ctx context.Context, idb bun.IDB, firm db.Firm, userID, keep, reason string, now time.Time) error {
	q := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Set("revoke_reason = ?", reason).
		Where("user_id = ? AND firm_id = ? AND revoked_at IS NULL", userID, firm.ID())
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	_, err := q.Exec(ctx)
	st.sessions.markAuthChanged(ctx, firm.ID())
	return db.Translate(err)
}

// sessionUser is what authenticating a request needs, read in one query.
type sessionUser struct {
	Timezone  string     `bun:"timezone"`
	Currency  string     `bun:"default_currency"`
	Country   string     `bun:"country"`
	PropPfx   string     `bun:"proposal_prefix"`
	CtrPfx    string     `bun:"contract_prefix"`
	InvPfx    string     `bun:"invoice_prefix"`
	UserID    string     `bun:"user_id"`
	FirmID    string     `bun:"firm_id"`
	Role      Role       `bun:"role"`
	Username  string     `bun:"username"`
	Name      string     `bun:"name"`
	IsActive  bool       `bun:"is_active"`
	RevokedAt *time.Time `bun:"revoked_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
}

func (store) sessionUser(ctx context.Context, idb bun.IDB, sessionID, userID, firmID string) (*sessionUser, error) {
	su := new(sessionUser)
	err := idb.NewSelect().
		ColumnExpr("u.id AS user_id, u.firm_id, u.role, u.username, u.is_active, s.revoked_at, s.expires_at").
		ColumnExpr(userNameSQL("u")+" AS name").
		ColumnExpr("f.timezone, f.default_currency, f.country, f.proposal_prefix, f.contract_prefix, f.invoice_prefix").
		TableExpr("sessions AS s").
		Join("JOIN users AS u ON u.id = s.user_id").
		Join("JOIN firms AS f ON f.id = u.firm_id").
		Where("s.id = ? AND s.user_id = ? AND s.firm_id = ?", sessionID, userID, firmID).
		Scan(ctx, su)
	return su, db.Translate(err)
}

// deleteExpiredSessions removes the sessions (and, by cascade, their refresh tokens) whose
// refresh lifetime ended before now.
func (store) deleteExpiredSessions(ctx context.Context, idb bun.IDB, now time.Time) (int64, error) {
	res, err := idb.NewDelete().Model((*Session)(nil)).Where("expires_at < ?", now).Exec(ctx)
	if err != nil {
		return 0, db.Translate(err)
	}
	n, err := res.RowsAffected()
	return n, db.Translate(err)
}
