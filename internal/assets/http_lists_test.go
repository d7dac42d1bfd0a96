package assets_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestAssetList(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	cons := f.AddUser(t, "consultant")
	s.createAsset(t, tok, map[string]any{"name": "Beta laptop", "asset_tag": "LAP-2", "category": "computer",
		"assigned_to": cons.ID, "purchase_date": "2025-05-01", "warranty_expiry": "2027-05-01", "vendor": "Dell",
		"serial_number": "SN-BBB", "location": "Berlin"})
	s.Clock.Advance(time.Minute)
	s.createAsset(t, tok, map[string]any{"name": "alpha chair", "asset_tag": "FUR-1", "category": "furniture",
		"status": "retired", "purchase_date": "2024-01-15", "warranty_expiry": "2025-01-15", "vendor": "Vitra",
		"serial_number": "SN-AAA", "location": "Paris"})
	s.Clock.Advance(time.Minute)
	s.createAsset(t, tok, map[string]any{"name": "Gamma phone", "asset_tag": "lap-3", "category": "phone",
		"assigned_to": cons.ID, "purchase_date": "2026-02-01", "warranty_expiry": "2026-08-01", "vendor": "Apple",
		"serial_number": "SN-CCC", "location": "Berlin"})

	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"Gamma phone", "alpha chair", "Beta laptop"}}, // -created_at by default
		{"ordering=name", []string{"alpha chair", "Beta laptop", "Gamma phone"}},
		{"ordering=-asset_tag", []string{"lap-3", "LAP-2", "FUR-1"}},
		{"ordering=purchase_date", []string{"alpha chair", "Beta laptop", "Gamma phone"}},
		{"ordering=-warranty_expiry", []string{"Beta laptop", "Gamma phone", "alpha chair"}},
		{"category=furniture", []string{"alpha chair"}},
		{"status=retired", []string{"alpha chair"}},
		{"status=active&ordering=name", []string{"Beta laptop", "Gamma phone"}},
		{"assigned_to=" + cons.ID + "&ordering=name", []string{"Beta laptop", "Gamma phone"}},
		{"purchase_date_after=2025-01-01&purchase_date_before=2025-12-31", []string{"Beta laptop"}},
		{"warranty_expiry_before=2026-12-31&ordering=name", []string{"alpha chair", "Gamma phone"}},
		{"search=LAP&ordering=name", []string{"Beta laptop", "Gamma phone"}},
		{"search=sn-aaa", []string{"alpha chair"}},
		{"search=vitra", []string{"alpha chair"}},
		{"search=berlin+apple", []string{"Gamma phone"}},
		{"ordering=name&page_size=2&page=2", []string{"Gamma phone"}},
		{"updated_since=2026-06-01T09:02:00Z", []string{"Gamma phone"}}, // delta sync
	} {
		page, xs := s.listAssets(t, tok, tt.query)
		got := assetNames(xs)
		if tt.query == "ordering=-asset_tag" {
			got = make([]string, len(xs))
			for i, x := range xs {
				got[i] = x.AssetTag
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("?%s = %q, want %q", tt.query, got, tt.want)
		}
		if tt.query != "ordering=name&page_size=2&page=2" && page.Count != int64(len(tt.want)) {
			t.Errorf("?%s: count %d, want %d", tt.query, page.Count, len(tt.want))
		}
	}
	for q, field := range map[string]string{"category=boat": "category", "status=stolen": "status",
		"assigned_to=nobody": "assigned_to", "purchase_date_after=soon": "purchase_date_after", "ordering=book_value": "ordering"} {
		r := s.Do(t, http.MethodGet, assetsPath+"?"+q, tok, nil)
		env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
		testkit.WantFields(t, r, env, field)
	}
	r := s.Do(t, http.MethodGet, assetsPath+"?page=9", tok, nil)
	if r.Status != http.StatusNotFound {
		t.Errorf("a page past the end: %d, want 404", r.Status)
	}
	t.Run("a consultant's list holds their assets", func(t *testing.T) {
		_, xs := s.listAssets(t, cons.Token, "ordering=name")
		if got := assetNames(xs); !reflect.DeepEqual(got, []string{"Beta laptop", "Gamma phone"}) {
			t.Errorf("consultant lists %q", got)
		}
	})
}

// A list page costs the same number of statements for 1 row as for 200: the assignee's name is
// joined and book values are computed in Go, never a query per row.
func TestAssetListQueryCount(t *testing.T) {
	t.Parallel()
	s := &apiServer{testkit.StartAPI(t, testkit.APIOptions{Count: true})}
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, "consultant")
	const n = 6
	for range n {
		x := s.createAsset(t, f.Owner.Token, map[string]any{"assigned_to": cons.ID, "purchase_price": "100.00",
			"useful_life_years": 2, "purchase_date": "2025-01-01"})
		s.createLog(t, f.Owner.Token, x.ID, nil)
	}
	measure := func(path, query string) (int64, testkit.Page) {
		s.Queries.Reset()
		p, _ := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, path, query)
		return s.Queries.Count(), p
	}
	for _, path := range []string{assetsPath, maintenancePath} {
		one, p1 := measure(path, "page_size=1")
		all, p200 := measure(path, "page_size=200")
		if len(p1.Results) != 1 || len(p200.Results) != n {
			t.Fatalf("%s: pages of %d and %d results", path, len(p1.Results), len(p200.Results))
		}
		t.Logf("%s: statements per list request: %d (%s)", path, all, s.DB().Dialect)
		if one != all || all > 6 {
			t.Errorf("%s: statements %d for page_size=1, %d for page_size=200; want the same handful", path, one, all)
		}
	}
}
