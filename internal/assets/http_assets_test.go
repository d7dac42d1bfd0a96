package assets_test

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// assetKeys are the fields of an asset in every answer, none omitted.
var assetKeys = []string{"asset_tag", "assigned_to", "assigned_to_name", "book_value", "category", "created_at",
	"created_by", "currency", "id", "is_under_warranty", "location", "name", "notes", "purchase_date", "purchase_price",
	"salvage_value", "serial_number", "status", "updated_at", "useful_life_years", "vendor", "warranty_expiry"}

func TestAssetCreateDefaultsAndShape(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)

	r := s.Do(t, http.MethodPost, assetsPath, f.Owner.Token, map[string]any{"name": " Projector ", "asset_tag": "PRJ-1"})
	testkit.WantStatus(t, r, http.StatusCreated)
	m := testkit.Object(t, r)
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, assetKeys) {
		t.Errorf("keys = %q\nwant %q", keys, assetKeys)
	}
	var x asset
	testkit.Decode(t, r, &x)
	if loc := r.Header.Get("Location"); loc != "/api/v1/assets/assets/"+x.ID+"/" {
		t.Errorf("Location = %q", loc)
	}
	want := asset{ID: x.ID, Name: "Projector", AssetTag: "PRJ-1", Category: "other", Status: "active", Currency: "USD",
		CreatedBy: &f.Owner.ID, CreatedAt: "2026-03-10T09:00:00Z", UpdatedAt: "2026-03-10T09:00:00Z"}
	if !reflect.DeepEqual(x, want) {
		t.Errorf("created = %+v\nwant %+v", x, want)
	}
	if got := s.getAsset(t, f.Owner.Token, x.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("fetched = %+v\nwant %+v", got, want)
	}

	t.Run("every field set", func(t *testing.T) {
		cons := f.AddUser(t, "consultant")
		got := s.createAsset(t, f.Owner.Token, map[string]any{"name": "MacBook Pro", "asset_tag": "LAP-0042",
			"category": "computer", "status": "in_maintenance", "assigned_to": cons.ID, "purchase_price": "1200.00",
			"purchase_date": "2025-03-10", "vendor": "Apple", "useful_life_years": 3, "salvage_value": 0,
			"serial_number": "C02XYZ", "warranty_expiry": "2026-03-10", "location": "Berlin office", "notes": "16 GB"})
		want := asset{ID: got.ID, Name: "MacBook Pro", AssetTag: "LAP-0042", Category: "computer", Status: "in_maintenance",
			AssignedTo: &cons.ID, AssignedToName: &cons.Name, PurchasePrice: ptr("1200.00"), PurchaseDate: ptr("2025-03-10"),
			Currency: "USD", Vendor: "Apple", UsefulLifeYears: ptr(int64(3)), SalvageValue: ptr("0.00"), SerialNumber: "C02XYZ",
			WarrantyExpiry: ptr("2026-03-10"), Location: "Berlin office", Notes: "16 GB", CreatedBy: &f.Owner.ID,
			CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt, BookValue: ptr("800.00"), IsUnderWarranty: true}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("created = %+v\nwant %+v", got, want)
		}
	})
	t.Run("read-only fields in the body are ignored", func(t *testing.T) {
		got := s.createAsset(t, f.Owner.Token, map[string]any{"id": unknownID, "assigned_to_name": "X",
			"book_value": "5.00", "is_under_warranty": true, "created_by": "me", "created_at": "2000-01-01T00:00:00Z",
			"updated_at": "2000-01-01T00:00:00Z"})
		if got.ID == unknownID || got.AssignedToName != nil || got.BookValue != nil || got.IsUnderWarranty ||
			*got.CreatedBy != f.Owner.ID || got.CreatedAt != "2026-03-10T09:00:00Z" {
			t.Errorf("read-only fields taken from the body: %+v", got)
		}
	})
	t.Run("a fetched asset sent back with PUT changes nothing", func(t *testing.T) {
		x := s.createAsset(t, f.Owner.Token, map[string]any{"purchase_price": "99.99", "useful_life_years": 2})
		r := s.Do(t, http.MethodPut, assetPath(x.ID), f.Owner.Token, x)
		testkit.WantStatus(t, r, http.StatusOK)
		var got asset
		testkit.Decode(t, r, &got)
		if !reflect.DeepEqual(got, x) {
			t.Errorf("after PUT = %+v\nwant %+v", got, x)
		}
	})
}

