package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// addClient creates a client of f through the API and returns its id.
func addClient(t *testing.T, s *testkit.API, f *testkit.Firm) string {
	t.Helper()
	r := s.Do(t, http.MethodPost, "/api/v1/crm/clients/", f.Owner.Token, map[string]any{
		"company_name": "Acme Ltd", "primary_contact_name": "Ada Acme", "primary_contact_email": "ada@acme.example",
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

// TestJSONKeysMatchExactly: a body key that differs from a field only in case is an unknown
// field (400 "Unknown field." on that key), never a silent write to the field it folds to —
// read-only fields included, and in nested objects too.
func TestJSONKeysMatchExactly(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := addClient(t, s, f)
	r := s.Do(t, http.MethodPost, "/api/v1/crm/proposals/", tok, map[string]any{
		"client": client, "title": "Strategy review", "description": "Twelve weeks",
		"total_value": "1600.00", "valid_until": time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	proposal := testkit.Object(t, r)
	path := "/api/v1/crm/proposals/" + proposal["id"].(string) + "/"

	tests := []struct {
		name, method, path, body, field string
	}{
		{"upper-case key on PATCH", http.MethodPatch, path, `{"TITLE": "Renamed"}`, "TITLE"},
		{"mixed-case key on PATCH", http.MethodPatch, path, `{"Title": "Renamed"}`, "Title"},
		{"exact and folded key together", http.MethodPatch, path, `{"title": "Renamed", "tItle": "Other"}`, "tItle"},
		{"upper-case read-only id", http.MethodPatch, path, `{"ID": "0193a000-0000-7000-8000-000000000000"}`, "ID"},
		{"long s folds to s", http.MethodPatch, "/api/v1/crm/clients/" + client + "/",
			`{"\u017ftatus": "active"}`, "\u017ftatus"},
		{"upper-case key on POST", http.MethodPost, "/api/v1/crm/clients/",
			`{"company_name": "B", "primary_contact_name": "B", "primary_contact_email": "b@b.example", "NOTES": "x"}`, "NOTES"},
		{"login", http.MethodPost, "/api/auth/login/", `{"USERNAME": "x", "password": "y"}`, "USERNAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, tt.method, tt.path, tok, tt.body)
			testkit.WantDetails(t, r, testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR"),
				map[string][]string{tt.field: {"Unknown field."}})
		})
	}
	// Nothing above changed the proposal or the client.
	r = s.Do(t, http.MethodGet, path, tok, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r)["title"]; got != "Strategy review" {
		t.Errorf("title = %v after refused bodies, want it unchanged", got)
	}
	r = s.Do(t, http.MethodGet, "/api/v1/crm/clients/"+client+"/", tok, nil)
	if got := testkit.Object(t, r)["status"]; got != "lead" {
		t.Errorf("status = %v after refused bodies, want it unchanged (lead)", got)
	}
	// The exact keys still work, read-only ones included (a fetched object can be sent back).
	r = s.Do(t, http.MethodPatch, path, tok, map[string]any{"title": "Renamed", "id": proposal["id"]})
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r)["title"]; got != "Renamed" {
		t.Errorf("title = %v, want Renamed", got)
	}
}
