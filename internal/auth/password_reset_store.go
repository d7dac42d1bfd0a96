package auth

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// passwordReset is one emailed reset link, by its token's hash.
type passwordReset struct {
	bun.BaseModel `bun:"table:password_resets,alias:pr"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	UserID        string     `bun:"user_id"`
	TokenHash     string     `bun:"token_hash"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
	CreatedAt     time.Time  `bun:"created_at"`
}

func (store) insertPasswordReset(ctx context.Context, idb bun.IDB, r *passwordReset) error {
	_, err := idb.NewInsert().Model(r).Exec(ctx)
	return db.Translate(err)
}

func (store) passwordResetByToken(ctx context.Context, idb bun.IDB, hash string) (*passwordReset, error) {
	r := new(passwordReset)
	err := idb.NewSelect().Model(r).Where("pr.token_hash = ?", hash).Scan(ctx)
	return r, db.Translate(err)
}

// spendPasswordResets marks reset id used (false when it already was) and every other unused
// reset of the user with it: one reset ends the others' links.
func (store) spendPasswordResets(ctx context.Context, idb bun.IDB, id, userID string, now time.Time) (bool, error) {
	res, err := idb.NewUpdate().Model((*passwordReset)(nil)).Set("used_at = ?", now).
		Where("id = ? AND used_at IS NULL", id).Exec(ctx)
	if err != nil {
		return false, db.Translate(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	_, err = idb.NewUpdate().Model((*passwordReset)(nil)).Set("used_at = ?", now).
		Where("user_id = ? AND used_at IS NULL", userID).Exec(ctx)
	return true, db.Translate(err)
}

// activeUserByEmail finds an active user by email, across firms (emails are login names).
func (store) activeUserByEmail(ctx context.Context, idb bun.IDB, email string) (*User, error) {
	u := new(User)
	err := idb.NewSelect().Model(u).Where("u.email = ? AND u.is_active = ?", email, true).Limit(1).Scan(ctx)
	return u, db.Translate(err)
}
