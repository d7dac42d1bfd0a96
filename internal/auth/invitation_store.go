package auth

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Invitation is a pending (or used) invitation to join a firm.
type Invitation struct {
	bun.BaseModel `bun:"table:invitations,alias:iv"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	Email         string     `bun:"email"`
	Role          Role       `bun:"role"`
	FirstName     string     `bun:"first_name"`
	LastName      string     `bun:"last_name"`
	TokenHash     string     `bun:"token_hash"`
	InvitedBy     string     `bun:"invited_by"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	AcceptedAt    *time.Time `bun:"accepted_at"`
	CreatedAt     time.Time  `bun:"created_at"`
}

func (store) insertInvitation(ctx context.Context, idb bun.IDB, inv *Invitation) error {
	_, err := idb.NewInsert().Model(inv).Exec(ctx)
	return db.Translate(err)
}

func (store) invitation(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Invitation, error) {
	inv := new(Invitation)
	err := firm.Select(idb, inv).Where("iv.id = ?", id).Scan(ctx)
	return inv, db.Translate(err)
}

// invitationByToken finds an invitation by its token's hash, across firms: the invitee has no
// firm yet.
func (store) invitationByToken(ctx context.Context, idb bun.IDB, hash string) (*Invitation, error) {
	inv := new(Invitation)
	err := idb.NewSelect().Model(inv).Where("iv.token_hash = ?", hash).Scan(ctx)
	return inv, db.Translate(err)
}

func (store) setInvitationToken(ctx context.Context, idb bun.IDB, firm db.Firm, id, hash string) error {
	res, err := firm.Update(idb, (*Invitation)(nil)).Set("token_hash = ?", hash).Where("iv.id = ?", id).Exec(ctx)
	if err != nil {
		return db.Translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.NotFound()
	}
	return nil
}

// acceptInvitation marks the invitation used; false when it already was.
func (store) acceptInvitation(ctx context.Context, idb bun.IDB, id string, now time.Time) (bool, error) {
	res, err := idb.NewUpdate().Model((*Invitation)(nil)).Set("accepted_at = ?", now).
		Where("id = ? AND accepted_at IS NULL", id).Exec(ctx)
	if err != nil {
		return false, db.Translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
