package assets

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Maintenance is one maintenance log of an asset: a row of asset_maintenance, with its asset's
// name and tag, and its asset's assignee (which the policy asks about).
type Maintenance struct {
	bun.BaseModel   `bun:"table:asset_maintenance,alias:m"`
	ID              string            `bun:"id,pk"`
	FirmID          string            `bun:"firm_id"`
	AssetID         string            `bun:"asset_id"`
	Type            MaintenanceType   `bun:"type"`
	Description     string            `bun:"description"`
	Status          MaintenanceStatus `bun:"status"`
	ScheduledDate   date.Date         `bun:"scheduled_date"`
	CompletedDate   date.Date         `bun:"completed_date,nullzero"`
	Cost            *money.Amount     `bun:"cost"`
	Currency        string            `bun:"currency"`
	PerformedBy     string            `bun:"performed_by"`
	Notes           string            `bun:"notes"`
	CreatedBy       *string           `bun:"created_by"`
	CreatedAt       time.Time         `bun:"created_at"`
	UpdatedAt       time.Time         `bun:"updated_at"`
	AssetName       *string           `bun:"asset_name,scanonly"`
	AssetTag        *string           `bun:"asset_tag,scanonly"`
	AssetAssignedTo *string           `bun:"asset_assigned_to,scanonly"`
}

// maintenanceQuery declares the maintenance list's filters, search and ordering.
func maintenanceQuery() *db.ListSpec {
	filters := []db.Filter{
		{Name: "asset", Column: "m.asset_id", Kind: db.IDFilter},
		{Name: "type", Column: "m.type", Kind: db.ChoiceFilter, Choices: db.Choices(maintenanceTypes())},
		{Name: "status", Column: "m.status", Kind: db.ChoiceFilter, Choices: db.Choices(maintenanceStatuses())},
	}
	filters = append(filters, db.DateRange("scheduled_date", "m.scheduled_date")...)
	filters = append(filters, db.DateRange("completed_date", "m.completed_date")...)
	return &db.ListSpec{
		Filters: filters,
		Search:  []string{"m.description", "m.performed_by", "ma.name", "ma.asset_tag"},
		Ordering: []db.OrderField{
			{Name: "scheduled_date", Column: "m.scheduled_date"},
			{Name: "completed_date", Column: "m.completed_date"},
			{Name: "created_at", Column: "m.created_at"},
		},
		Default:   "-scheduled_date,-created_at",
		UpdatedAt: "m.updated_at",
		ID:        "m.id",
	}
}

