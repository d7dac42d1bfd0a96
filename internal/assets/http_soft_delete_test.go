package assets_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// A deleted asset leaves gets and lists at once, is shown marked by include_deleted to owners
// only, comes back on the owner's restore alone, and its tag is free meanwhile.
func TestAssetSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	consultant := f.AddUser(t, "consultant")
	tag := assetBody(nil)["asset_tag"].(string)
	id := s.createAsset(t, f.Owner.Token, map[string]any{"asset_tag": tag}).ID
	path := assetPath(id)

	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, "NotFound", "NOT_FOUND")
	if _, rows := s.listAssets(t, f.Owner.Token, "page_size=100"); len(rows) != 0 {
		t.Fatalf("deleted asset still listed: %v", assetNames(rows))
	}
	_, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, assetsPath, "include_deleted=true&page_size=100")
	if len(rows) != 1 || rows[0]["id"] != id || rows[0]["deleted_at"] == nil || rows[0]["deleted_by"] != f.Owner.ID {
		t.Fatalf("include_deleted rows = %v", rows)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, assetsPath+"?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, "NotFound", "NOT_FOUND")

	// The tag is free while the asset is deleted; restoring it then is a conflict.
	reused := s.createAsset(t, f.Owner.Token, map[string]any{"asset_tag": tag}).ID
	env := testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msgTagTaken {
		t.Errorf("restore over a reused tag: %q", env.Error.Message)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, assetPath(reused), f.Owner.Token, nil), http.StatusNoContent)

	r := s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["id"] != id || got["asset_tag"] != tag || got["deleted_at"] != nil {
		t.Fatalf("restored = %v", got)
	}
	if got := s.getAsset(t, f.Owner.Token, id); got.ID != id {
		t.Errorf("get after restore = %+v", got)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusConflict)
}

// An asset with maintenance logs is still not deleted.
func TestAssetWithMaintenanceIsNotSoftDeleted(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	id := s.createAsset(t, f.Owner.Token, nil).ID
	s.createLog(t, f.Owner.Token, id, nil)
	env := testkit.WantError(t, s.Do(t, http.MethodDelete, assetPath(id), f.Owner.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msgAssetInUse {
		t.Errorf("delete of an asset with maintenance: %q", env.Error.Message)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, assetPath(id), f.Owner.Token, nil), http.StatusOK)
}
