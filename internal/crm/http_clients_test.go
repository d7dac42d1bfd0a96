package crm_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// sameClient fails unless got equals want, field by field; with anyUpdated the update stamp may
// differ but must not move backwards.
func sameClient(t testing.TB, what string, got, want client, anyUpdated bool) {
	t.Helper()
	g, w := got, want
	if anyUpdated {
		if testkit.Stamp(t, g.UpdatedAt).Before(testkit.Stamp(t, w.UpdatedAt)) {
			t.Errorf("%s: updated_at went back from %s to %s", what, w.UpdatedAt, g.UpdatedAt)
		}
		g.UpdatedAt = w.UpdatedAt
	}
	if !reflect.DeepEqual(g, w) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s: client mismatch\n got: %s\nwant: %s", what, gj, wj)
	}
}

func TestClientCreateValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)

	long := strings.Repeat("x", 256)
	tests := []struct {
		name string
		body map[string]any
		want map[string][]string // exact messages on these fields
		only bool                // and no other field
		any  []string            // fields that must carry some message
	}{
		{name: "spec example: bad email and no contact name",
			body: map[string]any{"company_name": "Test", "primary_contact_email": "invalid"},
			want: map[string][]string{"primary_contact_email": {msgEmail}, "primary_contact_name": {msgRequired}},
			only: true},
		{name: "company name missing", body: clientBody(map[string]any{"company_name": nil}),
			want: map[string][]string{"company_name": {msgRequired}}, only: true},
		{name: "company name blank after trimming", body: clientBody(map[string]any{"company_name": "   "}),
			want: map[string][]string{"company_name": {msgRequired}}, only: true},
		{name: "contact email missing", body: clientBody(map[string]any{"primary_contact_email": nil}),
			want: map[string][]string{"primary_contact_email": {msgRequired}}, only: true},
		{name: "everything missing", body: map[string]any{},
			want: map[string][]string{"company_name": {msgRequired}, "primary_contact_name": {msgRequired},
				"primary_contact_email": {msgRequired}}, only: true},
		{name: "company name too long", body: clientBody(map[string]any{"company_name": long}), any: []string{"company_name"}},
		{name: "email without tld", body: clientBody(map[string]any{"primary_contact_email": "ada@firm"}),
			want: map[string][]string{"primary_contact_email": {msgEmail}}, only: true},
		{name: "email one-letter tld", body: clientBody(map[string]any{"primary_contact_email": "ada@firm.c"}),
			want: map[string][]string{"primary_contact_email": {msgEmail}}, only: true},
		{name: "email with space", body: clientBody(map[string]any{"primary_contact_email": "ada lovelace@firm.example"}),
			want: map[string][]string{"primary_contact_email": {msgEmail}}, only: true},
		{name: "phone too short", body: clientBody(map[string]any{"primary_contact_phone": "123"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone 17 digits", body: clientBody(map[string]any{"primary_contact_phone": "+12345678901234567"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone 16 digits", body: clientBody(map[string]any{"primary_contact_phone": "1234567890123456"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone 9 digits", body: clientBody(map[string]any{"primary_contact_phone": "555-123-456"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone letters", body: clientBody(map[string]any{"primary_contact_phone": "abc-def-ghij"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone plus inside", body: clientBody(map[string]any{"primary_contact_phone": "555+1234567"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "phone slashes", body: clientBody(map[string]any{"primary_contact_phone": "555/123/4567"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}}, only: true},
		{name: "website ftp", body: clientBody(map[string]any{"website": "ftp://x"}),
			want: map[string][]string{"website": {msgWebsite}}, only: true},
		{name: "website without scheme", body: clientBody(map[string]any{"website": "www.x.com"}),
			want: map[string][]string{"website": {msgWebsite}}, only: true},
		{name: "website without host", body: clientBody(map[string]any{"website": "https://"}),
			want: map[string][]string{"website": {msgWebsite}}, only: true},
		{name: "revenue negative string", body: clientBody(map[string]any{"annual_revenue": "-1.00"}),
			want: map[string][]string{"annual_revenue": {msgPositive}}, only: true},
		{name: "revenue negative number", body: clientBody(map[string]any{"annual_revenue": -5}),
			want: map[string][]string{"annual_revenue": {msgPositive}}, only: true},
		{name: "revenue three decimals in USD", body: clientBody(map[string]any{"annual_revenue": "1600.505"}),
			want: map[string][]string{"annual_revenue": {msgTwoDecimals}}, only: true},
		{name: "revenue not a number", body: clientBody(map[string]any{"annual_revenue": "lots"}), any: []string{"annual_revenue"}},
		{name: "revenue boolean", body: clientBody(map[string]any{"annual_revenue": true}), any: []string{"annual_revenue"}},
		{name: "employee count negative", body: clientBody(map[string]any{"employee_count": -1}), any: []string{"employee_count"}},
		{name: "employee count fractional", body: clientBody(map[string]any{"employee_count": 1.5}), any: []string{"employee_count"}},
		{name: "unknown field", body: clientBody(map[string]any{"favourite_colour": "teal"}),
			want: map[string][]string{"favourite_colour": {msgUnknownField}}, only: true},
		{name: "status not a choice", body: clientBody(map[string]any{"status": "archived"}), any: []string{"status"}},
		{name: "status wrong case", body: clientBody(map[string]any{"status": "Active"}), any: []string{"status"}},
		{name: "owner not a user id", body: clientBody(map[string]any{"owner": "not-a-uuid"}),
			want: map[string][]string{"owner": {msgOwnerUnknown}}, only: true},
		{name: "owner of another firm", body: clientBody(map[string]any{"owner": other.Owner.ID}),
			want: map[string][]string{"owner": {msgOwnerUnknown}}, only: true},
		{name: "several fields at once",
			body: clientBody(map[string]any{"primary_contact_phone": "123", "website": "www.x.com", "annual_revenue": "-2"}),
			want: map[string][]string{"primary_contact_phone": {msgPhone}, "website": {msgWebsite},
				"annual_revenue": {msgPositive}}, only: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, tc.body)
			env := testkit.WantValidation(t, r, tc.want)
			testkit.WantFields(t, r, env, tc.any...)
			if tc.only {
				fields := make([]string, 0, len(tc.want))
				for k := range tc.want {
					fields = append(fields, k)
				}
				testkit.WantOnlyFields(t, r, env, fields...)
			}
		})
	}

	t.Run("malformed JSON", func(t *testing.T) {
		t.Parallel()
		r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, `{"company_name": `)
		testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
	})
	// Parallel subtests finish before the test's cleanups run (and this one runs before the
	// server's, registered earlier).
	t.Cleanup(func() {
		p, _ := s.listClients(t, f.Owner.Token, "")
		if p.Count != 0 {
			t.Errorf("invalid creates left %d clients behind", p.Count)
		}
	})
}

func TestClientCreateAcceptedValues(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)

	tests := []struct {
		name  string
		field string
		in    any
		check func(c client) (got any, want any)
	}{
		{"phone US formatted", "primary_contact_phone", "+1 (555) 123-4567",
			func(c client) (any, any) { return c.PrimaryContactPhone, "+1 (555) 123-4567" }},
		{"phone dotted with extension digits", "primary_contact_phone", "555.123.4567 12",
			func(c client) (any, any) { return c.PrimaryContactPhone, "555.123.4567 12" }},
		{"phone 10 digits", "primary_contact_phone", "5551234567",
			func(c client) (any, any) { return c.PrimaryContactPhone, "5551234567" }},
		{"phone plus 15 digits", "primary_contact_phone", "+123456789012345",
			func(c client) (any, any) { return c.PrimaryContactPhone, "+123456789012345" }},
		{"website https with path", "website", "https://x.example/path",
			func(c client) (any, any) { return c.Website, "https://x.example/path" }},
		{"website http with port", "website", "http://localhost:8080",
			func(c client) (any, any) { return c.Website, "http://localhost:8080" }},
		{"email lower-cased", "primary_contact_email", "Ada.Lovelace+CRM@Example.COM",
			func(c client) (any, any) { return c.PrimaryContactEmail, "ada.lovelace+crm@example.com" }},
		{"email trimmed", "primary_contact_email", "  ada_l%x@sub.example.org ",
			func(c client) (any, any) { return c.PrimaryContactEmail, "ada_l%x@sub.example.org" }},
		{"revenue number with one decimal", "annual_revenue", json.Number("1600.5"),
			func(c client) (any, any) { return deref(c.AnnualRevenue), "1600.50" }},
		{"revenue string with one decimal", "annual_revenue", "1600.5",
			func(c client) (any, any) { return deref(c.AnnualRevenue), "1600.50" }},
		{"revenue string with two decimals", "annual_revenue", "1600.50",
			func(c client) (any, any) { return deref(c.AnnualRevenue), "1600.50" }},
		{"revenue whole number", "annual_revenue", json.Number("1600"),
			func(c client) (any, any) { return deref(c.AnnualRevenue), "1600.00" }},
		{"revenue zero", "annual_revenue", "0",
			func(c client) (any, any) { return deref(c.AnnualRevenue), "0.00" }},
		{"revenue large and exact", "annual_revenue", "12345678901234.99",
			func(c client) (any, any) { return deref(c.AnnualRevenue), "12345678901234.99" }},
		{"revenue null", "annual_revenue", json.RawMessage("null"),
			func(c client) (any, any) { return c.AnnualRevenue == nil, true }},
		{"employee count zero", "employee_count", 0,
			func(c client) (any, any) { return derefInt(c.EmployeeCount), int64(0) }},
		{"employee count", "employee_count", 250,
			func(c client) (any, any) { return derefInt(c.EmployeeCount), int64(250) }},
		{"status active", "status", "active", func(c client) (any, any) { return c.Status, "active" }},
		{"status lost", "status", "lost", func(c client) (any, any) { return c.Status, "lost" }},
		{"company name trimmed", "company_name", "  Trimmed Corp  ",
			func(c client) (any, any) { return c.CompanyName, "Trimmed Corp" }},
		{"country given", "country", "Portugal", func(c client) (any, any) { return c.Country, "Portugal" }},
		{"notes", "notes", "Met at the fair.\nFollow up.",
			func(c client) (any, any) { return c.Notes, "Met at the fair.\nFollow up." }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, clientBody(map[string]any{tc.field: tc.in}))
			testkit.WantStatus(t, r, http.StatusCreated)
			var c client
			testkit.Decode(t, r, &c)
			if got, want := tc.check(c); got != want {
				t.Errorf("%s = %#v after sending %v, want %#v", tc.field, got, tc.in, want)
			}
			// What the create answered is what is stored.
			sameClient(t, "GET after create", s.getClient(t, f.Owner.Token, c.ID), c, false)
		})
	}
}

