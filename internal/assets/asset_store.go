package assets

import (
	"context"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Asset is a thing the firm owns: a row of assets, with its assignee's name and, computed as of
// the caller's today (the firm's time zone), its book value and warranty.
type Asset struct {
	bun.BaseModel `bun:"table:assets,alias:a"`
	db.Deletion
	ID              string        `bun:"id,pk"`
	FirmID          string        `bun:"firm_id"`
	Name            string        `bun:"name"`
	AssetTag        string        `bun:"asset_tag"`
	Category        Category      `bun:"category"`
	Status          Status        `bun:"status"`
	AssignedTo      *string       `bun:"assigned_to"`
	PurchasePrice   *money.Amount `bun:"purchase_price"`
	PurchaseDate    date.Date     `bun:"purchase_date,nullzero"`
	Currency        string        `bun:"currency"`
	Vendor          string        `bun:"vendor"`
	UsefulLifeYears *int64        `bun:"useful_life_years"`
	SalvageValue    *money.Amount `bun:"salvage_value"`
	SerialNumber    string        `bun:"serial_number"`
	WarrantyExpiry  date.Date     `bun:"warranty_expiry,nullzero"`
	Location        string        `bun:"location"`
	Notes           string        `bun:"notes"`
	CreatedBy       *string       `bun:"created_by"`
	CreatedAt       time.Time     `bun:"created_at"`
	UpdatedAt       time.Time     `bun:"updated_at"`
	AssignedToName  *string       `bun:"assigned_to_name,scanonly"`
	BookValue       *money.Amount `bun:"-"`
	UnderWarranty   bool          `bun:"-"`
}

// assetQuery declares the asset list's filters, search and ordering.
func assetQuery() *db.ListSpec {
	filters := []db.Filter{
		{Name: "category", Column: "a.category", Kind: db.ChoiceFilter, Choices: db.Choices(categories())},
		{Name: "status", Column: "a.status", Kind: db.ChoiceFilter, Choices: db.Choices(statuses())},
		{Name: "assigned_to", Column: "a.assigned_to", Kind: db.IDFilter},
	}
	filters = append(filters, db.DateRange("purchase_date", "a.purchase_date")...)
	filters = append(filters, db.DateRange("warranty_expiry", "a.warranty_expiry")...)
	return &db.ListSpec{
		Filters: filters,
		Search:  []string{"a.name", "a.asset_tag", "a.serial_number", "a.vendor", "a.location"},
		Ordering: []db.OrderField{
			{Name: "name", Column: "lower(a.name)"},
			{Name: "asset_tag", Column: "lower(a.asset_tag)"},
			{Name: "purchase_date", Column: "a.purchase_date"},
			{Name: "warranty_expiry", Column: "a.warranty_expiry"},
			{Name: "created_at", Column: "a.created_at"},
		},
		Default:   "-created_at",
		UpdatedAt: "a.updated_at",
		ID:        "a.id",
	}
}

// ListAssets lists the firm's assets the caller sees (a consultant: those assigned to them).
func (s *Service) ListAssets(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Asset, int64, error) {
	if err := resource.Check(assetPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Asset
	sel := q.Window(q.Apply(visibleAssets(selectAssets(s.db.R, a.Firm(), &rows), a)))
	count, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	today := s.today(a)
	for i := range rows {
		if err := rows[i].compute(today); err != nil {
			return nil, 0, err
		}
	}
	return rows, int64(count), nil
}

// GetAsset returns one asset of the firm the caller sees.
func (s *Service) GetAsset(ctx context.Context, a auth.Actor, id string) (*Asset, error) {
	x, err := s.assetView(ctx, s.db.R, a, id)
	if err != nil {
		return nil, err
	}
	return x, resource.Check(assetPolicy{}, a, resource.Read, x)
}

// loadAsset reads an asset for the policy check before a request's body (resource.Loader).
func (s *Service) loadAsset(ctx context.Context, a auth.Actor, id string) (*Asset, error) {
	return s.asset(ctx, s.db.R, a.Firm(), id)
}

// CreateAsset adds an asset: edit fills in the request. The currency defaults to the firm's.
func (s *Service) CreateAsset(ctx context.Context, a auth.Actor, edit func(*Asset) fault.Fields) (*Asset, error) {
	if err := resource.Check(assetPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	by := a.UserID
	x := &Asset{ID: db.NewID(), FirmID: a.FirmID, Category: DefaultCategory, Status: DefaultStatus,
		Currency: money.CurrencyOf(a.Currency).Code, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	bad := edit(x)
	bad.Merge(x.formatProblems())
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkAsset(ctx, tx, a, nil, x); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(x).Exec(ctx)
		return db.OnUnique(db.Translate(err), "asset_tag", MsgAssetTagTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.assetView(ctx, s.db.R, a, x.ID)
}

// UpdateAsset changes an asset as edit says, if the policy lets the caller.
func (s *Service) UpdateAsset(ctx context.Context, a auth.Actor, id string, edit func(*Asset) fault.Fields) (*Asset, error) {
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		x, err := s.lockAsset(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(assetPolicy{}, a, resource.Update, x); err != nil {
			return err
		}
		old := *x
		bad := edit(x)
		bad.Merge(x.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		if err := s.checkAsset(ctx, tx, a, &old, x); err != nil {
			return err
		}
		x.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, x).WherePK().Exec(ctx)
		return db.OnUnique(db.Translate(err), "asset_tag", MsgAssetTagTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.assetView(ctx, s.db.R, a, id)
}

// DeleteAsset removes an asset without maintenance logs; otherwise 409 (retire or dispose of it
// instead, which keeps its history).
func (s *Service) DeleteAsset(ctx context.Context, a auth.Actor, id string) error {
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		x, err := s.lockAsset(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(assetPolicy{}, a, resource.Delete, x); err != nil {
			return err
		}
		logged, err := a.Firm().Exists(ctx, tx, (*Maintenance)(nil), "m.asset_id = ?", id)
		if err != nil {
			return err
		}
		if logged {
			return fault.New(fault.Conflict, MsgAssetInUse)
		}
		err = a.Firm().Remove(ctx, tx, (*Asset)(nil), id, a.UserID, s.stamp())
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgAssetInUse, err) // maintenance logged concurrently
		}
		return err
	})
}

// checkAsset applies the rules that need the database: a tag unique in the firm ignoring case,
// an assignee who is an active user of the firm (checked when set or changed), and AssetRules.
// old is nil on create.
func (s *Service) checkAsset(ctx context.Context, tx bun.IDB, a auth.Actor, old, x *Asset) error {
	firm := a.Firm()
	var bad fault.Fields
	if x.AssetTag != "" {
		taken, err := firm.Exists(ctx, tx, (*Asset)(nil), "lower(a.asset_tag) = ? AND a.id <> ?",
			strings.ToLower(x.AssetTag), x.ID)
		if err != nil {
			return err
		}
		bad.AddIf(taken, "asset_tag", MsgAssetTagTaken)
	}
	if u := x.AssignedTo; u != nil && (old == nil || old.AssignedTo == nil || *old.AssignedTo != *u) {
		ok, err := s.members.IsMember(ctx, tx, firm, *u)
		if err != nil {
			return err
		}
		bad.AddIf(!ok, "assigned_to", MsgAssignee)
	}
	bad.Merge(AssetRules(x))
	return bad.Err()
}

// compute fills in the fields computed as of today: the book value (null without a purchase
// price) and whether the warranty still runs (through its expiry date).
func (x *Asset) compute(today date.Date) error {
	x.UnderWarranty = !x.WarrantyExpiry.IsZero() && !x.WarrantyExpiry.Before(today)
	x.BookValue = nil
	if x.PurchasePrice == nil {
		return nil
	}
	d := Depreciation{Price: *x.PurchasePrice, Purchased: x.PurchaseDate}
	if x.SalvageValue != nil {
		d.Salvage = *x.SalvageValue
	}
	if x.UsefulLifeYears != nil {
		d.LifeYears = *x.UsefulLifeYears
	}
	v, err := BookValue(d, today)
	if err != nil {
		return fault.Wrap(fault.Internal, "Internal server error", err)
	}
	x.BookValue = &v
	return nil
}

// visibleAssets limits an asset query to the assets the caller sees (assetPolicy).
func visibleAssets(q *bun.SelectQuery, a auth.Actor) *bun.SelectQuery {
	if only := assignedOnly(a); only != "" {
		return q.Where("a.assigned_to = ?", only)
	}
	return q
}

// selectAssets starts a firm-scoped asset query with the display fields.
func selectAssets(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("a.*")
	return auth.WithUserName(q, "au", "a.assigned_to", "assigned_to_name")
}

// assetView reads one asset of the caller's firm with its display and computed fields.
func (s *Service) assetView(ctx context.Context, idb bun.IDB, a auth.Actor, id string) (*Asset, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	x := new(Asset)
	if err := selectAssets(idb, a.Firm(), x).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return x, x.compute(s.today(a))
}

// asset reads one asset of the firm (its row alone); NotFound for another firm's or an unknown
// id.
func (s *Service) asset(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Asset, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	x := new(Asset)
	err := firm.Select(idb, x).Where("a.id = ?", id).Scan(ctx)
	return x, db.Translate(err)
}

// lockAsset reads one asset of the firm for a change, locking its row until the transaction
// ends.
func (s *Service) lockAsset(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Asset, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	x := new(Asset)
	err := s.db.ForUpdate(firm.Select(tx, x).Where("a.id = ?", id)).Scan(ctx)
	return x, db.Translate(err)
}
