package crm_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

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
			testkit.WantTrashCycle(t, s.API, f, other, tc.list, id)

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