func TestClientCreateDefaults(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	t.Run("new firm", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		body := clientBody(nil)
		r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusCreated)
		var c client
		testkit.Decode(t, r, &c)
		if loc := r.Header.Get("Location"); loc != "/api/v1/crm/clients/"+c.ID+"/" {
			t.Errorf("Location = %q, want /api/v1/crm/clients/%s/", loc, c.ID)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if len(c.ID) != 36 || c.ID[14] != '7' {
			t.Errorf("id %q is not a UUIDv7", c.ID)
		}
		want := client{ID: c.ID, CompanyName: body["company_name"].(string), Status: "lead",
			PrimaryContactName: "Grace Hopper", PrimaryContactEmail: body["primary_contact_email"].(string),
			Currency: "USD", Owner: ptr(f.Owner.ID), OwnerName: ptr(f.Owner.Name),
			CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt}
		sameClient(t, "created client", c, want, false)
		testkit.Stamp(t, c.CreatedAt)
		// Every field is present, the empty ones included (null, never omitted).
		m := testkit.Object(t, r)
		for _, k := range []string{"id", "company_name", "industry", "status", "primary_contact_name",
			"primary_contact_email", "primary_contact_phone", "street_address", "city", "state", "postal_code",
			"country", "website", "employee_count", "annual_revenue", "currency", "source", "owner", "owner_name",
			"notes", "created_at", "updated_at"} {
			if _, ok := m[k]; !ok {
				t.Errorf("field %q missing from %s", k, r.Body)
			}
		}
	})

	t.Run("firm settings", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		f.Settings(t, map[string]any{"country": "Germany", "default_currency": "EUR"})
		c := s.createClient(t, f.Owner.Token, map[string]any{"annual_revenue": "99.5"})
		if c.Country != "Germany" || c.Currency != "EUR" || deref(c.AnnualRevenue) != "99.50" {
			t.Errorf("country/currency/revenue = %q/%q/%s, want Germany/EUR/99.50", c.Country, c.Currency, deref(c.AnnualRevenue))
		}
		// A country in the body wins over the firm's default.
		c = s.createClient(t, f.Owner.Token, map[string]any{"country": "Austria"})
		if c.Country != "Austria" {
			t.Errorf("country = %q, want the one sent (Austria)", c.Country)
		}
	})

	t.Run("read-only fields in the body are ignored", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		fake := "01900000-0000-7000-8000-000000000000"
		c := s.createClient(t, f.Owner.Token, map[string]any{"id": fake, "owner_name": "Mallory",
			"currency": "JPY", "created_at": "2001-01-01T00:00:00Z", "updated_at": "2001-01-01T00:00:00Z"})
		if c.ID == fake || deref(c.OwnerName) != f.Owner.Name || c.Currency != "USD" ||
			strings.HasPrefix(c.CreatedAt, "2001") || strings.HasPrefix(c.UpdatedAt, "2001") {
			t.Errorf("read-only fields were taken from the body: %+v", c)
		}
	})

	t.Run("manager creates", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		m := f.AddUser(t, roleManager)
		c := s.createClient(t, m.Token, nil)
		if deref(c.Owner) != m.ID || deref(c.OwnerName) != m.Name {
			t.Errorf("owner/owner_name = %s/%s, want %s/%s", deref(c.Owner), deref(c.OwnerName), m.ID, m.Name)
		}
	})
}

