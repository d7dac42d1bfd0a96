package finance_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// A deleted bill leaves gets and lists at once, is shown marked by include_deleted to owners
// only, and comes back on the owner's restore alone.
func TestBillSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	consultant := f.AddUser(t, roleConsultant)
	id := s.createBill(t, f.Owner.Token, billBody(nil)).ID
	path := billPath(id)

	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, "NotFound", "NOT_FOUND")
	if _, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, billsPath, "page_size=100"); testkit.RowByID(rows, id) != nil {
		t.Fatalf("deleted bill still listed")
	}
	_, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, billsPath, "include_deleted=true&page_size=100")
	if row := testkit.RowByID(rows, id); row == nil || row["deleted_at"] == nil || row["deleted_by"] != f.Owner.ID {
		t.Fatalf("include_deleted row = %v", row)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, billsPath+"?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, "NotFound", "NOT_FOUND")
	r := s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["id"] != id || got["deleted_at"] != nil {
		t.Fatalf("restored = %v", got)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
}

// A bill holds its project back while live; once both are deleted, the bill comes back only
// after its project.
func TestBillOfDeletedProjectRestoresAfterIt(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	project := s.createProject(t, tok, s.createClient(t, tok), nil)
	id := s.createBill(t, tok, billBody(map[string]any{"project": project})).ID
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectsPath+project+"/", tok, nil), http.StatusConflict)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, billPath(id), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectsPath+project+"/", tok, nil), http.StatusNoContent)
	env := testkit.WantError(t, s.Do(t, http.MethodPost, billPath(id)+"restore/", tok, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != "Restore its project first." {
		t.Errorf("restore under a deleted project: %q", env.Error.Message)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodPost, projectsPath+project+"/restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, billPath(id)+"restore/", tok, nil), http.StatusOK)
}
