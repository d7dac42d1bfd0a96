package assets

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Members answers whether a user id names an active user of a firm (the auth module).
type Members interface {
	IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
}

// Service is the assets module: assets and their maintenance logs.
type Service struct {
	db      *db.DB
	now     func() time.Time
	members Members
}

// NewService assembles the assets module; now defaults to time.Now.
func NewService(d *db.DB, members Members, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, members: members, now: now}
}

// Register adds the assets module's operations to the API.
func Register(a *api.API, s *Service) {
	registerAssets(a, s)
	registerMaintenance(a, s)
}

func (s *Service) stamp() time.Time { return db.Stamp(s.now()) }

// today is the caller's today: the date in the firm's time zone.
func (s *Service) today(a auth.Actor) date.Date { return date.Today(s.now(), a.Location()) }