// book_value is straight-line as of the firm's today, exact, never below salvage; the cases are
// worked by hand in depreciation_test.go's style.
func TestAssetBookValue(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	tests := []struct {
		name   string
		fields map[string]any
		want   *string
	}{
		{"1,200.00 over 3 years after 12 months", map[string]any{"purchase_price": "1200.00", "useful_life_years": 3,
			"purchase_date": "2025-03-10"}, ptr("800.00")},
		{"after 11 months", map[string]any{"purchase_price": "1200.00", "useful_life_years": 3,
			"purchase_date": "2025-03-11"}, ptr("833.33")},
		{"bought on 31 January: February's end completes a month", map[string]any{"purchase_price": "1000.00",
			"useful_life_years": 1, "purchase_date": "2026-01-31"}, ptr("916.67")},
		{"with salvage", map[string]any{"purchase_price": "1000.00", "salvage_value": "100.00", "useful_life_years": 3,
			"purchase_date": "2024-09-10"}, ptr("550.00")},
		{"after the whole life: salvage, never below", map[string]any{"purchase_price": "1000.00",
			"salvage_value": "100.00", "useful_life_years": 3, "purchase_date": "2019-01-01"}, ptr("100.00")},
		{"purchase date in the future", map[string]any{"purchase_price": "1200.00", "useful_life_years": 3,
			"purchase_date": "2026-06-01"}, ptr("1200.00")},
		{"zero-decimal currency", map[string]any{"currency": "JPY", "purchase_price": 100000, "useful_life_years": 3,
			"purchase_date": "2026-02-10"}, ptr("97222")},
		{"no useful life: the price", map[string]any{"purchase_price": "1200.00", "purchase_date": "2020-01-01"},
			ptr("1200.00")},
		{"no purchase price: null", map[string]any{"useful_life_years": 3, "purchase_date": "2020-01-01"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := s.createAsset(t, tok, tt.fields)
			if !reflect.DeepEqual(x.BookValue, tt.want) {
				t.Errorf("book_value = %v, want %v", deref(x.BookValue), deref(tt.want))
			}
			if got := s.getAsset(t, tok, x.ID).BookValue; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fetched book_value = %v, want %v", deref(got), deref(tt.want))
			}
		})
	}

	t.Run("lists carry it too", func(t *testing.T) {
		s.createAsset(t, tok, map[string]any{"name": "Listed", "purchase_price": "1200.00", "useful_life_years": 3,
			"purchase_date": "2025-03-10"})
		_, xs := s.listAssets(t, tok, "search=Listed")
		if len(xs) != 1 || deref(xs[0].BookValue) != "800.00" {
			t.Errorf("listed = %+v", xs)
		}
	})
}

// "Today" is the firm's: at 2026-03-09 12:00 UTC it is already 10 March in Auckland, where the
// twelfth month is complete.
func TestAssetBookValueUsesTheFirmsToday(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, map[string]any{"purchase_price": "1200.00", "useful_life_years": 3,
		"purchase_date": "2025-03-10", "warranty_expiry": "2026-03-09"})
	if got := deref(x.BookValue); got != "833.33" || !x.IsUnderWarranty {
		t.Fatalf("in UTC: book_value %s, under warranty %v; want 833.33, true", got, x.IsUnderWarranty)
	}
	f.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
	got := s.getAsset(t, f.Owner.Token, x.ID)
	if deref(got.BookValue) != "800.00" || got.IsUnderWarranty {
		t.Errorf("in Auckland: book_value %s, under warranty %v; want 800.00, false", deref(got.BookValue), got.IsUnderWarranty)
	}
	t.Run("and it moves with the clock", func(t *testing.T) {
		s.Clock.Set(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC))
		token := s.Login(t, f.Owner.Username, testkit.Password) // the old one has expired
		if got := s.getAsset(t, token, x.ID); deref(got.BookValue) != "0.00" {
			t.Errorf("after the life: book_value %s, want 0.00", deref(got.BookValue))
		}
	})
}

