package assets

import (
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Category is the kind of an asset.
type Category string

// The asset categories.
const (
	CategoryComputer  Category = "computer"
	CategoryPhone     Category = "phone"
	CategoryFurniture Category = "furniture"
	CategoryVehicle   Category = "vehicle"
	CategoryEquipment Category = "equipment"
	CategorySoftware  Category = "software"
	CategoryOther     Category = "other"
)

// categories lists the categories (validation, filters, OpenAPI).
func categories() []Category {
	return []Category{CategoryComputer, CategoryPhone, CategoryFurniture, CategoryVehicle, CategoryEquipment,
		CategorySoftware, CategoryOther}
}

// DefaultCategory is a new asset's category unless the request names another.
const DefaultCategory = CategoryOther

// Status is where an asset is in its life. Any status may follow any other: a lost laptop can
// be found again.
type Status string

// The asset statuses.
const (
	StatusActive        Status = "active"
	StatusInMaintenance Status = "in_maintenance"
	StatusRetired       Status = "retired"
	StatusDisposed      Status = "disposed"
	StatusLost          Status = "lost"
)

// statuses lists the statuses in their usual order (validation, filters, OpenAPI).
func statuses() []Status {
	return []Status{StatusActive, StatusInMaintenance, StatusRetired, StatusDisposed, StatusLost}
}

// DefaultStatus is a new asset's status unless the request names another.
const DefaultStatus = StatusActive

// MaxUsefulLife bounds useful_life_years: a longer life is a typing mistake.
const MaxUsefulLife = 100

// Asset messages.
const (
	MsgAssetTagTaken    = "An asset with this tag already exists."
	MsgAssignee         = "Select a user of your firm."
	MsgPriceNegative    = "Purchase price cannot be negative"
	MsgSalvageNegative  = "Salvage value cannot be negative"
	MsgSalvageAbovePaid = "Salvage value cannot exceed purchase price"
	MsgUsefulLife       = "Useful life must be between 1 and 100 years"
	MsgAssetInUse       = "This asset has maintenance logs and cannot be deleted."
)

// assetPolicy decides who may do what to assets (SPEC §1's Assets row): owners, admins and
// accountants manage them, managers read them all, and a consultant reads the assets assigned
// to them only; any other asset is, for that consultant, not found (404), as another firm's
// is. Every action but create asks only for read access before the asset is read, so that an
// unknown asset answers 404 rather than 403.
type assetPolicy struct{}

// Maintain is the action of logging maintenance on an asset (POST assets/{id}/maintenance/).
const Maintain resource.Action = "maintain"

func (assetPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Assets)
	}
	return auth.CanRead(a, auth.Assets)
}

func (assetPolicy) AllowOn(a auth.Actor, act resource.Action, x *Asset) error {
	if !sees(a, x.AssignedTo) {
		return db.NotFound()
	}
	if act == resource.Read {
		return nil
	}
	return auth.CanWrite(a, auth.Assets)
}

// assignedOnly is the user whose assigned assets alone the caller sees: a consultant's own id,
// "" for the roles that see every asset of the firm. Lists apply it as a condition.
func assignedOnly(a auth.Actor) string {
	if a.Role == auth.Consultant {
		return a.UserID
	}
	return ""
}

// sees reports whether the caller sees an asset assigned to assignee (nil: nobody).
func sees(a auth.Actor, assignee *string) bool {
	only := assignedOnly(a)
	return only == "" || assignee != nil && *assignee == only
}

// formatProblems checks the fields of a merged asset that have a format. The rules that need
// every field or the database are checked after (AssetRules, checkAsset), so that format
// messages come first and alone.
func (x *Asset) formatProblems() fault.Fields {
	var f fault.Fields
	if x.AssignedTo != nil && !db.ValidID(*x.AssignedTo) {
		f.Add("assigned_to", MsgAssignee)
	}
	if !slices.Contains(categories(), x.Category) {
		f.Add("category", validate.ChoiceMessage(x.Category))
	}
	if !slices.Contains(statuses(), x.Status) {
		f.Add("status", validate.ChoiceMessage(x.Status))
	}
	return f
}

// AssetRules checks a merged asset's own rules: a name and a tag, amounts that are not
// negative, a salvage value within the purchase price, and a useful life of 1–100 years.
func AssetRules(x *Asset) fault.Fields {
	var f fault.Fields
	f.AddIf(x.Name == "", "name", validate.MsgRequired)
	f.AddIf(x.AssetTag == "", "asset_tag", validate.MsgRequired)
	f.AddIf(x.PurchasePrice != nil && *x.PurchasePrice < 0, "purchase_price", MsgPriceNegative)
	switch {
	case x.SalvageValue != nil && *x.SalvageValue < 0:
		f.Add("salvage_value", MsgSalvageNegative)
	case x.SalvageValue != nil && x.PurchasePrice != nil && *x.SalvageValue > *x.PurchasePrice:
		f.Add("salvage_value", MsgSalvageAbovePaid)
	}
	f.AddIf(x.UsefulLifeYears != nil && (*x.UsefulLifeYears < 1 || *x.UsefulLifeYears > MaxUsefulLife),
		"useful_life_years", MsgUsefulLife)
	return f
}
