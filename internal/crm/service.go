package crm

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Members answers whether a user id belongs to a firm (the auth module).
type Members interface {
	IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
}

// Service is the CRM module.
type Service struct {
	db      *db.DB
	now     func() time.Time
	members Members
}

// NewService assembles the CRM module; now defaults to time.Now.
func NewService(d *db.DB, members Members, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, members: members, now: now}
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }
