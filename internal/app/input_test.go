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

// TestControlCharactersRefused: NUL and the other C0 control characters (tab, line feed and
// carriage return aside), and invalid UTF-8, are refused wherever text enters — a query
// parameter, a body field at any depth, a body key, anonymous operations included — with 400
// on that parameter or field, never a 500 from the database. A path holding one names nothing:
// 404.
func TestControlCharactersRefused(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := addClient(t, s, f)
	const control, utf8 = "Control characters are not allowed.", "Must be valid UTF-8 text."

	params := []struct{ name, query, param, msg string }{
		{"NUL in search", "search=Acme%00Ltd", "search", control},
		{"NUL alone in search", "search=%00", "search", control},
		{"escape in a filter", "status=%1Bactive", "status", control},
		{"NUL in ordering", "ordering=company_name%00", "ordering", control},
		{"NUL in an unknown parameter", "other=%00", "other", control},
		{"NUL in a parameter name", "sea%00rch=x", "sea\x00rch", control},
		{"invalid UTF-8 in search", "search=%FF%FE", "search", utf8},
	}
	for _, tt := range params {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, http.MethodGet, "/api/v1/crm/clients/?"+tt.query, tok, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
			if env.Error.Message != "Invalid query or path parameter." {
				t.Errorf("message %q", env.Error.Message)
			}
			testkit.WantDetails(t, r, env, map[string][]string{tt.param: {tt.msg}})
			testkit.WantOnlyFields(t, r, env, tt.param)
		})
	}

	bodies := []struct{ name, method, path, token, body, field string }{
		{"NUL in a login username (anonymous)", http.MethodPost, "/api/auth/login/", "",
			`{"username": "ada\u0000", "password": "x"}`, "username"},
		{"NUL in a registration (anonymous)", http.MethodPost, "/api/auth/register/", "",
			`{"firm_name": "A\u0000", "username": "nul1", "email": "nul1@firm.example", "password": "correct horse battery staple 42"}`, "firm_name"},
		{"escape in a body field", http.MethodPost, "/api/v1/crm/clients/", tok,
			`{"company_name": "\u001b[31mRed", "primary_contact_name": "B", "primary_contact_email": "b@b.example"}`, "company_name"},
		{"backspace short escape", http.MethodPatch, "/api/v1/crm/clients/" + client + "/", tok, `{"city": "Par\bis"}`, "city"},
		{"form feed short escape", http.MethodPatch, "/api/v1/crm/clients/" + client + "/", tok, `{"notes": "a\fb"}`, "notes"},
		{"NUL in a nested field", http.MethodPost, "/api/v1/finance/invoices/", tok,
			`{"client": "` + client + `", "line_items": [{"description": "ok", "quantity": "1", "rate": "10"}, {"description": "x\u0000", "quantity": "1", "rate": "10"}]}`,
			"line_items[1].description"},
		{"NUL in a key", http.MethodPatch, "/api/v1/firm/", tok, `{"na\u0000me": "x"}`, "na\x00me"},
	}
	for _, tt := range bodies {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, tt.method, tt.path, tt.token, tt.body)
			env := testkit.WantValidation(t, r, map[string][]string{tt.field: {control}})
			testkit.WantOnlyFields(t, r, env, tt.field)
		})
	}

	t.Run("NUL in a path", func(t *testing.T) {
		for _, p := range []string{"/api/v1/crm/clients/%00/", "/api/v1/crm/clients/" + client + "%00/", "/api/v1/firm/users/%01"} {
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, p, tok, nil))
		}
	})

	t.Run("tab, line feed and carriage return are text", func(t *testing.T) {
		r := s.Do(t, http.MethodGet, "/api/v1/crm/clients/?search=Acme%09Ltd%0A", tok, nil)
		testkit.WantStatus(t, r, http.StatusOK)
		var page testkit.Page
		testkit.Decode(t, r, &page)
		if page.Count != 1 {
			t.Errorf("search across a tab: count %d, want 1", page.Count)
		}
		r = s.Do(t, http.MethodPatch, "/api/v1/crm/clients/"+client+"/", tok, map[string]any{"notes": "one\r\ntwo\tthree"})
		testkit.WantStatus(t, r, http.StatusOK)
		if got := testkit.Object(t, r)["notes"]; got != "one\r\ntwo\tthree" {
			t.Errorf("notes = %q", got)
		}
	})

	// Nothing refused above was stored.
	r := s.Do(t, http.MethodGet, "/api/v1/crm/clients/"+client+"/", tok, nil)
	obj := testkit.Object(t, r)
	if obj["city"] != "" {
		t.Errorf("city = %q after refused bodies", obj["city"])
	}
	r = s.Do(t, http.MethodGet, "/api/v1/crm/clients/", tok, nil)
	var page testkit.Page
	testkit.Decode(t, r, &page)
	if page.Count != 1 {
		t.Errorf("%d clients after refused bodies, want 1", page.Count)
	}
}