func TestClientMoneyInJPY(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	f.Settings(t, map[string]any{"default_currency": "JPY"})

	tests := []struct {
		name string
		in   any
		want string // stored value, or "" for a 400
		msg  string
	}{
		{"string whole", "1600", "1600", ""},
		{"number whole", json.Number("1600"), "1600", ""},
		{"zero", "0", "0", ""},
		{"string fraction", "1600.5", "", msgNoDecimals},
		{"number fraction", json.Number("1600.5"), "", msgNoDecimals},
		{"two decimals", "1600.00", "", msgNoDecimals},
		{"negative", "-1", "", msgPositive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, clientBody(map[string]any{"annual_revenue": tc.in}))
			if tc.want == "" {
				env := testkit.WantValidation(t, r, map[string][]string{"annual_revenue": {tc.msg}})
				testkit.WantOnlyFields(t, r, env, "annual_revenue")
				return
			}
			testkit.WantStatus(t, r, http.StatusCreated)
			var c client
			testkit.Decode(t, r, &c)
			if deref(c.AnnualRevenue) != tc.want || c.Currency != "JPY" {
				t.Errorf("annual_revenue/currency = %s/%s, want %s/JPY", deref(c.AnnualRevenue), c.Currency, tc.want)
			}
		})
	}
	t.Run("PATCH validates in JPY too", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, nil)
		r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"annual_revenue": "10.5"})
		testkit.WantValidation(t, r, map[string][]string{"annual_revenue": {msgNoDecimals}})
	})
}

// A client's money is in the currency it was created with, whatever the firm's default becomes
// later (its currency field says so), so later writes must be validated in that currency.
func TestClientMoneyKeepsClientCurrency(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	t.Run("USD client after the firm moves to JPY", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		c := s.createClient(t, f.Owner.Token, map[string]any{"annual_revenue": "1600.50"})
		f.Settings(t, map[string]any{"default_currency": "JPY"})

		t.Run("PUT of the fetched object", func(t *testing.T) {
			got := s.Do(t, http.MethodGet, clientPath(c.ID), f.Owner.Token, nil)
			testkit.WantStatus(t, got, http.StatusOK)
			r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token, got.Body)
			testkit.WantStatus(t, r, http.StatusOK)
			var put client
			testkit.Decode(t, r, &put)
			sameClient(t, "PUT of the fetched USD client", put, c, true)
		})
		t.Run("PATCH with cents", func(t *testing.T) {
			r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"annual_revenue": "99.99"})
			testkit.WantStatus(t, r, http.StatusOK)
			var patched client
			testkit.Decode(t, r, &patched)
			if deref(patched.AnnualRevenue) != "99.99" || patched.Currency != "USD" {
				t.Errorf("annual_revenue/currency = %s/%s, want 99.99/USD", deref(patched.AnnualRevenue), patched.Currency)
			}
		})
		t.Run("PATCH of another field", func(t *testing.T) {
			r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"notes": "still USD"})
			testkit.WantStatus(t, r, http.StatusOK)
		})
	})

	t.Run("JPY client after the firm moves to USD", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		f.Settings(t, map[string]any{"default_currency": "JPY"})
		c := s.createClient(t, f.Owner.Token, map[string]any{"annual_revenue": "1600"})
		f.Settings(t, map[string]any{"default_currency": "USD"})
		r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"annual_revenue": "10.5"})
		testkit.WantValidation(t, r, map[string][]string{"annual_revenue": {msgNoDecimals}})
		if got := s.getClient(t, f.Owner.Token, c.ID); deref(got.AnnualRevenue) != "1600" || got.Currency != "JPY" {
			t.Errorf("after the refused PATCH: annual_revenue/currency = %s/%s, want 1600/JPY",
				deref(got.AnnualRevenue), got.Currency)
		}
	})
}

func TestClientCompanyNameUnique(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	t.Run("create", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme"})
		for _, name := range []string{"Acme", "ACME", "acme", "  aCmE  "} {
			r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, clientBody(map[string]any{"company_name": name}))
			env := testkit.WantValidation(t, r, map[string][]string{"company_name": {msgCompanyTaken}})
			testkit.WantOnlyFields(t, r, env, "company_name")
		}
		// Other firms may have the same name.
		other := s.RegisterFirm(t)
		c := s.createClient(t, other.Owner.Token, map[string]any{"company_name": "ACME"})
		if c.CompanyName != "ACME" {
			t.Errorf("company_name = %q, want ACME", c.CompanyName)
		}
		// A similar but different name is fine.
		s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme Holdings"})
		if p, _ := s.listClients(t, f.Owner.Token, ""); p.Count != 2 {
			t.Errorf("firm has %d clients, want 2", p.Count)
		}
	})

	// Case-insensitive means beyond ASCII too, on both databases.
	t.Run("non-ASCII letters", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Ärzte Öl GmbH"})
		for _, name := range []string{"ärzte öl gmbh", "ÄRZTE ÖL GMBH"} {
			r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, clientBody(map[string]any{"company_name": name}))
			testkit.WantValidation(t, r, map[string][]string{"company_name": {msgCompanyTaken}})
		}
	})

	t.Run("concurrent creates", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		names := []string{"Race Co", "RACE CO", "race co", "Race CO", "rAcE cO", "RaCe Co"}
		results := make([]*response, len(names))
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Go(func() {
				results[i] = s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, clientBody(map[string]any{"company_name": name}))
			})
		}
		wg.Wait()
		created := 0
		for _, r := range results {
			if r.Status == http.StatusCreated {
				created++
				continue
			}
			testkit.WantValidation(t, r, map[string][]string{"company_name": {msgCompanyTaken}})
		}
		if created != 1 {
			t.Errorf("%d concurrent creates of the same name succeeded, want 1", created)
		}
		if p, _ := s.listClients(t, f.Owner.Token, ""); p.Count != 1 {
			t.Errorf("firm has %d clients, want 1", p.Count)
		}
	})

	t.Run("rename", func(t *testing.T) {
		t.Parallel()
		f := s.RegisterFirm(t)
		acme := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme"})
		globex := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Globex"})

		r := s.Do(t, http.MethodPatch, clientPath(globex.ID), f.Owner.Token, map[string]any{"company_name": "aCME"})
		testkit.WantValidation(t, r, map[string][]string{"company_name": {msgCompanyTaken}})

		full := clientBody(map[string]any{"company_name": "ACME"})
		r = s.Do(t, http.MethodPut, clientPath(globex.ID), f.Owner.Token, full)
		testkit.WantValidation(t, r, map[string][]string{"company_name": {msgCompanyTaken}})
		sameClient(t, "Globex after refused renames", s.getClient(t, f.Owner.Token, globex.ID), globex, false)

		// A client keeps its own name, and may change its case.
		r = s.Do(t, http.MethodPatch, clientPath(acme.ID), f.Owner.Token, map[string]any{"company_name": "ACME"})
		testkit.WantStatus(t, r, http.StatusOK)
		r = s.Do(t, http.MethodPut, clientPath(acme.ID), f.Owner.Token,
			clientBody(map[string]any{"company_name": "Acme"}))
		testkit.WantStatus(t, r, http.StatusOK)
		// Once renamed away, the old name is free again.
		r = s.Do(t, http.MethodPatch, clientPath(acme.ID), f.Owner.Token, map[string]any{"company_name": "Acme Two"})
		testkit.WantStatus(t, r, http.StatusOK)
		r = s.Do(t, http.MethodPatch, clientPath(globex.ID), f.Owner.Token, map[string]any{"company_name": "acme"})
		testkit.WantStatus(t, r, http.StatusOK)
	})
}