func TestAssetWarranty(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	for expiry, want := range map[string]bool{"2026-03-10": true, "2027-01-01": true, "2026-03-09": false, "": false} {
		fields := map[string]any{"warranty_expiry": expiry}
		if expiry == "" {
			fields = nil
		}
		if got := s.createAsset(t, f.Owner.Token, fields).IsUnderWarranty; got != want {
			t.Errorf("warranty_expiry %q: is_under_warranty %v, want %v", expiry, got, want)
		}
	}
}

func TestAssetValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	gone := f.AddUser(t, "consultant")
	f.Deactivate(t, gone)
	tests := []struct {
		name string
		body map[string]any
		want map[string][]string // exact messages on exactly these fields
		any  []string            // or: fields that must carry some message
	}{
		{name: "everything missing", body: map[string]any{},
			want: map[string][]string{"name": {msgRequired}, "asset_tag": {msgRequired}}},
		{name: "blank name", body: assetBody(map[string]any{"name": "  "}), want: map[string][]string{"name": {msgRequired}}},
		{name: "name too long", body: assetBody(map[string]any{"name": strings.Repeat("x", 256)}), any: []string{"name"}},
		{name: "tag too long", body: assetBody(map[string]any{"asset_tag": strings.Repeat("x", 51)}), any: []string{"asset_tag"}},
		{name: "negative price", body: assetBody(map[string]any{"purchase_price": "-1.00"}),
			want: map[string][]string{"purchase_price": {msgPriceNegative}}},
		{name: "three decimals", body: assetBody(map[string]any{"purchase_price": "1.005"}),
			want: map[string][]string{"purchase_price": {msgTwoDecimals}}},
		{name: "decimals in yen", body: assetBody(map[string]any{"currency": "JPY", "purchase_price": "1200.5"}),
			want: map[string][]string{"purchase_price": {msgNoDecimals}}},
		{name: "unknown currency", body: assetBody(map[string]any{"currency": "XYZ"}),
			want: map[string][]string{"currency": {msgUnknownCurrency}}},
		{name: "negative salvage", body: assetBody(map[string]any{"salvage_value": "-0.01"}),
			want: map[string][]string{"salvage_value": {msgSalvageNegative}}},
		{name: "salvage above the price", body: assetBody(map[string]any{"purchase_price": "100.00", "salvage_value": "100.01"}),
			want: map[string][]string{"salvage_value": {msgSalvageAbovePrice}}},
		{name: "no useful life", body: assetBody(map[string]any{"useful_life_years": 0}),
			want: map[string][]string{"useful_life_years": {msgUsefulLife}}},
		{name: "a useful life too long", body: assetBody(map[string]any{"useful_life_years": 101}),
			want: map[string][]string{"useful_life_years": {msgUsefulLife}}},
		{name: "malformed dates", body: assetBody(map[string]any{"purchase_date": "2026-02-30", "warranty_expiry": "soon"}),
			want: map[string][]string{"purchase_date": {msgBadDate}, "warranty_expiry": {msgBadDate}}},
		{name: "unknown category", body: assetBody(map[string]any{"category": "boat"}), any: []string{"category"}},
		{name: "unknown status", body: assetBody(map[string]any{"status": "stolen"}), any: []string{"status"}},
		{name: "malformed assignee", body: assetBody(map[string]any{"assigned_to": "nobody"}),
			want: map[string][]string{"assigned_to": {msgAssignee}}},
		{name: "unknown assignee", body: assetBody(map[string]any{"assigned_to": unknownID}),
			want: map[string][]string{"assigned_to": {msgAssignee}}},
		{name: "another firm's user", body: assetBody(map[string]any{"assigned_to": other.Owner.ID}),
			want: map[string][]string{"assigned_to": {msgAssignee}}},
		{name: "a deactivated user", body: assetBody(map[string]any{"assigned_to": gone.ID}),
			want: map[string][]string{"assigned_to": {msgAssignee}}},
		{name: "unknown field", body: assetBody(map[string]any{"colour": "grey"}),
			want: map[string][]string{"colour": {msgUnknownField}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, http.MethodPost, assetsPath, f.Owner.Token, tt.body)
			if tt.want != nil {
				testkit.WantOnly(t, r, tt.want)
				return
			}
			env := testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR")
			testkit.WantOnlyFields(t, r, env, tt.any...)
		})
	}
	if _, xs := s.listAssets(t, f.Owner.Token, ""); len(xs) != 0 {
		t.Errorf("refused creates stored %d assets", len(xs))
	}

	t.Run("changes are checked too", func(t *testing.T) {
		x := s.createAsset(t, f.Owner.Token, map[string]any{"purchase_price": "100.00"})
		for _, c := range []struct {
			body map[string]any
			want map[string][]string
		}{
			{map[string]any{"name": nil}, map[string][]string{"name": {msgNull}}},
			{map[string]any{"asset_tag": nil}, map[string][]string{"asset_tag": {msgNull}}},
			{map[string]any{"salvage_value": "150.00"}, map[string][]string{"salvage_value": {msgSalvageAbovePrice}}},
			{map[string]any{"purchase_price": "-5"}, map[string][]string{"purchase_price": {msgPriceNegative}}},
			{map[string]any{"assigned_to": other.Owner.ID}, map[string][]string{"assigned_to": {msgAssignee}}},
			{map[string]any{"useful_life_years": -1}, map[string][]string{"useful_life_years": {msgUsefulLife}}},
		} {
			r := s.Do(t, http.MethodPatch, assetPath(x.ID), f.Owner.Token, c.body)
			testkit.WantOnly(t, r, c.want)
		}
		if got := s.getAsset(t, f.Owner.Token, x.ID); !reflect.DeepEqual(got, x) {
			t.Errorf("a refused change changed the asset: %+v", got)
		}
	})
	t.Run("a PATCH clears optional fields with null", func(t *testing.T) {
		cons := f.AddUser(t, "consultant")
		x := s.createAsset(t, f.Owner.Token, map[string]any{"assigned_to": cons.ID, "purchase_price": "10.00",
			"useful_life_years": 2, "purchase_date": "2026-01-01", "warranty_expiry": "2027-01-01"})
		got := s.patchAsset(t, f.Owner.Token, x.ID, map[string]any{"assigned_to": nil, "purchase_price": nil,
			"useful_life_years": nil, "purchase_date": nil, "warranty_expiry": nil})
		if got.AssignedTo != nil || got.AssignedToName != nil || got.PurchasePrice != nil || got.UsefulLifeYears != nil ||
			got.PurchaseDate != nil || got.WarrantyExpiry != nil || got.BookValue != nil {
			t.Errorf("not cleared: %+v", got)
		}
	})
}

