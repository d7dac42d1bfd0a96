package crm_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// rowByID finds the row with the id in a list page's rows.
func rowByID(rows []map[string]any, id string) map[string]any {
	for _, row := range rows {
		if row["id"] == id {
			return row
		}
	}
	return nil
}

// wantTrashCycle deletes the object at list+id+"/" as f's owner and proves the contract of
// docs/modules.md: gone from gets and lists, shown marked by include_deleted to the owner only,
// restorable by the owner alone within the firm, and back afterwards.
func wantTrashCycle(t *testing.T, s *apiServer, f, other *firm, list, id string) {
	t.Helper()
	consultant := f.AddUser(t, roleConsultant)
	path := list + id + "/"
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, typeNotFound, codeNotFound)
	if _, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "page_size=100"); rowByID(rows, id) != nil {
		t.Fatalf("%s: deleted row still listed", path)
	}
	_, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "include_deleted=true&page_size=100")
	if row := rowByID(rows, id); row == nil || row["deleted_at"] == nil || row["deleted_by"] != f.Owner.ID {
		t.Fatalf("%s: include_deleted row = %v", path, row)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, list+"?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, typeNotFound, codeNotFound)
	r := s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["id"] != id || got["deleted_at"] != nil {
		t.Fatalf("%s: restored = %v", path, got)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
}

// Proposals and contracts follow the soft delete contract, and one under a deleted client
// comes back only after the client.
func TestProposalAndContractSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	cases := []struct {
		name, list string
		create     func(clientID string) string
	}{
		{"proposal", proposalsURL, func(c string) string { return s.postProposal(t, f.Owner.Token, c, nil).ID }},
		{"contract", contractsURL, func(c string) string { return s.postContract(t, f.Owner.Token, c, nil).ID }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := s.createClient(t, f.Owner.Token, nil)
			id := tc.create(c.ID)
			// A live child holds its client back.
			testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil), http.StatusConflict)
			wantTrashCycle(t, s, f, other, tc.list, id)

			// Deleted, it no longer holds the client; restoring it then waits for the client.
			path := tc.list + id + "/"
			testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
			testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil), http.StatusNoContent)
			env := testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil),
				http.StatusConflict, "Conflict", "CONFLICT")
			if env.Error.Message != "Restore its client first." {
				t.Errorf("restore under a deleted client: %q", env.Error.Message)
			}
			testkit.WantStatus(t, s.Do(t, http.MethodPost, clientPath(c.ID)+"restore/", f.Owner.Token, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
		})
	}
}