func TestClientPut(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	full := map[string]any{
		"industry": "Manufacturing", "status": "prospect", "primary_contact_phone": "+44 20 7946 0958",
		"street_address": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701",
		"country": "USA", "website": "https://acme.example", "employee_count": 120, "annual_revenue": "2500000.75",
		"source": "Referral", "notes": "Key account",
	}

	t.Run("fetched object sent back unchanged", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, full)
		got := s.Do(t, http.MethodGet, clientPath(c.ID), f.Owner.Token, nil)
		testkit.WantStatus(t, got, http.StatusOK)
		r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token, got.Body)
		testkit.WantStatus(t, r, http.StatusOK)
		var put client
		testkit.Decode(t, r, &put)
		sameClient(t, "PUT answer", put, c, true)
		sameClient(t, "GET after PUT", s.getClient(t, f.Owner.Token, c.ID), put, false)
	})

	t.Run("read-only fields changed in the body are ignored", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, full)
		body := testkit.Object(t, s.Do(t, http.MethodGet, clientPath(c.ID), f.Owner.Token, nil))
		body["id"] = "01900000-0000-7000-8000-000000000000"
		body["created_at"] = "2001-01-01T00:00:00Z"
		body["updated_at"] = "2001-01-01T00:00:00Z"
		body["owner_name"] = "Mallory"
		body["currency"] = "JPY"
		r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var put client
		testkit.Decode(t, r, &put)
		sameClient(t, "PUT answer", put, c, true)
		sameClient(t, "GET after PUT", s.getClient(t, f.Owner.Token, c.ID), put, false)
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, clientPath("01900000-0000-7000-8000-000000000000"), f.Owner.Token, nil))
	})

	t.Run("changes what is sent", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, full)
		body := clientBody(map[string]any{"company_name": "Renamed " + c.ID, "status": "active",
			"primary_contact_email": "New.Contact@Example.com", "annual_revenue": 10, "employee_count": nil})
		r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var put client
		testkit.Decode(t, r, &put)
		if put.CompanyName != "Renamed "+c.ID || put.Status != "active" ||
			put.PrimaryContactEmail != "new.contact@example.com" || deref(put.AnnualRevenue) != "10.00" {
			t.Errorf("PUT did not apply the body: %+v", put)
		}
		if put.CreatedAt != c.CreatedAt || put.ID != c.ID || deref(put.Owner) != f.Owner.ID {
			t.Errorf("PUT changed id/created_at/owner: %+v", put)
		}
	})

	t.Run("required fields", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, nil)
		r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token, map[string]any{"industry": "Retail"})
		env := testkit.WantValidation(t, r, map[string][]string{"company_name": {msgRequired},
			"primary_contact_name": {msgRequired}, "primary_contact_email": {msgRequired}})
		testkit.WantOnlyFields(t, r, env, "company_name", "primary_contact_name", "primary_contact_email")
		sameClient(t, "after refused PUT", s.getClient(t, f.Owner.Token, c.ID), c, false)
	})

	t.Run("validation", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, nil)
		// The schema is checked first; the format rules of an update run after the object rules
		// (a caller who may not edit the client hears that first), so they come in a second round.
		r := s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token,
			clientBody(map[string]any{"website": "www.x.com", "primary_contact_email": "nope", "extra": 1}))
		env := testkit.WantValidation(t, r, map[string][]string{"extra": {msgUnknownField}})
		testkit.WantOnlyFields(t, r, env, "extra")
		r = s.Do(t, http.MethodPut, clientPath(c.ID), f.Owner.Token,
			clientBody(map[string]any{"website": "www.x.com", "primary_contact_email": "nope"}))
		env = testkit.WantValidation(t, r, map[string][]string{"website": {msgWebsite}, "primary_contact_email": {msgEmail}})
		testkit.WantOnlyFields(t, r, env, "website", "primary_contact_email")
		sameClient(t, "after refused PUT", s.getClient(t, f.Owner.Token, c.ID), c, false)
	})
}

func TestClientPatch(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	full := map[string]any{
		"industry": "Energy", "status": "active", "primary_contact_phone": "555-123-4567",
		"city": "Oslo", "country": "Norway", "website": "https://energy.example", "employee_count": 40,
		"annual_revenue": "1000.10", "source": "Web", "notes": "n",
	}

	tests := []struct {
		name  string
		body  map[string]any
		apply func(c *client)
	}{
		{"industry only", map[string]any{"industry": "Utilities"}, func(c *client) { c.Industry = "Utilities" }},
		{"status only", map[string]any{"status": "lost"}, func(c *client) { c.Status = "lost" }},
		{"email lower-cased", map[string]any{"primary_contact_email": "X@Y.ORG"},
			func(c *client) { c.PrimaryContactEmail = "x@y.org" }},
		{"revenue number", map[string]any{"annual_revenue": json.Number("1600.5")},
			func(c *client) { c.AnnualRevenue = ptr("1600.50") }},
		{"revenue null clears", map[string]any{"annual_revenue": nil}, func(c *client) { c.AnnualRevenue = nil }},
		{"employee count null clears", map[string]any{"employee_count": nil}, func(c *client) { c.EmployeeCount = nil }},
		{"employee count", map[string]any{"employee_count": 0}, func(c *client) { c.EmployeeCount = ptr(int64(0)) }},
		{"text cleared", map[string]any{"notes": "", "city": ""}, func(c *client) { c.Notes, c.City = "", "" }},
		{"empty body", map[string]any{}, func(*client) {}},
		{"read-only fields only", map[string]any{"id": "x", "currency": "EUR", "owner_name": "M", "created_at": "x"},
			func(*client) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := s.createClient(t, f.Owner.Token, full)
			// json.Marshal of a map keeps a nil value as null: "sent as null" is what is tested.
			r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, tc.body)
			testkit.WantStatus(t, r, http.StatusOK)
			var got client
			testkit.Decode(t, r, &got)
			want := c
			tc.apply(&want)
			sameClient(t, "PATCH answer", got, want, true)
			sameClient(t, "GET after PATCH", s.getClient(t, f.Owner.Token, c.ID), got, false)
		})
	}

	refused := []struct {
		name string
		body map[string]any
		want map[string][]string
		any  []string
	}{
		{"bad phone", map[string]any{"primary_contact_phone": "123"}, map[string][]string{"primary_contact_phone": {msgPhone}}, nil},
		{"bad website", map[string]any{"website": "ftp://x"}, map[string][]string{"website": {msgWebsite}}, nil},
		{"bad email", map[string]any{"primary_contact_email": "invalid"}, map[string][]string{"primary_contact_email": {msgEmail}}, nil},
		{"negative revenue", map[string]any{"annual_revenue": "-0.01"}, map[string][]string{"annual_revenue": {msgPositive}}, nil},
		{"unknown field", map[string]any{"colour": "red"}, map[string][]string{"colour": {msgUnknownField}}, nil},
		{"blank company name", map[string]any{"company_name": "  "}, map[string][]string{"company_name": {msgRequired}}, nil},
		// POST and PUT refuse null for the required fields; PATCH must not take it as "not sent".
		{"company name null", map[string]any{"company_name": nil}, nil, []string{"company_name"}},
		{"contact email null", map[string]any{"primary_contact_email": nil}, nil, []string{"primary_contact_email"}},
		{"bad status", map[string]any{"status": "gone"}, nil, []string{"status"}},
		{"negative employee count", map[string]any{"employee_count": -3}, nil, []string{"employee_count"}},
	}
	for _, tc := range refused {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			t.Parallel()
			c := s.createClient(t, f.Owner.Token, full)
			r := s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, tc.body)
			env := testkit.WantValidation(t, r, tc.want)
			testkit.WantFields(t, r, env, tc.any...)
			sameClient(t, "after refused PATCH", s.getClient(t, f.Owner.Token, c.ID), c, false)
		})
	}
}

