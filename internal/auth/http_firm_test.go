package auth_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestFirmSettingsRead(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	owner, firm := register(t, srv)
	members := map[string]account{"owner": owner}
	for _, role := range roles[1:] {
		members[role] = addUser(t, srv, owner, role)
	}
	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			for _, path := range []string{"/api/firm/", "/api/firm", "/api/v1/firm/", "/api/v1/firm"} {
				got, keys := decode[firmJSON](t, call(t, srv, http.MethodGet, path, members[role].Access, nil), http.StatusOK)
				for _, k := range firmKeys {
					if !slices.Contains(keys, k) {
						t.Errorf("%s: members %v, want %s among them", path, keys, k)
					}
				}
				if got.ID != firm.ID || got.Name != firm.Name || got.Timezone != "UTC" || got.DefaultCurrency != "USD" {
					t.Errorf("%s: firm %+v, want %+v", path, got, firm)
				}
			}
		})
	}
}

func TestFirmSettingsUpdate(t *testing.T) {
	t.Parallel()
	srv := startServer(t)

	t.Run("owner and admin change every setting", func(t *testing.T) {
		t.Parallel()
		owner, firm := register(t, srv)
		admin := addUser(t, srv, owner, "admin")
		steps := []struct {
			who  account
			body map[string]any
			want firmJSON
		}{
			{owner, map[string]any{"name": "Renamed Advisory", "timezone": "Europe/Paris", "default_currency": "EUR",
				"default_payment_terms": "net_45", "invoice_prefix": "FAC", "proposal_prefix": "PRO-2026", "contract_prefix": "K1"},
				firmJSON{Name: "Renamed Advisory", Timezone: "Europe/Paris", DefaultCurrency: "EUR", DefaultPaymentTerms: "net_45",
					InvoicePrefix: "FAC", ProposalPrefix: "PRO-2026", ContractPrefix: "K1"}},
			{admin, map[string]any{"timezone": "America/New_York", "default_currency": "JPY", "default_payment_terms": "due_on_receipt"},
				firmJSON{Name: "Renamed Advisory", Timezone: "America/New_York", DefaultCurrency: "JPY", DefaultPaymentTerms: "due_on_receipt",
					InvoicePrefix: "FAC", ProposalPrefix: "PRO-2026", ContractPrefix: "K1"}},
			{admin, map[string]any{"default_payment_terms": "milestone", "timezone": "UTC", "invoice_prefix": "INV-"},
				firmJSON{Name: "Renamed Advisory", Timezone: "UTC", DefaultCurrency: "JPY", DefaultPaymentTerms: "milestone",
					InvoicePrefix: "INV-", ProposalPrefix: "PRO-2026", ContractPrefix: "K1"}},
			{owner, map[string]any{}, // an empty PATCH changes nothing
				firmJSON{Name: "Renamed Advisory", Timezone: "UTC", DefaultCurrency: "JPY", DefaultPaymentTerms: "milestone",
					InvoicePrefix: "INV-", ProposalPrefix: "PRO-2026", ContractPrefix: "K1"}},
		}
		for i, step := range steps {
			path := []string{"/api/firm/", "/api/v1/firm", "/api/firm", "/api/v1/firm/"}[i]
			got, _ := decode[firmJSON](t, call(t, srv, http.MethodPatch, path, step.who.Access, step.body), http.StatusOK)
			want := step.want
			want.ID, want.CreatedAt, want.UpdatedAt = firm.ID, got.CreatedAt, got.UpdatedAt
			if got != want {
				t.Errorf("step %d: firm %+v\nwant %+v", i, got, want)
			}
			if !got.CreatedAt.Equal(firm.CreatedAt) {
				t.Errorf("step %d: created_at %v changed (was %v)", i, got.CreatedAt, firm.CreatedAt)
			}
			fetched, _ := decode[firmJSON](t, call(t, srv, http.MethodGet, "/api/firm/", owner.Access, nil), http.StatusOK)
			if fetched.Timezone != want.Timezone || fetched.DefaultCurrency != want.DefaultCurrency || fetched.InvoicePrefix != want.InvoicePrefix {
				t.Errorf("step %d: GET after PATCH %+v, want %+v", i, fetched, want)
			}
		}
	})

	t.Run("send back what GET returned", func(t *testing.T) {
		t.Parallel()
		owner, firm := register(t, srv)
		r := call(t, srv, http.MethodGet, "/api/firm/", owner.Access, nil)
		wantStatus(t, r, http.StatusOK)
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		body["timezone"] = "Asia/Tokyo"
		body["id"] = "01900000-0000-7000-8000-000000000000"
		body["created_at"] = "2001-01-01T00:00:00Z"
		got, _ := decode[firmJSON](t, call(t, srv, http.MethodPatch, "/api/firm/", owner.Access, body), http.StatusOK)
		if got.ID != firm.ID || got.Timezone != "Asia/Tokyo" || !got.CreatedAt.Equal(firm.CreatedAt) || got.Name != firm.Name {
			t.Errorf("firm after sending it back %+v, was %+v", got, firm)
		}
	})

	t.Run("invalid values", func(t *testing.T) {
		t.Parallel()
		owner, firm := register(t, srv)
		tests := []struct {
			name  string
			body  map[string]any
			field string
			msg   string // "" accepts any message on the field
		}{
			{"unknown time zone", map[string]any{"timezone": "Mars/Olympus"}, "timezone", msgTimezone},
			{"time zone abbreviation", map[string]any{"timezone": "CEST"}, "timezone", msgTimezone},
			{"Local is no time zone", map[string]any{"timezone": "Local"}, "timezone", msgTimezone},
			{"empty time zone", map[string]any{"timezone": ""}, "timezone", msgTimezone},
			{"unknown currency", map[string]any{"default_currency": "XYZ"}, "default_currency", msgCurrency},
			{"currency not a code", map[string]any{"default_currency": "dollars"}, "default_currency", msgCurrency},
			{"empty currency", map[string]any{"default_currency": ""}, "default_currency", msgCurrency},
			{"unknown payment terms", map[string]any{"default_payment_terms": "net_90"}, "default_payment_terms", ""},
			{"payment terms in upper case", map[string]any{"default_payment_terms": "NET_30"}, "default_payment_terms", ""},
			{"prefix too long", map[string]any{"invoice_prefix": "ABCDEFGHIJK"}, "invoice_prefix", msgPrefix},
			{"prefix with a space", map[string]any{"proposal_prefix": "PR OP"}, "proposal_prefix", msgPrefix},
			{"prefix with a slash", map[string]any{"contract_prefix": "C/T"}, "contract_prefix", msgPrefix},
			{"empty prefix", map[string]any{"contract_prefix": ""}, "contract_prefix", msgPrefix},
			{"blank name", map[string]any{"name": "   "}, "name", ""},
			{"unknown field", map[string]any{"plan": "enterprise"}, "plan", msgUnknownField},
			{"locale without region", map[string]any{"locale": "en"}, "locale", msgLocale},
			{"locale of an unknown region", map[string]any{"locale": "en-ZZ"}, "locale", msgLocale},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := call(t, srv, http.MethodPatch, "/api/firm/", owner.Access, tt.body)
				p := wantProblem(t, r, http.StatusBadRequest, typeValidation, codeValidation, msgValidation)
				if len(p.Details[tt.field]) == 0 || tt.msg != "" && !slices.Equal(p.Details[tt.field], []string{tt.msg}) {
					want := tt.msg
					if want == "" {
						want = "any message"
					}
					t.Errorf("details %v, want %s on %s", p.Details, want, tt.field)
				}
			})
		}
		t.Run("payment terms name the choice", func(t *testing.T) {
			r := call(t, srv, http.MethodPatch, "/api/firm/", owner.Access, map[string]any{"default_payment_terms": "net_90"})
			p := wantProblem(t, r, http.StatusBadRequest, typeValidation, codeValidation, msgValidation)
			if msgs := p.Details["default_payment_terms"]; len(msgs) != 1 || msgs[0] != msgChoice {
				t.Errorf("details[default_payment_terms] = %q, want %q", msgs, msgChoice)
			}
		})
		t.Run("every problem at once, nothing changed", func(t *testing.T) {
			r := call(t, srv, http.MethodPatch, "/api/firm/", owner.Access, map[string]any{
				"name": "Should Not Stick", "timezone": "Nowhere/Town", "default_currency": "ZZZ", "invoice_prefix": "way too long prefix",
			})
			wantValidation(t, r, map[string][]string{"timezone": {msgTimezone}, "default_currency": {msgCurrency}, "invoice_prefix": {msgPrefix}})
			got, _ := decode[firmJSON](t, call(t, srv, http.MethodGet, "/api/firm/", owner.Access, nil), http.StatusOK)
			if got.Name != firm.Name || got.Timezone != "UTC" || got.DefaultCurrency != "USD" || got.InvoicePrefix != "INV" {
				t.Errorf("a refused PATCH changed the firm: %+v", got)
			}
		})
	})

	t.Run("other roles may not", func(t *testing.T) {
		t.Parallel()
		owner, firm := register(t, srv)
		for _, role := range []string{"manager", "consultant", "accountant"} {
			member := addUser(t, srv, owner, role)
			for _, body := range []map[string]any{{"name": "Taken Over"}, {"timezone": "Europe/Paris"}, {}} {
				wantForbidden(t, call(t, srv, http.MethodPatch, "/api/firm/", member.Access, body), msgForbidden)
			}
		}
		got, _ := decode[firmJSON](t, call(t, srv, http.MethodGet, "/api/firm/", owner.Access, nil), http.StatusOK)
		if got.Name != firm.Name || got.Timezone != firm.Timezone {
			t.Errorf("a refused PATCH changed the firm: %+v", got)
		}
	})

	t.Run("one firm's settings are its own", func(t *testing.T) {
		t.Parallel()
		a, _ := register(t, srv)
		b, firmB := register(t, srv)
		decode[firmJSON](t, call(t, srv, http.MethodPatch, "/api/firm/", a.Access, map[string]any{"timezone": "Pacific/Auckland"}), http.StatusOK)
		got, _ := decode[firmJSON](t, call(t, srv, http.MethodGet, "/api/firm/", b.Access, nil), http.StatusOK)
		if got.ID != firmB.ID || got.Timezone != "UTC" {
			t.Errorf("firm B after A's PATCH: %+v", got)
		}
	})

	t.Run("unsupported methods", func(t *testing.T) {
		t.Parallel()
		owner, _ := register(t, srv)
		for _, method := range []string{http.MethodPost, http.MethodDelete, http.MethodPut} {
			r := call(t, srv, method, "/api/firm/", owner.Access, nil)
			wantProblem(t, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "METHOD_NOT_ALLOWED", "Method not allowed.")
			if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PATCH") {
				t.Errorf("%s /api/firm/: Allow %q, want GET and PATCH", method, allow)
			}
		}
	})
}
