package assets

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the category with its values.
func (Category) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(categories()) }

// Schema documents the status with its values.
func (Status) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(statuses()) }

// AssetOut is an asset as the API shows it.
type AssetOut struct {
	ID              string    `json:"id" format:"uuid"`
	Name            string    `json:"name"`
	AssetTag        string    `json:"asset_tag" example:"LAP-0042"`
	Category        Category  `json:"category"`
	Status          Status    `json:"status"`
	AssignedTo      *string   `json:"assigned_to" nullable:"true" format:"uuid"`
	AssignedToName  *string   `json:"assigned_to_name" nullable:"true"`
	PurchasePrice   *string   `json:"purchase_price" export:"money" nullable:"true" example:"1200.00" doc:"Money string in currency"`
	PurchaseDate    *string   `json:"purchase_date" nullable:"true" format:"date"`
	Currency        string    `json:"currency" example:"USD"`
	Vendor          string    `json:"vendor"`
	UsefulLifeYears *int64    `json:"useful_life_years" nullable:"true" example:"3"`
	SalvageValue    *string   `json:"salvage_value" export:"money" nullable:"true" example:"0.00" doc:"Money string in currency"`
	SerialNumber    string    `json:"serial_number"`
	WarrantyExpiry  *string   `json:"warranty_expiry" nullable:"true" format:"date"`
	Location        string    `json:"location"`
	Notes           string    `json:"notes"`
	CreatedBy       *string   `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	BookValue       *string   `json:"book_value" export:"money" nullable:"true" example:"800.00" doc:"Straight-line book value as of the firm's today: purchase_price − (purchase_price − salvage_value) × completed months ÷ (useful_life_years × 12), the depreciation rounded half away from zero to the minor unit, never below salvage_value; the purchase price until a month is complete or without a purchase date or useful life; null without a purchase price"`
	IsUnderWarranty bool      `json:"is_under_warranty" doc:"warranty_expiry is today (the firm's) or later"`
	resource.Trash
}

func assetOut(x *Asset) AssetOut {
	cur := money.CurrencyOf(x.Currency)
	out := AssetOut{ID: x.ID, Name: x.Name, AssetTag: x.AssetTag, Category: x.Category, Status: x.Status,
		AssignedTo: x.AssignedTo, AssignedToName: x.AssignedToName, PurchasePrice: money.FormatPtr(x.PurchasePrice, cur),
		PurchaseDate: x.PurchaseDate.OrNull(), Currency: x.Currency, Vendor: x.Vendor, UsefulLifeYears: x.UsefulLifeYears,
		SalvageValue: money.FormatPtr(x.SalvageValue, cur), SerialNumber: x.SerialNumber,
		WarrantyExpiry: x.WarrantyExpiry.OrNull(), Location: x.Location, Notes: x.Notes, CreatedBy: x.CreatedBy,
		CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC(), BookValue: money.FormatPtr(x.BookValue, cur),
		IsUnderWarranty: x.UnderWarranty}
	if x.AssignedTo == nil {
		out.AssignedToName = nil
	}
	return out
}

// AssetPatch is the body of PATCH: every field optional; a required field sent as null is
// refused. The read-only fields of AssetOut are accepted and ignored, so a fetched asset can be
// sent back.
type AssetPatch struct {
	Name            api.Nullable[string]      `json:"name,omitempty" minLength:"1" maxLength:"255"`
	AssetTag        api.Nullable[string]      `json:"asset_tag,omitempty" minLength:"1" maxLength:"50" doc:"Unique in the firm, ignoring case"`
	Category        *Category                 `json:"category,omitempty" doc:"Defaults to other"`
	Status          *Status                   `json:"status,omitempty" doc:"Defaults to active"`
	AssignedTo      api.Nullable[string]      `json:"assigned_to,omitempty" doc:"User id (an active user of your firm)"`
	PurchasePrice   api.Nullable[api.Decimal] `json:"purchase_price,omitempty" doc:"Money in currency, 0 or more"`
	PurchaseDate    api.Nullable[string]      `json:"purchase_date,omitempty" example:"2026-01-15" doc:"Date, YYYY-MM-DD; depreciation counts whole months from it"`
	Currency        *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency"`
	Vendor          *string                   `json:"vendor,omitempty" maxLength:"255"`
	UsefulLifeYears api.Nullable[int64]       `json:"useful_life_years,omitempty" doc:"Whole years, 1 to 100"`
	SalvageValue    api.Nullable[api.Decimal] `json:"salvage_value,omitempty" doc:"Money in currency, 0 up to purchase_price"`
	SerialNumber    *string                   `json:"serial_number,omitempty" maxLength:"100"`
	WarrantyExpiry  api.Nullable[string]      `json:"warranty_expiry,omitempty" example:"2028-01-15" doc:"Date, YYYY-MM-DD"`
	Location        *string                   `json:"location,omitempty" maxLength:"255"`
	Notes           *string                   `json:"notes,omitempty"`
	ID              any                       `json:"id,omitempty" readOnly:"true"`
	AssignedToName  any                       `json:"assigned_to_name,omitempty" readOnly:"true"`
	BookValue       any                       `json:"book_value,omitempty" readOnly:"true"`
	IsUnderWarranty any                       `json:"is_under_warranty,omitempty" readOnly:"true"`
	CreatedBy       any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt       any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt       any                       `json:"updated_at,omitempty" readOnly:"true"`
}