func TestClientList(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	other := s.RegisterFirm(t)
	otherClient := s.createClient(t, other.Owner.Token, map[string]any{"company_name": "Acme Widgets Other Firm",
		"status": "active", "industry": "Software"})

	// Created one after another, so creation order is this order.
	seed := []struct {
		name, contact, email, status, industry string
		token                                  string
	}{
		{"Acme Widgets", "Grace Hopper", "grace@acme.example", "active", "Software", f.Owner.Token},
		{"Globex", "Hank Scorpio", "hank@globex.example", "lead", "Energy", f.Owner.Token},
		{"Initech", "Bill Lumbergh", "bill@initech.example", "prospect", "Software", mgr.Token},
		{"Umbrella", "Albert Wesker", "wesker@umbrella.example", "active", "Pharma", mgr.Token},
		{"Wayne Enterprises", "Lucius Fox", "lucius@wayne-widgets.example", "lost", "Software", f.Owner.Token},
	}
	ids := map[string]string{}
	for _, c := range seed {
		got := s.createClient(t, c.token, map[string]any{"company_name": c.name, "primary_contact_name": c.contact,
			"primary_contact_email": c.email, "status": c.status, "industry": c.industry})
		ids[c.name] = got.ID
	}
	byCreation := []string{"Acme Widgets", "Globex", "Initech", "Umbrella", "Wayne Enterprises"}
	newestFirst := slices.Clone(byCreation)
	slices.Reverse(newestFirst)

	t.Run("default order and shape", func(t *testing.T) {
		t.Parallel()
		r := s.Do(t, http.MethodGet, clientsPath, f.Owner.Token, nil)
		testkit.WantStatus(t, r, http.StatusOK)
		m := testkit.Object(t, r)
		for _, k := range []string{"count", "next", "previous", "results"} {
			if _, ok := m[k]; !ok {
				t.Errorf("list body lacks %q: %s", k, r.Body)
			}
		}
		if m["next"] != nil || m["previous"] != nil {
			t.Errorf("single page: next/previous = %v/%v, want null/null", m["next"], m["previous"])
		}
		p, cs := s.listClients(t, f.Owner.Token, "")
		if p.Count != 5 || !slices.Equal(clientNames(cs), newestFirst) {
			t.Errorf("count %d, names %q; want 5, %q", p.Count, clientNames(cs), newestFirst)
		}
		if cs[0].ID != ids["Wayne Enterprises"] || deref(cs[0].OwnerName) != f.Owner.Name {
			t.Errorf("first result %+v", cs[0])
		}
		if deref(cs[1].Owner) != mgr.ID || deref(cs[1].OwnerName) != mgr.Name {
			t.Errorf("Umbrella's owner/owner_name = %s/%s, want %s/%s", deref(cs[1].Owner), deref(cs[1].OwnerName), mgr.ID, mgr.Name)
		}
	})

	t.Run("paths", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/api/crm/clients/", "/api/crm/clients", "/api/v1/crm/clients/", "/api/v1/crm/clients"} {
			r := s.Do(t, http.MethodGet, path, f.Owner.Token, nil)
			testkit.WantStatus(t, r, http.StatusOK)
			var p page
			testkit.Decode(t, r, &p)
			if p.Count != 5 {
				t.Errorf("GET %s: count %d, want 5", path, p.Count)
			}
		}
	})

	t.Run("pagination", func(t *testing.T) {
		t.Parallel()
		p1, cs := s.listClients(t, f.Owner.Token, "page_size=2")
		if p1.Count != 5 || p1.Previous != nil || p1.Next == nil || !slices.Equal(clientNames(cs), newestFirst[:2]) {
			t.Fatalf("page 1: count %d prev %v next %v names %q", p1.Count, p1.Previous, p1.Next, clientNames(cs))
		}
		next, err := url.Parse(*p1.Next)
		if err != nil || next.Query().Get("page") != "2" || next.Query().Get("page_size") != "2" {
			t.Errorf("next = %q, want page=2 and page_size=2", *p1.Next)
		}
		p2, cs := s.listClients(t, f.Owner.Token, "page_size=2&page=2")
		if p2.Count != 5 || p2.Previous == nil || p2.Next == nil || !slices.Equal(clientNames(cs), newestFirst[2:4]) {
			t.Errorf("page 2: count %d prev %v next %v names %q", p2.Count, p2.Previous, p2.Next, clientNames(cs))
		}
		p3, cs := s.listClients(t, f.Owner.Token, "page_size=2&page=3")
		if p3.Next != nil || p3.Previous == nil || !slices.Equal(clientNames(cs), newestFirst[4:]) {
			t.Errorf("page 3: prev %v next %v names %q", p3.Previous, p3.Next, clientNames(cs))
		}
		r := s.Do(t, http.MethodGet, clientsPath+"?page_size=2&page=4", f.Owner.Token, nil)
		env := testkit.WantError(t, r, http.StatusNotFound, typeNotFound, codeNotFound)
		if env.Error.Message != msgInvalidPage {
			t.Errorf("page past the end: message %q, want %q", env.Error.Message, msgInvalidPage)
		}
		for _, q := range []string{"page_size=0", "page_size=-1", "page_size=abc", "page_size=201"} {
			r := s.Do(t, http.MethodGet, clientsPath+"?"+q, f.Owner.Token, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
			testkit.WantFields(t, r, env, "page_size")
		}
		if p, cs := s.listClients(t, f.Owner.Token, "page_size=200"); p.Count != 5 || len(cs) != 5 {
			t.Errorf("page_size=200: count %d, %d results", p.Count, len(cs))
		}
	})

	filters := []struct {
		query string
		want  []string // names, in the default order
	}{
		{"status=active", []string{"Umbrella", "Acme Widgets"}},
		{"status=lead", []string{"Globex"}},
		{"status=inactive", []string{}},
		{"industry=Software", []string{"Wayne Enterprises", "Initech", "Acme Widgets"}},
		{"industry=software", []string{}}, // exact match
		{"owner=" + mgr.ID, []string{"Umbrella", "Initech"}},
		{"owner=" + f.Owner.ID, []string{"Wayne Enterprises", "Globex", "Acme Widgets"}},
		{"owner=" + other.Owner.ID, []string{}},
		{"status=active&industry=Software", []string{"Acme Widgets"}},
		{"status=active&owner=" + mgr.ID, []string{"Umbrella"}},
		{"status=", newestFirst}, // an empty filter is no filter
		{"search=acme", []string{"Acme Widgets"}},
		{"search=ACME", []string{"Acme Widgets"}},
		{"search=hopper", []string{"Acme Widgets"}},
		{"search=globex.example", []string{"Globex"}},
		{"search=widgets", []string{"Wayne Enterprises", "Acme Widgets"}}, // company name or email
		{"search=widgets+lucius", []string{"Wayne Enterprises"}},          // every term must match
		{"search=acme+lucius", []string{}},
		{"search=%20bill%20%20LUMBERGH%20", []string{"Initech"}},
		{"search=nothing-matches", []string{}},
		{"search=widgets&status=active", []string{"Acme Widgets"}},
		{"ordering=company_name", byCreation},
		{"ordering=-company_name", newestFirst},
		{"ordering=created_at", byCreation},
		{"ordering=-created_at", newestFirst},
		{"ordering=status,company_name", []string{"Acme Widgets", "Umbrella", "Globex", "Wayne Enterprises", "Initech"}},
		{"ordering=-status,-company_name", []string{"Initech", "Wayne Enterprises", "Globex", "Umbrella", "Acme Widgets"}},
	}
	for _, tc := range filters {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			p, cs := s.listClients(t, f.Owner.Token, tc.query)
			if got := clientNames(cs); p.Count != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
				t.Errorf("count %d, names %q; want %d, %q", p.Count, got, len(tc.want), tc.want)
			}
		})
	}

	badQueries := []struct {
		query, field string
	}{
		{"owner=not-a-uuid", "owner"},
		{"owner=12345", "owner"},
		{"status=archived", "status"},
		{"ordering=revenue", "ordering"},
		{"ordering=company_name,-owner", "ordering"},
		{"updated_since=yesterday", "updated_since"},
		{"updated_since=2026-01-01", "updated_since"},
		{"search=" + strings.Repeat("a", 101), "search"},
		{"page=0", "page"},
	}
	for _, tc := range badQueries {
		t.Run("bad "+tc.query[:min(len(tc.query), 40)], func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodGet, clientsPath+"?"+tc.query, f.Owner.Token, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
			testkit.WantOnlyFields(t, r, env, tc.field)
		})
	}

	t.Run("other firm sees only its own", func(t *testing.T) {
		t.Parallel()
		p, cs := s.listClients(t, other.Owner.Token, "")
		if p.Count != 1 || len(cs) != 1 || cs[0].ID != otherClient.ID {
			t.Errorf("firm B lists %d clients %q, want only its own", p.Count, clientNames(cs))
		}
		for _, q := range []string{"search=acme", "owner=" + f.Owner.ID, "status=lost", "ordering=company_name"} {
			_, cs := s.listClients(t, other.Owner.Token, q)
			for _, c := range cs {
				if c.ID != otherClient.ID {
					t.Errorf("firm B's list ?%s shows firm A's %q", q, c.CompanyName)
				}
			}
		}
	})
}

