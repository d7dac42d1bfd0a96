package testkit

import (
	"net/http"
	"testing"
)

// RowByID returns the row of a list page with this id, or nil.
func RowByID(rows []map[string]any, id string) map[string]any {
	for _, row := range rows {
		if row["id"] == id {
			return row
		}
	}
	return nil
}

// WantTrashCycle deletes the object at list+id+"/" as f's owner and proves the soft-delete
// contract of docs/modules.md: gone from gets and lists, shown marked by include_deleted to
// owners and admins only, restorable by them alone within the firm (here by an admin), and back
// afterwards.
func WantTrashCycle(t *testing.T, s *API, f, other *Firm, list, id string) {
	t.Helper()
	consultant, manager, admin := f.AddUser(t, "consultant"), f.AddUser(t, "manager"), f.AddUser(t, "admin")
	path := list + id + "/"
	WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	WantNotFound(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil))
	if _, rows := ListOf[map[string]any](t, s, f.Owner.Token, list, "page_size=100"); RowByID(rows, id) != nil {
		t.Fatalf("%s: deleted row still listed", path)
	}
	for _, u := range []User{f.Owner, admin} {
		_, rows := ListOf[map[string]any](t, s, u.Token, list, "include_deleted=true&page_size=100")
		if row := RowByID(rows, id); row == nil || row["deleted_at"] == nil || row["deleted_by"] != f.Owner.ID {
			t.Fatalf("%s: include_deleted row for the %s = %v", path, u.Role, row)
		}
	}
	for _, u := range []User{consultant, manager} {
		WantForbidden(t, s.Do(t, http.MethodGet, list+"?include_deleted=true", u.Token, nil))
		WantForbidden(t, s.Do(t, http.MethodPost, path+"restore/", u.Token, nil))
	}
	WantNotFound(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil))
	r := s.Do(t, http.MethodPost, path+"restore/", admin.Token, nil)
	WantStatus(t, r, http.StatusOK)
	if got := Object(t, r); got["id"] != id || got["deleted_at"] != nil {
		t.Fatalf("%s: restored = %v", path, got)
	}
	WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
}
