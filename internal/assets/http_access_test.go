package assets_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §1's Assets row: owner, admin and accountant manage assets and maintenance; managers
// read; a consultant reads the assets assigned to them (and their maintenance), and any other
// asset is not found for them, as another firm's is for everyone.
func TestAssetAccessByRole(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	cons := users["consultant"]
	mine := s.createAsset(t, f.Owner.Token, map[string]any{"name": "Mine", "assigned_to": cons.ID})
	theirs := s.createAsset(t, f.Owner.Token, map[string]any{"name": "Theirs"})

	tests := []struct {
		role                      string
		create, read, update, del int // on an asset they see
		readOther, updateOther    int // on an asset not assigned to them
		listed                    int // assets in their list
	}{
		{"owner", 201, 200, 200, 204, 200, 200, 2},
		{"admin", 201, 200, 200, 204, 200, 200, 2},
		{"accountant", 201, 200, 200, 204, 200, 200, 2},
		{"manager", 403, 200, 403, 403, 200, 403, 2},
		{"consultant", 403, 200, 403, 403, 404, 404, 1},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			tok := users[tt.role].Token
			r := s.Do(t, http.MethodPost, assetsPath, tok, assetBody(nil))
			testkit.WantStatusOrForbidden(t, r, tt.create)
			_, xs := s.listAssets(t, tok, "ordering=name")
			n := 0
			for _, x := range xs {
				if x.ID == mine.ID || x.ID == theirs.ID {
					n++
				}
			}
			if n != tt.listed {
				t.Errorf("listed %d of the two assets (%v), want %d", n, assetNames(xs), tt.listed)
			}
			testkit.WantStatus(t, s.Do(t, http.MethodGet, assetPath(mine.ID), tok, nil), tt.read)
			wantStatus(t, s.Do(t, http.MethodGet, assetPath(theirs.ID), tok, nil), tt.readOther)
			wantStatus(t, s.Do(t, http.MethodPatch, assetPath(mine.ID), tok, map[string]any{"notes": tt.role}), tt.update)
			wantStatus(t, s.Do(t, http.MethodPatch, assetPath(theirs.ID), tok, map[string]any{"notes": tt.role}), tt.updateOther)
			wantStatus(t, s.Do(t, http.MethodPut, assetPath(theirs.ID), tok, assetBody(nil)), tt.updateOther)
			// Delete a fresh asset assigned to the consultant, so that every role meets one it sees.
			victim := s.createAsset(t, f.Owner.Token, map[string]any{"assigned_to": cons.ID})
			wantStatus(t, s.Do(t, http.MethodDelete, assetPath(victim.ID), tok, nil), tt.del)
			hidden := s.createAsset(t, f.Owner.Token, nil)
			wantStatus(t, s.Do(t, http.MethodDelete, assetPath(hidden.ID), tok, nil), map[bool]int{true: 404, false: tt.del}[tt.role == "consultant"])
		})
	}
	t.Run("a refused body is not read first", func(t *testing.T) {
		// The policy runs before the body: a manager's malformed change is a 403, a consultant's
		// on an asset they do not see a 404.
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, assetPath(mine.ID), users["manager"].Token, map[string]any{"purchase_price": "x"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodPatch, assetPath(theirs.ID), cons.Token, map[string]any{"purchase_price": "x"}))
	})
	t.Run("a consultant's assets filter to theirs", func(t *testing.T) {
		page, xs := s.listAssets(t, cons.Token, "assigned_to="+f.Owner.ID)
		if page.Count != 0 || len(xs) != 0 {
			t.Errorf("a consultant filtering on another user sees %v", assetNames(xs))
		}
	})
	t.Run("unauthenticated", func(t *testing.T) {
		testkit.WantError(t, s.Do(t, http.MethodGet, assetsPath, "", nil), http.StatusUnauthorized, "NotAuthenticated", "UNAUTHORIZED")
	})
}

// Another firm's assets and maintenance logs are not found (404, never 403), and cannot be
// reached through filters either.
func TestAssetOtherFirmNotFound(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	x := s.createAsset(t, other.Owner.Token, nil)
	m := s.createLog(t, other.Owner.Token, x.ID, nil)
	tok := f.Owner.Token
	for _, r := range []*testkit.Response{
		s.Do(t, http.MethodGet, assetPath(x.ID), tok, nil),
		s.Do(t, http.MethodPatch, assetPath(x.ID), tok, map[string]any{"name": "Mine now"}),
		s.Do(t, http.MethodPut, assetPath(x.ID), tok, assetBody(nil)),
		s.Do(t, http.MethodDelete, assetPath(x.ID), tok, nil),
		s.Do(t, http.MethodGet, assetMaintenancePath(x.ID), tok, nil),
		s.Do(t, http.MethodPost, assetMaintenancePath(x.ID), tok, logBody(nil)),
		s.Do(t, http.MethodGet, logPath(m.ID), tok, nil),
		s.Do(t, http.MethodPatch, logPath(m.ID), tok, map[string]any{"notes": "x"}),
		s.Do(t, http.MethodDelete, logPath(m.ID), tok, nil),
		s.Do(t, http.MethodGet, assetPath(unknownID), tok, nil),
		s.Do(t, http.MethodGet, assetPath("not-a-uuid"), tok, nil),
		s.Do(t, http.MethodGet, logPath("not-a-uuid"), tok, nil),
	} {
		testkit.WantNotFound(t, r)
	}
	if page, _ := s.listAssets(t, tok, ""); page.Count != 0 {
		t.Errorf("another firm's assets listed: %d", page.Count)
	}
	if page, _ := s.listLogs(t, tok, maintenancePath, "asset="+x.ID); page.Count != 0 {
		t.Errorf("another firm's logs listed: %d", page.Count)
	}
	if got := s.getAsset(t, other.Owner.Token, x.ID); got.Name != x.Name {
		t.Errorf("another firm changed the asset: %+v", got)
	}
}

// wantStatus checks a matrix cell: the envelope for 403 and 404, else the status.
func wantStatus(t testing.TB, r *testkit.Response, status int) {
	t.Helper()
	switch status {
	case http.StatusForbidden:
		testkit.WantForbidden(t, r)
	case http.StatusNotFound:
		testkit.WantNotFound(t, r)
	default:
		testkit.WantStatus(t, r, status)
	}
}