// Search terms are literal text (LIKE wildcards match only themselves) and fold case beyond
// ASCII, on both databases.
func TestClientSearchLiteralAndUnicode(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	for _, name := range []string{"100% Pure", "1000 Pure", "A_B Corp", "AxB Corp", "Ärzte Öl GmbH", "Back\\Slash"} {
		s.createClient(t, f.Owner.Token, map[string]any{"company_name": name})
	}
	tests := []struct {
		search string
		want   []string // ordered by company_name
	}{
		{"100%", []string{"100% Pure"}},
		{"%", []string{"100% Pure"}},
		{"a_b", []string{"A_B Corp"}},
		{"_", []string{"A_B Corp"}},
		{"\\", []string{"Back\\Slash"}},
		{"pure", []string{"100% Pure", "1000 Pure"}},
		{"Ärzte", []string{"Ärzte Öl GmbH"}},
		{"ärzte", []string{"Ärzte Öl GmbH"}},
		{"ÄRZTE ÖL", []string{"Ärzte Öl GmbH"}},
	}
	for _, tc := range tests {
		t.Run(tc.search, func(t *testing.T) {
			t.Parallel()
			p, cs := s.listClients(t, f.Owner.Token, "ordering=company_name&search="+url.QueryEscape(tc.search))
			if got := clientNames(cs); p.Count != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
				t.Errorf("search %q: %q, want %q", tc.search, got, tc.want)
			}
		})
	}
}

func TestClientListUpdatedSince(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	a := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Alpha"})
	b := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Beta"})
	r := s.Do(t, http.MethodPatch, clientPath(a.ID), f.Owner.Token, map[string]any{"notes": "touched"})
	testkit.WantStatus(t, r, http.StatusOK)
	var touched client
	testkit.Decode(t, r, &touched)
	if !testkit.Stamp(t, touched.UpdatedAt).After(testkit.Stamp(t, b.UpdatedAt)) {
		t.Fatalf("updated_at %s is not after %s", touched.UpdatedAt, b.UpdatedAt)
	}

	tests := []struct {
		since string
		want  []string
	}{
		{touched.UpdatedAt, []string{"Alpha"}}, // inclusive
		{b.UpdatedAt, []string{"Alpha", "Beta"}},
		{testkit.Stamp(t, touched.UpdatedAt).Add(time.Microsecond).Format(time.RFC3339Nano), []string{}},
		{"2000-01-01T00:00:00Z", []string{"Alpha", "Beta"}},
		{testkit.Stamp(t, touched.UpdatedAt).In(time.FixedZone("X", 2*3600)).Format(time.RFC3339Nano), []string{"Alpha"}},
	}
	for _, tc := range tests {
		q := "updated_since=" + url.QueryEscape(tc.since) + "&ordering=company_name"
		p, cs := s.listClients(t, f.Owner.Token, q)
		if got := clientNames(cs); p.Count != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
			t.Errorf("updated_since=%s: names %q, want %q", tc.since, got, tc.want)
		}
	}
}

