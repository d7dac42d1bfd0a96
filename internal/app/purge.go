package app

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/assets"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/documents"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// purgeOrder lists the soft-deleted tables children first, so that a parent deleted with its
// children goes in the same pass. Documents go through their module (their blobs too).
var purgeOrder = []struct {
	name  string
	model any
}{
	{"time_entries", (*projects.TimeEntry)(nil)},
	{"tasks", (*projects.Task)(nil)},
	{"bills", (*finance.Bill)(nil)},
	{"documents", nil},
	{"folders", (*documents.Folder)(nil)},
	{"projects", (*projects.Project)(nil)},
	{"contracts", (*crm.Contract)(nil)},
	{"proposals", (*crm.Proposal)(nil)},
	{"clients", (*crm.Client)(nil)},
	{"assets", (*assets.Asset)(nil)},
}

// PurgeDeleted removes for good the rows deleted more than PURGE_DELETED_AFTER_DAYS ago, with
// their documents' blobs; it returns how many rows of each table it removed. 0 days keeps them.
// Each removal records a purge row by the system in the audit log, with the values removed.
func (a *App) PurgeDeleted(ctx context.Context) (map[string]int, error) {
	days := a.Config.PurgeDeletedAfterDays
	if days <= 0 {
		return nil, nil
	}
	return a.PurgeDeletedBefore(ctx, a.now().Add(-time.Duration(days)*24*time.Hour))
}

// PurgeDeletedBefore removes for good the rows deleted before cutoff (see PurgeDeleted).
func (a *App) PurgeDeletedBefore(ctx context.Context, cutoff time.Time) (map[string]int, error) {
	purged := make(map[string]int)
	for _, t := range purgeOrder {
		var n int
		var err error
		if t.model == nil {
			n, err = a.documents.PurgeDocuments(ctx, cutoff)
		} else {
			n, err = a.DB.PurgeDeleted(ctx, t.model, cutoff, func(ctx context.Context, id string) context.Context {
				return audit.Purging(ctx, t.model, id)
			})
		}
		if err != nil {
			return purged, err
		}
		if n > 0 {
			purged[t.name] = n
		}
	}
	return purged, nil
}