// AssetWrite is the body of POST and PUT: the patch with the required fields required.
type AssetWrite struct {
	Name     string `json:"name" minLength:"1" maxLength:"255"`
	AssetTag string `json:"asset_tag" minLength:"1" maxLength:"50" doc:"Unique in the firm, ignoring case"`
	AssetPatch
}

// apply merges the PATCH body into x and reports what cannot be merged: nulls, an unknown
// currency, malformed amounts and dates, and stored amounts the new currency cannot hold.
// Amounts are read in the asset's currency (the one sent, when valid); when x has none (a body
// checked before the stored asset is known) they are left to the service.
func (b *AssetPatch) apply(x *Asset) fault.Fields {
	var nulls []string
	api.SetText(&x.Name, api.RequiredChange("name", b.Name, &nulls))
	api.SetText(&x.AssetTag, api.RequiredChange("asset_tag", b.AssetTag, &nulls))
	api.SetID(&x.AssignedTo, b.AssignedTo.Change())
	if b.Category != nil {
		x.Category = *b.Category
	}
	if b.Status != nil {
		x.Status = *b.Status
	}
	api.SetText(&x.Vendor, b.Vendor)
	api.SetText(&x.SerialNumber, b.SerialNumber)
	api.SetText(&x.Location, b.Location)
	api.SetText(&x.Notes, b.Notes)
	x.UsefulLifeYears = b.UsefulLifeYears.Or(x.UsefulLifeYears)
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	old, cur := api.ChangeCurrency(&bad, x.Currency, b.Currency)
	x.Currency = cur.Code
	x.PurchasePrice = api.MergeAmount(&bad, "purchase_price", b.PurchasePrice, x.PurchasePrice, old, cur)
	x.SalvageValue = api.MergeAmount(&bad, "salvage_value", b.SalvageValue, x.SalvageValue, old, cur)
	purchased, warranty := b.PurchaseDate.Change(), b.WarrantyExpiry.Change()
	date.Check(&bad, "purchase_date", purchased, false)
	date.Check(&bad, "warranty_expiry", warranty, false)
	date.Set(&x.PurchaseDate, purchased)
	date.Set(&x.WarrantyExpiry, warranty)
	return bad
}

// patch is the body as a PATCH that sends every required field.
func (b *AssetWrite) patch() *AssetPatch {
	p := b.AssetPatch
	p.Name, p.AssetTag = api.Value(b.Name), api.Value(b.AssetTag)
	return &p
}

// apply merges a POST or PUT body into x.
func (b *AssetWrite) apply(x *Asset) fault.Fields { return b.patch().apply(x) }

// Check reports a POST or PUT body's format problems with the schema's errors, in one response.
func (b *AssetWrite) Check(ctx context.Context, a auth.Actor, act resource.Action) error {
	return b.patch().Check(ctx, a, act)
}

// Check reports the body's format problems with the schema's errors, in one response. The enums
// and missing or empty required fields are huma's to report. A new asset's amounts are read in
// the firm's currency; a change's stored currency is not known yet, so its amounts are checked
// here only with a sent currency (the service checks everything again in any case).
func (b *AssetPatch) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	c := *b
	c.Category, c.Status = nil, nil
	api.DropBlankValues(&c.Name, &c.AssetTag)
	x := &Asset{Category: DefaultCategory, Status: DefaultStatus}
	if act == resource.Create {
		x.Currency = money.CurrencyOf(a.Currency).Code
	}
	bad := c.apply(x)
	bad.Merge(x.formatProblems())
	return bad.Err()
}

func registerAssets(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Asset, AssetOut, AssetWrite, AssetPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Asset)(nil), Taken: MsgAssetTagTaken},
		Path:       "/assets/assets/", Name: "asset", Plural: "assets", Tag: "Assets: assets",
		Policy: assetPolicy{}, Load: s.loadAsset, Query: assetQuery(), Cache: true,
		Out: assetOut, ID: func(x *Asset) string { return x.ID },
		List:    s.ListAssets,
		Get:     s.GetAsset,
		Create:  resource.Creating(s.CreateAsset, (*AssetWrite).apply),
		Replace: resource.Updating(s.UpdateAsset, (*AssetWrite).apply),
		Update:  resource.Updating(s.UpdateAsset, (*AssetPatch).apply),
		Delete:  s.DeleteAsset,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Descriptions: map[string]string{
			"list-assets": "Owners, admins, accountants and managers see every asset of the firm; a consultant sees the " +
				"assets assigned to them. book_value and is_under_warranty are computed as of the firm's today.",
			"delete-asset": "An asset with maintenance logs cannot be deleted (409): retire or dispose of it instead.",
		},
	})
}