// ListMaintenance lists the firm's maintenance logs the caller sees (a consultant: those of the
// assets assigned to them).
func (s *Service) ListMaintenance(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Maintenance, int64, error) {
	if err := resource.Check(maintenancePolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	return s.listMaintenance(ctx, a, q, "")
}

// ListAssetMaintenance lists one asset's maintenance logs, if the caller sees the asset.
func (s *Service) ListAssetMaintenance(ctx context.Context, a auth.Actor, assetID string, q db.ListQuery) ([]Maintenance, int64, error) {
	x, err := s.asset(ctx, s.db.R, a.Firm(), assetID)
	if err != nil {
		return nil, 0, err
	}
	if err := resource.Check(assetPolicy{}, a, resource.Read, x); err != nil {
		return nil, 0, err
	}
	return s.listMaintenance(ctx, a, q, assetID)
}

func (s *Service) listMaintenance(ctx context.Context, a auth.Actor, q db.ListQuery, assetID string) ([]Maintenance, int64, error) {
	var rows []Maintenance
	sel := selectMaintenance(s.db.R, a.Firm(), &rows)
	if only := assignedOnly(a); only != "" {
		sel = sel.Where("ma.assigned_to = ?", only)
	}
	if assetID != "" {
		sel = sel.Where("m.asset_id = ?", assetID)
	}
	count, err := q.Window(q.Apply(sel)).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// GetMaintenance returns one maintenance log the caller sees.
func (s *Service) GetMaintenance(ctx context.Context, a auth.Actor, id string) (*Maintenance, error) {
	m, err := s.maintenanceView(ctx, s.db.R, a.Firm(), id)
	if err != nil {
		return nil, err
	}
	return m, resource.Check(maintenancePolicy{}, a, resource.Read, m)
}

// loadMaintenance reads a log with its asset's assignee for the policy check before a request's
// body (resource.Loader).
func (s *Service) loadMaintenance(ctx context.Context, a auth.Actor, id string) (*Maintenance, error) {
	return s.maintenanceView(ctx, s.db.R, a.Firm(), id)
}

// CreateMaintenance logs maintenance of an asset the caller may maintain: edit fills in the
// request. The currency defaults to the asset's.
func (s *Service) CreateMaintenance(ctx context.Context, a auth.Actor, assetID string, edit func(*Maintenance) fault.Fields) (*Maintenance, error) {
	now := s.stamp()
	by := a.UserID
	m := &Maintenance{ID: db.NewID(), FirmID: a.FirmID, AssetID: assetID, Status: MaintenanceScheduled,
		CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Locking the asset keeps it from being deleted while its log is written.
		x, err := s.lockAsset(ctx, tx, a.Firm(), assetID)
		if err != nil {
			return err
		}
		if err := resource.Check(assetPolicy{}, a, Maintain, x); err != nil {
			return err
		}
		m.Currency = x.Currency
		bad := edit(m)
		bad.Merge(m.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		StampMaintenance(nil, m)
		if err := MaintenanceRules(m, s.today(a)).Err(); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(m).Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.maintenanceView(ctx, s.db.R, a.Firm(), m.ID)
}

// UpdateMaintenance changes a maintenance log as edit says, if the policy lets the caller. Its
// asset stays.
func (s *Service) UpdateMaintenance(ctx context.Context, a auth.Actor, id string, edit func(*Maintenance) fault.Fields) (*Maintenance, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.lockMaintenance(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := resource.Check(maintenancePolicy{}, a, resource.Update, m); err != nil {
			return err
		}
		old := *m
		bad := edit(m)
		m.AssetID = old.AssetID
		bad.Merge(m.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		StampMaintenance(&old, m)
		if err := MaintenanceRules(m, s.today(a)).Err(); err != nil {
			return err
		}
		m.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, m).WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.maintenanceView(ctx, s.db.R, a.Firm(), id)
}

// DeleteMaintenance removes a maintenance log.
func (s *Service) DeleteMaintenance(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.lockMaintenance(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := resource.Check(maintenancePolicy{}, a, resource.Delete, m); err != nil {
			return err
		}
		_, err = a.Firm().Delete(tx, (*Maintenance)(nil)).Where("m.id = ?", id).Exec(ctx)
		return db.Translate(err)
	})
}

// selectMaintenance starts a firm-scoped maintenance query with its asset's name, tag and
// assignee.
func selectMaintenance(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("m.*").
		Join("LEFT JOIN assets AS ma ON ma.id = m.asset_id").
		ColumnExpr("ma.name AS asset_name, ma.asset_tag AS asset_tag, ma.assigned_to AS asset_assigned_to")
}

// maintenanceView reads one log of the firm with its asset's fields.
func (s *Service) maintenanceView(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Maintenance, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	m := new(Maintenance)
	err := selectMaintenance(idb, firm, m).Where("m.id = ?", id).Scan(ctx)
	return m, db.Translate(err)
}

// lockMaintenance reads one log of the firm for a change, locking its row until the transaction
// ends, and adds its asset's assignee (read apart: locking through the join would lock the
// asset too).
func (s *Service) lockMaintenance(ctx context.Context, tx bun.Tx, a auth.Actor, id string) (*Maintenance, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	m := new(Maintenance)
	if err := s.db.ForUpdate(a.Firm().Select(tx, m).Where("m.id = ?", id)).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	x, err := s.asset(ctx, tx, a.Firm(), m.AssetID)
	if err != nil {
		return nil, err
	}
	m.AssetAssignedTo = x.AssignedTo
	return m, nil
}
