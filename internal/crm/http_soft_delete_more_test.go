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

// Records of other modules hold their client and contract back: a client with a live project
// and a contract with a live project are not deleted; once the project is deleted they are, and
// a deleted client cannot be named by a new project.
func TestClientAndContractHeldByTheirProjects(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	project := func(client string, fields map[string]any) string {
		body := map[string]any{"client": client, "name": "Project " + client[len(client)-6:], "start_date": "2026-01-01", "end_date": "2026-12-31",
			"hourly_rate": "150.00"}
		for k, v := range fields {
			body[k] = v
		}
		r := s.Do(t, http.MethodPost, "/api/projects/projects/", tok, body)
		testkit.WantStatus(t, r, http.StatusCreated)
		return testkit.Object(t, r)["id"].(string)
	}
	wantHeld := func(path, message string) {
		t.Helper()
		env := testkit.WantError(t, s.Do(t, http.MethodDelete, path, tok, nil), http.StatusConflict, "Conflict", "CONFLICT")
		if env.Error.Message != message {
			t.Errorf("DELETE %s: %q, want %q", path, env.Error.Message, message)
		}
	}

	c := s.createClient(t, tok, nil)
	p := project(c.ID, nil)
	wantHeld(clientPath(c.ID), "This client has projects, invoices or folders and cannot be deleted.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/projects/projects/"+p+"/", tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath(c.ID), tok, nil), http.StatusNoContent)
	// A deleted client is no longer found by the lookups of other records.
	r := s.Do(t, http.MethodPost, "/api/projects/projects/", tok, map[string]any{"client": c.ID, "name": "After the delete",
		"start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"})
	testkit.WantFields(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"), "client")

	c = s.createClient(t, tok, nil)
	k := s.postContract(t, tok, c.ID, nil).ID
	p = project(c.ID, map[string]any{"contract": k})
	wantHeld(contractsURL+k+"/", "This contract is referenced by other records and cannot be deleted.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/projects/projects/"+p+"/", tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, contractsURL+k+"/", tok, nil), http.StatusNoContent)
}
