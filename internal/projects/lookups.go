package projects

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Lookups shared by the projects, tasks and time entries of this module.

func notFound() error { return fault.New(fault.NotFound, api.MsgNotFound) }

// validID accepts canonical UUID text; anything else names no row (and must never reach
// PostgreSQL's uuid columns).
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// projectByID loads a project of the firm; NotFound for another firm's or an unknown id.
func (s *Service) projectByID(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Project, error) {
	if !validID(id) {
		return nil, notFound()
	}
	p := new(Project)
	err := firm.Select(idb, p).Where("pr.id = ?", id).Scan(ctx)
	return p, db.Translate(err)
}

// taskByID loads a task of the firm; NotFound for another firm's or an unknown id.
func (s *Service) taskByID(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Task, error) {
	if !validID(id) {
		return nil, notFound()
	}
	t := new(Task)
	err := firm.Select(idb, t).Where("t.id = ?", id).Scan(ctx)
	return t, db.Translate(err)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
