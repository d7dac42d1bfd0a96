package auth

import (
	"context"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// store is the auth package's SQL. Firm-owned rows go through db.Firm scopes; the only unscoped
// lookups are the ones that happen before a firm is known: login and refresh.
type store struct{}

func (store) insertFirm(ctx context.Context, idb bun.IDB, f *Firm) error {
	_, err := idb.NewInsert().Model(f).Exec(ctx)
	return db.Translate(err)
}

func (store) firm(ctx context.Context, idb bun.IDB, id string) (*Firm, error) {
	f := new(Firm)
	err := idb.NewSelect().Model(f).Where("f.id = ?", id).Scan(ctx)
	return f, db.Translate(err)
}

func (store) updateFirm(ctx context.Context, idb bun.IDB, f *Firm, columns ...string) error {
	_, err := idb.NewUpdate().Model(f).Column(append(columns, "updated_at")...).WherePK().Exec(ctx)
	return db.Translate(err)
}

func (store) insertUser(ctx context.Context, idb bun.IDB, u *User) error {
	_, err := idb.NewInsert().Model(u).Exec(ctx)
	return db.Translate(err)
}

// userByLogin finds a user by username (case-insensitively) or email, across firms.
func (store) userByLogin(ctx context.Context, idb bun.IDB, login string) (*User, error) {
	l := strings.ToLower(strings.TrimSpace(login))
	u := new(User)
	err := idb.NewSelect().Model(u).Where("lower(u.username) = ? OR u.email = ?", l, l).Limit(1).Scan(ctx)
	return u, db.Translate(err)
}

func (store) user(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*User, error) {
	u := new(User)
	err := firm.Select(idb, u).Where("u.id = ?", id).Scan(ctx)
	return u, db.Translate(err)
}

// usernameTaken and emailTaken look across firms: both are login names.
func (store) usernameTaken(ctx context.Context, idb bun.IDB, username, exceptID string) (bool, error) {
	// Usernames and emails are one name space: login accepts either, so a username may not
	// equal anyone's email and the other way round.
	l := strings.ToLower(username)
	q := idb.NewSelect().Model((*User)(nil)).Where("(lower(u.username) = ? OR u.email = ?)", l, l)
	if exceptID != "" {
		q = q.Where("u.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

func (store) emailTaken(ctx context.Context, idb bun.IDB, email, exceptID string) (bool, error) {
	q := idb.NewSelect().Model((*User)(nil)).Where("(u.email = ? OR lower(u.username) = ?)", email, email)
	if exceptID != "" {
		q = q.Where("u.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

func (store) listUsers(ctx context.Context, idb bun.IDB, firm db.Firm, p db.ListQuery) ([]User, int64, error) {
	var users []User
	count, err := p.Window(p.Apply(firm.Select(idb, &users))).ScanAndCount(ctx)
	return users, int64(count), db.Translate(err)
}

func (store) updateUser(ctx context.Context, idb bun.IDB, firm db.Firm, u *User, columns ...string) error {
	_, err := firm.Update(idb, u).Column(append(columns, "updated_at")...).WherePK().Exec(ctx)
	return db.Translate(err)
}

// activeOwners counts the firm's active owners, locking their rows (on PostgreSQL) so that two
// concurrent demotions cannot both see a second owner. SQLite serialises writers anyway.
func (store) activeOwners(ctx context.Context, d *db.DB, idb bun.IDB, firm db.Firm) (int, error) {
	var ids []string
	q := firm.Select(idb, (*User)(nil)).Column("u.id").Where("u.role = ? AND u.is_active = ?", Owner, true)
	err := d.ForUpdate(q).Scan(ctx, &ids)
	return len(ids), db.Translate(err)
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

func (store) revokeSession(ctx context.Context, idb bun.IDB, id, reason string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Set("revoke_reason = ?", reason).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	return db.Translate(err)
}

// revokeUserSessions ends every live session of a user except keep ("" keeps none).
func (store) revokeUserSessions(ctx context.Context, idb bun.IDB, userID, keep, reason string, now time.Time) error {
	q := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Set("revoke_reason = ?", reason).
		Where("user_id = ? AND revoked_at IS NULL", userID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	_, err := q.Exec(ctx)
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