// Asset tags are unique per firm ignoring case (a 400 on asset_tag, SPEC §2); other firms have
// their own.
func TestAssetTagUniquePerFirm(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, map[string]any{"asset_tag": "Lap-001"})

	r := s.Do(t, http.MethodPost, assetsPath, f.Owner.Token, assetBody(map[string]any{"asset_tag": "LAP-001"}))
	testkit.WantOnly(t, r, map[string][]string{"asset_tag": {msgTagTaken}})
	r = s.Do(t, http.MethodPost, assetsPath, f.Owner.Token, assetBody(map[string]any{"asset_tag": " lap-001 "}))
	testkit.WantOnly(t, r, map[string][]string{"asset_tag": {msgTagTaken}})
	s.createAsset(t, other.Owner.Token, map[string]any{"asset_tag": "LAP-001"})

	y := s.createAsset(t, f.Owner.Token, map[string]any{"asset_tag": "LAP-002"})
	r = s.Do(t, http.MethodPatch, assetPath(y.ID), f.Owner.Token, map[string]any{"asset_tag": "lap-001"})
	testkit.WantOnly(t, r, map[string][]string{"asset_tag": {msgTagTaken}})
	if got := s.patchAsset(t, f.Owner.Token, x.ID, map[string]any{"asset_tag": "LAP-001"}); got.AssetTag != "LAP-001" {
		t.Errorf("renaming an asset's own tag's case: %q", got.AssetTag)
	}
}

// Concurrent creates of one tag in different cases: the unique index decides, and the losers get
// the same 400 as the check before the write gives.
func TestAssetTagUniqueUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tags := []string{"Race-1", "RACE-1", "race-1", "Race-1", "rAcE-1", "RaCe-1"}
	results := make([]*testkit.Response, len(tags))
	var wg sync.WaitGroup
	for i, tag := range tags {
		wg.Go(func() {
			results[i] = s.Do(t, http.MethodPost, assetsPath, f.Owner.Token, assetBody(map[string]any{"asset_tag": tag}))
		})
	}
	wg.Wait()
	created := 0
	for _, r := range results {
		if r.Status == http.StatusCreated {
			created++
			continue
		}
		testkit.WantOnly(t, r, map[string][]string{"asset_tag": {msgTagTaken}})
	}
	if page, _ := s.listAssets(t, f.Owner.Token, ""); created != 1 || page.Count != 1 {
		t.Errorf("%d of the concurrent creates succeeded and %d assets exist, want 1 and 1", created, page.Count)
	}
}