func TestClientPermissions(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	users := f.Roles(t)

	type expect struct{ list, get, create, patch, put, del int }
	byRole := map[string]expect{
		roleOwner:      {200, 200, 201, 200, 200, 204},
		roleAdmin:      {200, 200, 201, 200, 200, 204},
		roleManager:    {200, 200, 201, 200, 200, 204},
		roleConsultant: {200, 200, 403, 403, 403, 403},
		roleAccountant: {200, 200, 403, 403, 403, 403},
	}
	check := func(t *testing.T, r *response, status int) {
		t.Helper()
		if status == http.StatusForbidden {
			testkit.WantForbidden(t, r)
			return
		}
		testkit.WantStatus(t, r, status)
	}
	for role, want := range byRole {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			u := users[role]
			// The client is someone else's: the firm owner's (or, for the owner, the admin's).
			creator := f.Owner
			if role == roleOwner {
				creator = users[roleAdmin]
			}
			c := s.createClient(t, creator.Token, nil)

			check(t, s.Do(t, http.MethodGet, clientsPath, u.Token, nil), want.list)
			check(t, s.Do(t, http.MethodGet, clientPath(c.ID), u.Token, nil), want.get)
			check(t, s.Do(t, http.MethodPost, clientsPath, u.Token, clientBody(nil)), want.create)
			check(t, s.Do(t, http.MethodPatch, clientPath(c.ID), u.Token, map[string]any{"notes": "by " + role}), want.patch)
			check(t, s.Do(t, http.MethodPut, clientPath(c.ID), u.Token, clientBody(map[string]any{"notes": "put"})), want.put)
			if want.patch == http.StatusForbidden {
				sameClient(t, "after refused writes", s.getClient(t, creator.Token, c.ID), c, false)
			}
			check(t, s.Do(t, http.MethodDelete, clientPath(c.ID), u.Token, nil), want.del)
			if want.del == http.StatusForbidden {
				s.getClient(t, creator.Token, c.ID)
			} else {
				testkit.WantNotFound(t, s.Do(t, http.MethodGet, clientPath(c.ID), creator.Token, nil))
			}
		})
	}

	t.Run("consultant edits the clients they own", func(t *testing.T) {
		t.Parallel()
		cons := users[roleConsultant]
		c := s.createClient(t, users[roleAdmin].Token, map[string]any{"owner": cons.ID})
		if deref(c.Owner) != cons.ID || deref(c.OwnerName) != cons.Name {
			t.Fatalf("admin-set owner/owner_name = %s/%s, want %s/%s", deref(c.Owner), deref(c.OwnerName), cons.ID, cons.Name)
		}
		r := s.Do(t, http.MethodPatch, clientPath(c.ID), cons.Token, map[string]any{"status": "prospect"})
		testkit.WantStatus(t, r, http.StatusOK)
		var got client
		testkit.Decode(t, r, &got)
		if got.Status != "prospect" {
			t.Errorf("status = %q, want prospect", got.Status)
		}
		body := testkit.Object(t, s.Do(t, http.MethodGet, clientPath(c.ID), cons.Token, nil))
		body["notes"] = "put by consultant"
		testkit.WantStatus(t, s.Do(t, http.MethodPut, clientPath(c.ID), cons.Token, body), http.StatusOK)

		// They cannot give it away (only owners and admins change the owner) ...
		wantOwnerRefused(t, s.Do(t, http.MethodPatch, clientPath(c.ID), cons.Token,
			map[string]any{"owner": users[roleManager].ID, "notes": "given away"}))
		wantOwnerRefused(t, s.Do(t, http.MethodPatch, clientPath(c.ID), cons.Token, map[string]any{"owner": nil}))
		body["owner"] = users[roleManager].ID
		wantOwnerRefused(t, s.Do(t, http.MethodPut, clientPath(c.ID), cons.Token, body))
		if got := s.getClient(t, cons.Token, c.ID); deref(got.Owner) != cons.ID || got.Notes != "put by consultant" {
			t.Errorf("after refused owner changes: owner %s notes %q, want %s and the PUT's notes", deref(got.Owner), got.Notes, cons.ID)
		}
		// ... though sending the owner unchanged is no change.
		r = s.Do(t, http.MethodPatch, clientPath(c.ID), cons.Token, map[string]any{"owner": cons.ID, "notes": "kept"})
		testkit.WantStatus(t, r, http.StatusOK)
		// ... nor delete it.
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, clientPath(c.ID), cons.Token, nil))
		s.getClient(t, cons.Token, c.ID)
	})

	t.Run("accountant owning a client still only reads", func(t *testing.T) {
		t.Parallel()
		acc := users[roleAccountant]
		c := s.createClient(t, users[roleAdmin].Token, map[string]any{"owner": acc.ID})
		if deref(c.Owner) != acc.ID {
			t.Fatalf("owner = %s, want the accountant", deref(c.Owner))
		}
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, clientPath(c.ID), acc.Token, map[string]any{"notes": "x"}))
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, clientPath(c.ID), acc.Token, nil))
	})

	t.Run("manager cannot set the owner", func(t *testing.T) {
		t.Parallel()
		mgr, cons := users[roleManager], users[roleConsultant]
		wantOwnerRefused(t, s.Do(t, http.MethodPost, clientsPath, mgr.Token, clientBody(map[string]any{"owner": cons.ID})))
		noOwner := clientBody(nil)
		noOwner["owner"] = nil
		wantOwnerRefused(t, s.Do(t, http.MethodPost, clientsPath, mgr.Token, noOwner))
		// Naming themselves is what the default is: no change.
		c := s.createClient(t, mgr.Token, map[string]any{"owner": mgr.ID})
		if deref(c.Owner) != mgr.ID || deref(c.OwnerName) != mgr.Name {
			t.Errorf("manager-created owner/owner_name = %s/%s, want the manager %s/%s",
				deref(c.Owner), deref(c.OwnerName), mgr.ID, mgr.Name)
		}
		wantOwnerRefused(t, s.Do(t, http.MethodPatch, clientPath(c.ID), mgr.Token, map[string]any{"owner": cons.ID, "notes": "m"}))
		// Nor clear it.
		wantOwnerRefused(t, s.Do(t, http.MethodPatch, clientPath(c.ID), mgr.Token, map[string]any{"owner": nil}))
		sameClient(t, "after refused owner changes", s.getClient(t, mgr.Token, c.ID), c, false)

		// A client someone else owns, fetched and sent back with PUT, keeps working.
		theirs := s.createClient(t, users[roleAdmin].Token, map[string]any{"owner": cons.ID})
		body := testkit.Object(t, s.Do(t, http.MethodGet, clientPath(theirs.ID), mgr.Token, nil))
		body["notes"] = "put by manager"
		r := s.Do(t, http.MethodPut, clientPath(theirs.ID), mgr.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var got client
		testkit.Decode(t, r, &got)
		if deref(got.Owner) != cons.ID || got.Notes != "put by manager" {
			t.Errorf("after manager PUT: owner %s notes %q, want %s and the PUT's notes", deref(got.Owner), got.Notes, cons.ID)
		}
		body["owner"] = mgr.ID
		wantOwnerRefused(t, s.Do(t, http.MethodPut, clientPath(theirs.ID), mgr.Token, body))
	})

	t.Run("admin reassigns the owner", func(t *testing.T) {
		t.Parallel()
		admin, mgr := users[roleAdmin], users[roleManager]
		c := s.createClient(t, admin.Token, nil)
		if deref(c.Owner) != admin.ID {
			t.Fatalf("owner = %s, want the admin", deref(c.Owner))
		}
		r := s.Do(t, http.MethodPatch, clientPath(c.ID), admin.Token, map[string]any{"owner": mgr.ID})
		testkit.WantStatus(t, r, http.StatusOK)
		var got client
		testkit.Decode(t, r, &got)
		if deref(got.Owner) != mgr.ID || deref(got.OwnerName) != mgr.Name {
			t.Errorf("owner/owner_name = %s/%s, want %s/%s", deref(got.Owner), deref(got.OwnerName), mgr.ID, mgr.Name)
		}
		r = s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"owner": nil})
		testkit.WantStatus(t, r, http.StatusOK)
		testkit.Decode(t, r, &got)
		if got.Owner != nil || got.OwnerName != nil {
			t.Errorf("owner null: owner/owner_name = %v/%v, want null/null", got.Owner, got.OwnerName)
		}
		if m := testkit.Object(t, r); m["owner"] != nil || m["owner_name"] != nil {
			t.Errorf("owner/owner_name must be present as null: %s", r.Body)
		}
	})

	t.Run("owner must be an active user of the firm", func(t *testing.T) {
		t.Parallel()
		admin := users[roleAdmin]
		other := s.RegisterFirm(t)
		gone := f.AddUser(t, roleConsultant)
		f.Deactivate(t, gone)
		c := s.createClient(t, admin.Token, nil)
		for name, owner := range map[string]string{
			"another firm's user": other.Owner.ID,
			"deactivated user":    gone.ID,
			"unknown id":          "01900000-0000-7000-8000-000000000000",
			"malformed id":        "42",
		} {
			t.Run(name, func(t *testing.T) {
				r := s.Do(t, http.MethodPost, clientsPath, admin.Token, clientBody(map[string]any{"owner": owner}))
				env := testkit.WantValidation(t, r, map[string][]string{"owner": {msgOwnerUnknown}})
				testkit.WantOnlyFields(t, r, env, "owner")
				r = s.Do(t, http.MethodPatch, clientPath(c.ID), admin.Token, map[string]any{"owner": owner})
				env = testkit.WantValidation(t, r, map[string][]string{"owner": {msgOwnerUnknown}})
				testkit.WantOnlyFields(t, r, env, "owner")
			})
		}
		sameClient(t, "after refused owners", s.getClient(t, admin.Token, c.ID), c, false)
	})

	t.Run("no token", func(t *testing.T) {
		t.Parallel()
		c := s.createClient(t, f.Owner.Token, nil)
		for _, r := range []*response{
			s.Do(t, http.MethodGet, clientsPath, "", nil),
			s.Do(t, http.MethodGet, clientPath(c.ID), "", nil),
			s.Do(t, http.MethodPost, clientsPath, "", clientBody(nil)),
			s.Do(t, http.MethodPatch, clientPath(c.ID), "", map[string]any{"notes": "x"}),
			s.Do(t, http.MethodDelete, clientPath(c.ID), "", nil),
		} {
			testkit.WantError(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth)
		}
		s.getClient(t, f.Owner.Token, c.ID)
	})
}

