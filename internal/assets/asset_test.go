package assets_test

import (
	"reflect"
	"testing"

	"github.com/consultantpro/consultantpro/internal/assets"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
)

func TestAssetRulesOnTheModel(t *testing.T) {
	t.Parallel()
	amt := func(v money.Amount) *money.Amount { return &v }
	years := func(v int64) *int64 { return &v }
	valid := func() *assets.Asset { return &assets.Asset{Name: "Laptop", AssetTag: "LAP-1"} }
	tests := []struct {
		name string
		edit func(*assets.Asset)
		want fault.Fields
	}{
		{"valid", func(*assets.Asset) {}, nil},
		{"no name or tag", func(x *assets.Asset) { x.Name, x.AssetTag = "", "" },
			fault.Fields{"name": {"This field is required."}, "asset_tag": {"This field is required."}}},
		{"negative price", func(x *assets.Asset) { x.PurchasePrice = amt(-1) },
			fault.Fields{"purchase_price": {assets.MsgPriceNegative}}},
		{"zero price and salvage", func(x *assets.Asset) { x.PurchasePrice, x.SalvageValue = amt(0), amt(0) }, nil},
		{"negative salvage", func(x *assets.Asset) { x.SalvageValue = amt(-1) },
			fault.Fields{"salvage_value": {assets.MsgSalvageNegative}}},
		{"salvage above price", func(x *assets.Asset) { x.PurchasePrice, x.SalvageValue = amt(100), amt(101) },
			fault.Fields{"salvage_value": {assets.MsgSalvageAbovePaid}}},
		{"salvage equal to price", func(x *assets.Asset) { x.PurchasePrice, x.SalvageValue = amt(100), amt(100) }, nil},
		{"salvage without a price", func(x *assets.Asset) { x.SalvageValue = amt(100) }, nil},
		{"life 0", func(x *assets.Asset) { x.UsefulLifeYears = years(0) }, fault.Fields{"useful_life_years": {assets.MsgUsefulLife}}},
		{"life 1", func(x *assets.Asset) { x.UsefulLifeYears = years(1) }, nil},
		{"life 100", func(x *assets.Asset) { x.UsefulLifeYears = years(100) }, nil},
		{"life 101", func(x *assets.Asset) { x.UsefulLifeYears = years(101) }, fault.Fields{"useful_life_years": {assets.MsgUsefulLife}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := valid()
			tt.edit(x)
			if got := assets.AssetRules(x); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AssetRules = %v, want %v", got, tt.want)
			}
		})
	}
}