// The assignee is checked when it is set or changed: an asset whose assignee has left (been
// deactivated) can still be edited, but cannot be given to them again.
func TestAssetAssigneeCheckedWhenChanged(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, "consultant")
	x := s.createAsset(t, f.Owner.Token, map[string]any{"assigned_to": cons.ID})
	y := s.createAsset(t, f.Owner.Token, nil)
	f.Deactivate(t, cons)
	if got := s.patchAsset(t, f.Owner.Token, x.ID, map[string]any{"notes": "left", "assigned_to": cons.ID}); deref(got.AssignedTo) != cons.ID {
		t.Errorf("assigned_to = %s, want the stored %s", deref(got.AssignedTo), cons.ID)
	}
	r := s.Do(t, http.MethodPatch, assetPath(y.ID), f.Owner.Token, map[string]any{"assigned_to": cons.ID})
	testkit.WantOnly(t, r, map[string][]string{"assigned_to": {msgAssignee}})
}

// Assets and maintenance logs export like every list: the CSV has the fields as titled columns, money
// as plain decimals.
func TestAssetExport(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, map[string]any{"name": "Exported", "purchase_price": "1200.00",
		"useful_life_years": 3, "purchase_date": "2025-03-10"})
	s.createLog(t, f.Owner.Token, x.ID, map[string]any{"cost": "12.50"})
	for path, want := range map[string][]string{
		assetsPath + "?format=csv":                 {"Book value", "Exported", "800.00"},
		maintenancePath + "?format=csv":            {"Cost", "12.50"},
		assetMaintenancePath(x.ID) + "?format=csv": {"Asset name", "Exported"},
	} {
		r := s.Do(t, http.MethodGet, path, f.Owner.Token, nil)
		testkit.WantStatus(t, r, http.StatusOK)
		for _, w := range want {
			if !strings.Contains(string(r.Body), w) {
				t.Errorf("%s lacks %q:\n%s", path, w, r.Body)
			}
		}
	}
}

// A change of currency keeps the figures ("1200.00" USD is "1200.00" EUR); a figure the new
// currency cannot hold is refused on its field.
func TestAssetCurrencyChange(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, map[string]any{"purchase_price": "1200.00", "salvage_value": "100.50"})
	got := s.patchAsset(t, f.Owner.Token, x.ID, map[string]any{"currency": "EUR"})
	if got.Currency != "EUR" || deref(got.PurchasePrice) != "1200.00" || deref(got.SalvageValue) != "100.50" {
		t.Errorf("in EUR: %+v", got)
	}
	r := s.Do(t, http.MethodPatch, assetPath(x.ID), f.Owner.Token, map[string]any{"currency": "JPY"})
	testkit.WantOnly(t, r, map[string][]string{"salvage_value": {msgNoDecimals}})
	got = s.patchAsset(t, f.Owner.Token, x.ID, map[string]any{"currency": "JPY", "salvage_value": 100})
	if got.Currency != "JPY" || deref(got.PurchasePrice) != "1200" || deref(got.SalvageValue) != "100" {
		t.Errorf("in JPY: %+v", got)
	}
	t.Run("the firm's currency is the default", func(t *testing.T) {
		f.Settings(t, map[string]any{"default_currency": "GBP"})
		if got := s.createAsset(t, f.Owner.Token, map[string]any{"purchase_price": "5.00"}); got.Currency != "GBP" {
			t.Errorf("currency = %s, want GBP", got.Currency)
		}
	})
}

func TestAssetDelete(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, nil)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, assetPath(x.ID), f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, assetPath(x.ID), f.Owner.Token, nil))

	y := s.createAsset(t, f.Owner.Token, nil)
	s.createLog(t, f.Owner.Token, y.ID, nil)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, assetPath(y.ID), f.Owner.Token, nil), msgAssetInUse)
	s.getAsset(t, f.Owner.Token, y.ID)
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