func TestClientTenancy(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := s.RegisterFirm(t)
	b := s.RegisterFirm(t)
	bAdmin := b.AddUser(t, roleAdmin)
	c := s.createClient(t, a.Owner.Token, map[string]any{"company_name": "Secret Corp", "annual_revenue": "5"})

	for _, u := range []user{b.Owner, bAdmin} {
		for _, tc := range []struct {
			method string
			body   any
		}{
			{http.MethodGet, nil},
			{http.MethodPatch, map[string]any{"notes": "pwned"}},
			{http.MethodPut, clientBody(map[string]any{"company_name": "Pwned"})},
			{http.MethodDelete, nil},
		} {
			testkit.WantNotFound(t, s.Do(t, tc.method, clientPath(c.ID), u.Token, tc.body))
			testkit.WantNotFound(t, s.Do(t, tc.method, "/api/v1/crm/clients/"+c.ID, u.Token, tc.body))
		}
	}
	sameClient(t, "firm A's client after firm B's attempts", s.getClient(t, a.Owner.Token, c.ID), c, false)
	if p, cs := s.listClients(t, b.Owner.Token, "search=secret"); p.Count != 0 || len(cs) != 0 {
		t.Errorf("firm B's search finds firm A's client: %q", clientNames(cs))
	}
	// Firm B may use the name freely.
	s.createClient(t, b.Owner.Token, map[string]any{"company_name": "Secret Corp"})

	// Ids that name nothing, well-formed or not, are 404 for every method.
	for _, id := range []string{"01900000-0000-7000-8000-000000000000", "not-a-uuid", "123", "01900000000070008000000000000000"} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, clientPath(id), a.Owner.Token, nil))
		testkit.WantNotFound(t, s.Do(t, http.MethodPatch, clientPath(id), a.Owner.Token, map[string]any{"notes": "x"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodPut, clientPath(id), a.Owner.Token, clientBody(nil)))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, clientPath(id), a.Owner.Token, nil))
	}
}

func TestClientDelete(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	keep := s.createClient(t, f.Owner.Token, nil)
	c := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Doomed"})

	r := s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, clientPath(c.ID), f.Owner.Token, nil))
	testkit.WantNotFound(t, s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil))
	testkit.WantNotFound(t, s.Do(t, http.MethodPatch, clientPath(c.ID), f.Owner.Token, map[string]any{"notes": "x"}))
	p, cs := s.listClients(t, f.Owner.Token, "")
	if p.Count != 1 || cs[0].ID != keep.ID {
		t.Errorf("after delete the list holds %q", clientNames(cs))
	}
	// The name is free again.
	s.createClient(t, f.Owner.Token, map[string]any{"company_name": "DOOMED"})
	// The canonical path without a trailing slash deletes too.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/v1/crm/clients/"+keep.ID, f.Owner.Token, nil), http.StatusNoContent)
}

func TestClientMethodsAndPaths(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)

	for _, path := range []string{"/api/crm/clients/", "/api/crm/clients", "/api/v1/crm/clients/", "/api/v1/crm/clients"} {
		r := s.Do(t, http.MethodPost, path, f.Owner.Token, clientBody(nil))
		testkit.WantStatus(t, r, http.StatusCreated)
		var c client
		testkit.Decode(t, r, &c)
		if loc := r.Header.Get("Location"); loc != "/api/v1/crm/clients/"+c.ID+"/" {
			t.Errorf("POST %s: Location %q", path, loc)
		}
		for _, p := range []string{"/api/crm/clients/" + c.ID + "/", "/api/crm/clients/" + c.ID,
			"/api/v1/crm/clients/" + c.ID + "/", "/api/v1/crm/clients/" + c.ID} {
			testkit.WantStatus(t, s.Do(t, http.MethodGet, p, f.Owner.Token, nil), http.StatusOK)
		}
		testkit.WantStatus(t, s.Do(t, http.MethodPatch, "/api/crm/clients/"+c.ID, f.Owner.Token,
			map[string]any{"notes": "no slash"}), http.StatusOK)
	}
	r := s.Do(t, http.MethodDelete, clientsPath, f.Owner.Token, nil)
	testkit.WantError(t, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "METHOD_NOT_ALLOWED")
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 Allow = %q, want GET and POST", allow)
	}
}

// SPEC §2: a role or object rule that refuses answers 403, and another firm's object 404,
// whatever the body holds: a caller who may not write is not told how to fix the body first.
func TestClientAuthorizationBeforeValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	acc := f.AddUser(t, roleAccountant)
	other := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	bad := map[string]any{"website": "www.x.com", "primary_contact_phone": "123"}

	t.Run("consultant creates with an invalid body", func(t *testing.T) {
		t.Parallel()
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, clientsPath, cons.Token, map[string]any{"company_name": "X"}))
	})
	t.Run("accountant creates with an invalid body", func(t *testing.T) {
		t.Parallel()
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, clientsPath, acc.Token, bad))
	})
	t.Run("consultant patches a client they do not own with an invalid body", func(t *testing.T) {
		t.Parallel()
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, clientPath(c.ID), cons.Token, bad))
	})
	t.Run("another firm patches with an invalid body", func(t *testing.T) {
		t.Parallel()
		testkit.WantNotFound(t, s.Do(t, http.MethodPatch, clientPath(c.ID), other.Owner.Token, bad))
	})
}

// wantOwnerRefused asserts the 403 of a caller who is not an owner or admin changing a client's
// owner.
func wantOwnerRefused(t testing.TB, r *response) {
	t.Helper()
	env := testkit.WantError(t, r, http.StatusForbidden, typePermission, codeForbidden)
	if env.Error.Message != "You do not have permission to change the owner of a client." {
		t.Errorf("%s %s: message %q, want the owner-change refusal", r.Method, r.Path, env.Error.Message)
	}
}
