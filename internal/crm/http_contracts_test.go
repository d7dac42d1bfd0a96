package crm_test

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// contractRes is a contract as the API shows it.
type contractRes struct {
	ID              string  `json:"id"`
	Client          string  `json:"client"`
	ClientName      *string `json:"client_name"`
	Proposal        *string `json:"proposal"`
	ProposalNumber  *string `json:"proposal_number"`
	ContractNumber  string  `json:"contract_number"`
	Title           string  `json:"title"`
	Description     string  `json:"description"`
	Status          string  `json:"status"`
	TotalValue      string  `json:"total_value"`
	Currency        string  `json:"currency"`
	PaymentTerms    string  `json:"payment_terms"`
	StartDate       string  `json:"start_date"`
	EndDate         string  `json:"end_date"`
	SignedDate      *string `json:"signed_date"`
	SignedBy        string  `json:"signed_by"`
	ContractFileURL string  `json:"contract_file_url"`
	Notes           string  `json:"notes"`
	CreatedBy       *string `json:"created_by"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
	IsActive        bool    `json:"is_active"`
}

// contractBody is a valid create body for the client (April to December 2026), changed by
// fields (a nil value removes the field).
func contractBody(clientID string, fields map[string]any) map[string]any {
	body := map[string]any{"client": clientID, "title": "Transformation programme", "description": "Phase 1",
		"total_value": "48000.00", "start_date": "2026-04-01", "end_date": "2026-12-31"}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// contractDo sends a request about a contract, expects the status and decodes a 200 or 201
// answer.
func (s *apiServer) contractDo(t testing.TB, method, path, token string, body any, status int) contractRes {
	t.Helper()
	r := s.Do(t, method, path, token, body)
	testkit.WantStatus(t, r, status)
	var k contractRes
	if status == http.StatusOK || status == http.StatusCreated {
		testkit.Decode(t, r, &k)
	}
	return k
}

// postContract creates a contract from contractBody and returns it.
func (s *apiServer) postContract(t testing.TB, token, clientID string, fields map[string]any) contractRes {
	t.Helper()
	return s.contractDo(t, http.MethodPost, contractsURL, token, contractBody(clientID, fields), http.StatusCreated)
}

func contractNumbers(ks []contractRes) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ContractNumber
	}
	return out
}

func TestContractCreate(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	c := s.createClient(t, f.Owner.Token, nil)

	body := contractBody(c.ID, map[string]any{"contract_number": "HACK-1", "created_by": mgr.ID,
		"is_active": true, "proposal_number": "PROP-1999-001", "client_name": "x"})
	r := s.Do(t, http.MethodPost, contractsURL, f.Owner.Token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var k contractRes
	testkit.Decode(t, r, &k)
	if loc := r.Header.Get("Location"); loc != "/api/v1/crm/contracts/"+k.ID+"/" {
		t.Errorf("Location %q", loc)
	}
	want := contractRes{ID: k.ID, Client: c.ID, ClientName: &c.CompanyName, ContractNumber: "CTR-2026-001",
		Title: "Transformation programme", Description: "Phase 1", Status: "draft", TotalValue: "48000.00",
		Currency: "USD", PaymentTerms: "net_30", StartDate: "2026-04-01", EndDate: "2026-12-31",
		CreatedBy: &f.Owner.ID, CreatedAt: clk.stampText(), UpdatedAt: clk.stampText()}
	if !reflect.DeepEqual(k, want) {
		t.Errorf("created contract\n got: %+v\nwant: %+v", k, want)
	}
	obj := testkit.Object(t, r)
	for _, key := range []string{"proposal", "proposal_number", "signed_date"} {
		if v, ok := obj[key]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", key, v, ok)
		}
	}
	if got := s.contractDo(t, http.MethodGet, contractURL(k.ID), mgr.Token, nil, http.StatusOK); !reflect.DeepEqual(got, k) {
		t.Errorf("GET differs:\n got %+v\nwant %+v", got, k)
	}

	// With a proposal of the same client, by a manager, on the canonical path, in EUR.
	p := s.postProposal(t, f.Owner.Token, c.ID, nil)
	k2 := s.contractDo(t, http.MethodPost, "/api/v1/crm/contracts", mgr.Token, contractBody(c.ID, map[string]any{
		"proposal": p.ID, "currency": "EUR", "total_value": 1234.5, "payment_terms": "milestone",
		"signed_date": "2026-04-01", "signed_by": "Ada Client", "contract_file_url": "https://files.example/c.pdf",
		"notes": "Signed at kickoff"}), http.StatusCreated)
	if k2.ContractNumber != "CTR-2026-002" || deref(k2.Proposal) != p.ID || deref(k2.ProposalNumber) != p.ProposalNumber ||
		k2.Currency != "EUR" || k2.TotalValue != "1234.50" || k2.PaymentTerms != "milestone" ||
		deref(k2.SignedDate) != "2026-04-01" || k2.SignedBy != "Ada Client" || deref(k2.CreatedBy) != mgr.ID ||
		k2.ContractFileURL != "https://files.example/c.pdf" || k2.Notes != "Signed at kickoff" {
		t.Errorf("second contract: %+v", k2)
	}
	f.Settings(t, map[string]any{"default_currency": "JPY"})
	if k3 := s.postContract(t, f.Owner.Token, c.ID, map[string]any{"total_value": "5000000"}); k3.Currency != "JPY" || k3.TotalValue != "5000000" {
		t.Errorf("JPY firm: %s %s", k3.TotalValue, k3.Currency)
	}
}

func TestContractCreateValidation(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	c2 := s.createClient(t, f.Owner.Token, nil)
	ofC2 := s.postProposal(t, f.Owner.Token, c2.ID, nil)
	foreign := s.createClient(t, other.Owner.Token, nil)
	foreignP := s.postProposal(t, other.Owner.Token, foreign.ID, nil)

	tests := []struct {
		name string
		body map[string]any
		want map[string][]string
		any  []string
	}{
		{name: "end equals start", body: map[string]any{"end_date": "2026-04-01"},
			want: map[string][]string{"end_date": {msgEndAfterStart}}},
		{name: "end before start", body: map[string]any{"end_date": "2026-03-31"},
			want: map[string][]string{"end_date": {msgEndAfterStart}}},
		{name: "value zero", body: map[string]any{"total_value": "0.00"},
			want: map[string][]string{"total_value": {msgContractValue}}},
		{name: "value negative", body: map[string]any{"total_value": -100},
			want: map[string][]string{"total_value": {msgContractValue}}},
		{name: "value with three decimals", body: map[string]any{"total_value": "1.005"},
			want: map[string][]string{"total_value": {msgTwoDecimals}}},
		{name: "payment terms unknown", body: map[string]any{"payment_terms": "net_90"}, any: []string{"payment_terms"}},
		{name: "signed after start", body: map[string]any{"signed_date": "2026-04-02"},
			want: map[string][]string{"signed_date": {msgSignedAfter}}},
		{name: "proposal of another client", body: map[string]any{"proposal": ofC2.ID},
			want: map[string][]string{"proposal": {msgProposalClient}}},
		{name: "proposal of another firm", body: map[string]any{"proposal": foreignP.ID}, any: []string{"proposal"}},
		{name: "client of another firm", body: map[string]any{"client": foreign.ID}, any: []string{"client"}},
		{name: "status unknown", body: map[string]any{"status": "signed"}, any: []string{"status"}},
		{name: "file url not http", body: map[string]any{"contract_file_url": "ftp://files.example/c.pdf"},
			any: []string{"contract_file_url"}},
		{name: "active, no signed date, started before today", body: map[string]any{"status": "active",
			"start_date": "2026-03-01"}, any: []string{"signed_date"}},
		{name: "unknown field", body: map[string]any{"discount": 5}, want: map[string][]string{"discount": {msgUnknownField}}},
		{name: "required fields missing", body: map[string]any{"client": nil, "title": nil, "description": nil,
			"total_value": nil, "start_date": nil, "end_date": nil},
			any: []string{"client", "title", "description", "total_value", "start_date", "end_date"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, contractsURL, f.Owner.Token, contractBody(c.ID, tc.body))
			env := testkit.WantValidation(t, r, tc.want)
			testkit.WantFields(t, r, env, tc.any...)
			testkit.WantOnlyFields(t, r, env, append(slices.Collect(maps.Keys(tc.want)), tc.any...)...)
		})
	}
	if k := s.postContract(t, f.Owner.Token, c.ID, map[string]any{"signed_date": "2026-04-01"}); k.ContractNumber != "CTR-2026-001" {
		t.Errorf("after refused creates the first number is %s", k.ContractNumber)
	}
}

// SPEC §4: the contract rules apply to the effective values, so a PATCH of one date is checked
// against the stored others.
func TestContractPatchEffectiveValues(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c := s.createClient(t, tok, nil)
	c2 := s.createClient(t, tok, nil)
	p := s.postProposal(t, tok, c.ID, nil)
	p2 := s.postProposal(t, tok, c2.ID, nil)
	k := s.postContract(t, tok, c.ID, map[string]any{"proposal": p.ID, "signed_date": "2026-03-20", "total_value": "48000.50"})

	type refusal struct {
		name string
		body map[string]any
		want map[string][]string // exact messages
		any  []string            // fields with some message
	}
	tests := []refusal{
		{"start moved past the stored end", map[string]any{"start_date": "2027-01-15"},
			map[string][]string{"end_date": {msgEndAfterStart}}, nil},
		{"end moved onto the stored start", map[string]any{"end_date": "2026-04-01"},
			map[string][]string{"end_date": {msgEndAfterStart}}, nil},
		{"start moved before the stored signed date", map[string]any{"start_date": "2026-03-15"},
			map[string][]string{"signed_date": {msgSignedAfter}}, nil},
		{"signed date after the stored start", map[string]any{"signed_date": "2026-04-02"},
			map[string][]string{"signed_date": {msgSignedAfter}}, nil},
		{"proposal of another client", map[string]any{"proposal": p2.ID},
			map[string][]string{"proposal": {msgProposalClient}}, nil},
		{"client changed under the stored proposal", map[string]any{"client": c2.ID},
			map[string][]string{"proposal": {msgProposalClient}}, nil},
		{"value zero", map[string]any{"total_value": 0}, map[string][]string{"total_value": {msgContractValue}}, nil},
		{"payment terms unknown", map[string]any{"payment_terms": "weekly"}, nil, []string{"payment_terms"}},
		{"end date blank", map[string]any{"end_date": ""}, nil, []string{"end_date"}},
		// A figure the new currency cannot hold is reported once, not also as "not greater than 0".
		{"currency that cannot hold the stored value", map[string]any{"currency": "JPY"},
			map[string][]string{"total_value": {msgNoDecimals}}, nil},
	}
	// Null is not "not sent" on PATCH: the required fields refuse it, as the client's do.
	for _, field := range []string{"client", "title", "description", "total_value", "start_date", "end_date"} {
		tests = append(tests, refusal{field + " null", map[string]any{field: nil}, nil, []string{field}})
	}
	t.Run("refused", func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				r := s.Do(t, http.MethodPatch, contractURL(k.ID), tok, tc.body)
				env := testkit.WantValidation(t, r, tc.want)
				testkit.WantFields(t, r, env, tc.any...)
				testkit.WantOnlyFields(t, r, env, append(slices.Collect(maps.Keys(tc.want)), tc.any...)...)
			})
		}
	})
	if got := s.contractDo(t, http.MethodGet, contractURL(k.ID), tok, nil, http.StatusOK); !reflect.DeepEqual(got, k) {
		t.Errorf("refused changes were stored:\n got %+v\nwant %+v", got, k)
	}
	t.Run("accepted changes", func(t *testing.T) {
		k := s.postContract(t, tok, c.ID, map[string]any{"proposal": p.ID, "signed_date": "2026-03-20"})
		got := s.contractDo(t, http.MethodPatch, contractURL(k.ID), tok, map[string]any{"client": c2.ID, "proposal": p2.ID}, http.StatusOK)
		if got.Client != c2.ID || deref(got.Proposal) != p2.ID || deref(got.ProposalNumber) != p2.ProposalNumber ||
			deref(got.ClientName) != c2.CompanyName {
			t.Errorf("client and proposal together: %+v", got)
		}
		got = s.contractDo(t, http.MethodPatch, contractURL(k.ID), tok, map[string]any{"proposal": nil,
			"payment_terms": "net_60", "start_date": "2026-03-20", "end_date": "2026-03-21"}, http.StatusOK)
		if got.Proposal != nil || got.ProposalNumber != nil || got.PaymentTerms != "net_60" || got.StartDate != "2026-03-20" {
			t.Errorf("clear proposal, one-day contract signed on its start: %+v", got)
		}
		fetched := testkit.Object(t, s.Do(t, http.MethodGet, contractURL(k.ID), tok, nil))
		fetched["notes"] = "Put back"
		if put := s.contractDo(t, http.MethodPut, contractURL(k.ID), tok, fetched, http.StatusOK); put.Notes != "Put back" ||
			put.ContractNumber != k.ContractNumber {
			t.Errorf("PUT of the fetched contract: %+v", put)
		}
	})
}

// SPEC §4: becoming active without a signed date stamps the firm's today, unless today is after
// the start; is_active is status active and start ≤ today ≤ end.
func TestContractActivation(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c := s.createClient(t, tok, nil)
	activate := map[string]any{"status": "active"}

	future := s.postContract(t, tok, c.ID, map[string]any{"start_date": "2026-03-15", "end_date": "2026-06-30"})
	got := s.contractDo(t, http.MethodPatch, contractURL(future.ID), tok, activate, http.StatusOK)
	if got.Status != "active" || deref(got.SignedDate) != "2026-03-10" || got.IsActive {
		t.Errorf("activated before its start: status %s, signed %s, is_active %v", got.Status, deref(got.SignedDate), got.IsActive)
	}
	today := s.postContract(t, tok, c.ID, map[string]any{"status": "active", "start_date": "2026-03-10"})
	if deref(today.SignedDate) != "2026-03-10" || !today.IsActive {
		t.Errorf("created active, starting today: signed %s, is_active %v", deref(today.SignedDate), today.IsActive)
	}

	started := s.postContract(t, tok, c.ID, map[string]any{"start_date": "2026-03-01"})
	r := s.Do(t, http.MethodPatch, contractURL(started.ID), tok, activate)
	env := testkit.WantValidation(t, r, nil)
	testkit.WantOnlyFields(t, r, env, "signed_date")
	if g := s.contractDo(t, http.MethodGet, contractURL(started.ID), tok, nil, http.StatusOK); g.Status != "draft" || g.SignedDate != nil {
		t.Errorf("refused activation stored: %+v", g)
	}
	got = s.contractDo(t, http.MethodPatch, contractURL(started.ID), tok, map[string]any{"status": "active",
		"signed_date": "2026-02-27"}, http.StatusOK)
	if deref(got.SignedDate) != "2026-02-27" || !got.IsActive {
		t.Errorf("activated with a signed date: %+v", got)
	}
	signed := s.postContract(t, tok, c.ID, map[string]any{"start_date": "2026-03-01", "signed_date": "2026-02-20"})
	if got := s.contractDo(t, http.MethodPatch, contractURL(signed.ID), tok, activate, http.StatusOK); deref(got.SignedDate) != "2026-02-20" {
		t.Errorf("activation kept the stored signed date? %+v", got)
	}
	// Already active: other changes do not re-run the activation rule.
	if got := s.contractDo(t, http.MethodPatch, contractURL(future.ID), tok, map[string]any{"notes": "x"}, http.StatusOK); deref(got.SignedDate) != "2026-03-10" {
		t.Errorf("signed date moved: %+v", got)
	}

	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 3, 14, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 6, 30, 23, 59, 0, 0, time.UTC), true},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		clk.set(tc.at)
		if g := s.contractDo(t, http.MethodGet, contractURL(future.ID), tok, nil, http.StatusOK); g.IsActive != tc.want {
			t.Errorf("at %s: is_active %v, want %v", tc.at, g.IsActive, tc.want)
		}
	}
	if g := s.contractDo(t, http.MethodPatch, contractURL(future.ID), tok, map[string]any{"status": "on_hold"}, http.StatusOK); g.IsActive {
		t.Errorf("on hold but is_active")
	}

	// "Today" is the firm's: 23:00 on 10 March in Honolulu is 11 March in UTC.
	clk.set(time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC))
	hnl := s.RegisterFirm(t)
	hnl.Settings(t, map[string]any{"timezone": "Pacific/Honolulu"})
	hk := s.postContract(t, hnl.Owner.Token, s.createClient(t, hnl.Owner.Token, nil).ID, map[string]any{"start_date": "2026-03-10"})
	if got := s.contractDo(t, http.MethodPatch, contractURL(hk.ID), hnl.Owner.Token, activate, http.StatusOK); deref(got.SignedDate) != "2026-03-10" || !got.IsActive {
		t.Errorf("Honolulu: activated on its start date: %+v", got)
	}
	uk := s.postContract(t, tok, c.ID, map[string]any{"start_date": "2026-03-10"})
	r = s.Do(t, http.MethodPatch, contractURL(uk.ID), tok, activate)
	testkit.WantOnlyFields(t, r, testkit.WantValidation(t, r, nil), "signed_date")
}

func TestContractList(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	ca := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme Analytics"})
	cb := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Borealis Bank"})
	mk := func(clientID string, fields map[string]any) contractRes {
		clk.add(time.Minute)
		return s.postContract(t, f.Owner.Token, clientID, fields)
	}
	k1 := mk(ca.ID, map[string]any{"title": "Retainer 2026", "start_date": "2026-05-01"})
	k2 := mk(ca.ID, map[string]any{"title": "Pricing sprint", "start_date": "2026-03-01", "status": "active",
		"signed_date": "2026-02-15", "payment_terms": "net_15"})
	k3 := mk(cb.ID, map[string]any{"title": "Retainer review", "start_date": "2026-04-01", "payment_terms": "net_15"})
	o := s.RegisterFirm(t)
	s.postContract(t, o.Owner.Token, s.createClient(t, o.Owner.Token, map[string]any{"company_name": "Borealis Bank"}).ID, nil)

	num := func(ks ...contractRes) []string { return contractNumbers(ks) }
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", num(k3, k2, k1)},
		{"client=" + ca.ID, num(k2, k1)},
		{"status=active", num(k2)},
		{"status=completed", nil},
		{"payment_terms=net_15", num(k3, k2)},
		{"payment_terms=net_30", num(k1)},
		{"client=" + cb.ID + "&payment_terms=net_15", num(k3)},
		{"search=retainer", num(k3, k1)},
		{"search=ctr-2026-002", num(k2)},
		{"search=BOREALIS", num(k3)},
		{"search=retainer+acme", num(k1)},
		{"ordering=contract_number", num(k1, k2, k3)},
		{"ordering=-contract_number", num(k3, k2, k1)},
		{"ordering=start_date", num(k2, k3, k1)},
		{"ordering=-start_date", num(k1, k3, k2)},
		{"ordering=created_at", num(k1, k2, k3)},
	} {
		pg, ks := testkit.ListOf[contractRes](t, s.API, cons.Token, contractsURL, tc.query)
		if got := contractNumbers(ks); !slices.Equal(got, tc.want) || pg.Count != int64(len(tc.want)) {
			t.Errorf("?%s: count %d, %q, want %q", tc.query, pg.Count, got, tc.want)
		}
	}
	_, ks := testkit.ListOf[contractRes](t, s.API, cons.Token, "/api/v1/crm/contracts", "status=active")
	if len(ks) != 1 || !ks[0].IsActive || deref(ks[0].ClientName) != ca.CompanyName {
		t.Errorf("list row: %+v", ks)
	}
	for query, field := range map[string]string{"payment_terms=net_90": "payment_terms", "status=signed": "status",
		"client=nope": "client", "ordering=title": "ordering", "ordering=end_date": "ordering"} {
		r := s.Do(t, http.MethodGet, contractsURL+"?"+query, f.Owner.Token, nil)
		if r.Status != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400: %s", query, r.Status, r.Body)
			continue
		}
		var env envelope
		testkit.Decode(t, r, &env)
		testkit.WantFields(t, r, env, field)
	}
}

// acceptRes is the accept action's answer.
type acceptRes struct {
	Proposal proposalRes  `json:"proposal"`
	Contract *contractRes `json:"contract"`
}

func (s *apiServer) accept(t testing.TB, path, token string, body any) acceptRes {
	t.Helper()
	r := s.Do(t, http.MethodPost, path, token, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var out acceptRes
	testkit.Decode(t, r, &out)
	if v, ok := testkit.Object(t, r)["contract"]; !ok || out.Contract == nil && v != nil {
		t.Errorf("contract key missing or not null: %s", r.Body)
	}
	return out
}

func TestProposalAccept(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent", "currency": "EUR",
		"total_value": "2500.50", "estimated_start_date": "2026-04-01", "estimated_end_date": "2026-09-30"})

	clk.add(time.Hour)
	out := s.accept(t, acceptURL(p.ID), mgr.Token, map[string]any{"create_contract": true})
	if out.Proposal.Status != "accepted" || deref(out.Proposal.AcceptedAt) != clk.stampText() || out.Proposal.ID != p.ID {
		t.Errorf("accepted proposal: %+v", out.Proposal)
	}
	if out.Contract == nil {
		t.Fatalf("no contract")
	}
	k := *out.Contract
	want := contractRes{ID: k.ID, Client: c.ID, ClientName: &c.CompanyName, Proposal: &p.ID,
		ProposalNumber: &p.ProposalNumber, ContractNumber: "CTR-2026-001", Title: p.Title, Description: p.Description,
		Status: "draft", TotalValue: "2500.50", Currency: "EUR", PaymentTerms: "net_30", StartDate: "2026-04-01",
		EndDate: "2026-09-30", CreatedBy: &mgr.ID, CreatedAt: clk.stampText(), UpdatedAt: clk.stampText()}
	if !reflect.DeepEqual(k, want) {
		t.Errorf("contract from the proposal\n got: %+v\nwant: %+v", k, want)
	}
	if got := s.contractDo(t, http.MethodGet, contractURL(k.ID), f.Owner.Token, nil, http.StatusOK); !reflect.DeepEqual(got, k) {
		t.Errorf("GET contract differs: %+v", got)
	}
	if got := s.getProposal(t, f.Owner.Token, p.ID); !reflect.DeepEqual(got, out.Proposal) {
		t.Errorf("GET proposal differs:\n got %+v\nwant %+v", got, out.Proposal)
	}

	// Accepting again is refused, and makes no second contract.
	r := s.Do(t, http.MethodPost, acceptURL(p.ID), f.Owner.Token, map[string]any{"create_contract": true})
	again := map[string][]string{"status": {"Proposal is already accepted"}}
	testkit.WantOnlyFields(t, r, testkit.WantValidation(t, r, again), "status")
	// A draft cannot be accepted (SPEC §4's transition table).
	d := s.postProposal(t, f.Owner.Token, c.ID, nil)
	r = s.Do(t, http.MethodPost, acceptURL(d.ID), f.Owner.Token, map[string]any{"create_contract": true})
	testkit.WantValidation(t, r, map[string][]string{"status": {"Cannot change status from draft to accepted"}})
	if pg, _ := testkit.ListOf[contractRes](t, s.API, f.Owner.Token, contractsURL, ""); pg.Count != 1 {
		t.Errorf("%d contracts after refused accepts, want 1", pg.Count)
	}

	// Without create_contract (no body, false, or an empty object) the contract is null.
	for _, body := range []any{nil, map[string]any{"create_contract": false}, map[string]any{}} {
		q := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent"})
		q = s.patchProposal(t, f.Owner.Token, q.ID, map[string]any{"status": "under_review"})
		if out := s.accept(t, "/api/v1/crm/proposals/"+q.ID+"/accept", f.Owner.Token, body); out.Contract != nil || out.Proposal.Status != "accepted" {
			t.Errorf("accept with %v: %+v", body, out)
		}
	}
	// Without estimated dates the contract starts today and ends a year later (the code's choice).
	q := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent"})
	if out := s.accept(t, acceptURL(q.ID), f.Owner.Token, map[string]any{"create_contract": true}); out.Contract == nil ||
		out.Contract.StartDate != clk.today() || out.Contract.EndDate != "2027-03-10" || out.Contract.ContractNumber != "CTR-2026-002" {
		t.Errorf("contract of a proposal without dates: %+v", out.Contract)
	}

	r = s.Do(t, http.MethodPost, acceptURL(d.ID), f.Owner.Token, map[string]any{"create_contract": true, "signed": true})
	testkit.WantValidation(t, r, map[string][]string{"signed": {msgUnknownField}})
	other := s.RegisterFirm(t)
	testkit.WantNotFound(t, s.Do(t, http.MethodPost, acceptURL(d.ID), other.Owner.Token, map[string]any{"create_contract": true}))
	testkit.WantNotFound(t, s.Do(t, http.MethodPost, acceptURL("0193a000-0000-7000-8000-000000000000"), f.Owner.Token, nil))
	testkit.WantNotFound(t, s.Do(t, http.MethodPost, acceptURL("nope"), f.Owner.Token, nil))
}

// SPEC §1: managers and up write proposals and contracts; a consultant edits the ones they
// created (IsCreatorOrReadOnly); accountants read; another firm's are not found. Refusals come
// before validation: 403 (or 404) whatever the body holds.
func TestProposalContractPermissions(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	u := f.Roles(t)
	other := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	bad := map[string]any{"total_value": "-1", "status": "bogus", "nope": 1}

	for _, role := range []string{roleOwner, roleAdmin, roleManager, roleConsultant, roleAccountant} {
		tok := u[role].Token
		if role == roleConsultant || role == roleAccountant {
			testkit.WantForbidden(t, s.Do(t, http.MethodPost, proposalsURL, tok, proposalBody(c.ID, nil)))
			testkit.WantForbidden(t, s.Do(t, http.MethodPost, contractsURL, tok, contractBody(c.ID, nil)))
			testkit.WantForbidden(t, s.Do(t, http.MethodPost, proposalsURL, tok, bad))
			testkit.WantForbidden(t, s.Do(t, http.MethodPost, contractsURL, tok, bad))
			continue
		}
		if p := s.postProposal(t, tok, c.ID, nil); deref(p.CreatedBy) != u[role].ID {
			t.Errorf("%s: created_by %s", role, deref(p.CreatedBy))
		}
		s.postContract(t, tok, c.ID, nil)
	}

	// Consultants cannot create, so a consultant's own proposal is one they made as a manager.
	former := f.AddUser(t, roleManager)
	mineP := s.postProposal(t, former.Token, c.ID, map[string]any{"status": "sent"})
	mineK := s.postContract(t, former.Token, c.ID, nil)
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, "/api/firm/users/"+former.ID+"/", f.Owner.Token,
		map[string]any{"role": roleConsultant}), http.StatusOK)
	theirsP := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent"})
	theirsK := s.postContract(t, f.Owner.Token, c.ID, nil)

	if p := s.patchProposal(t, former.Token, mineP.ID, map[string]any{"title": "Mine"}); p.Title != "Mine" {
		t.Errorf("consultant's own proposal: %+v", p)
	}
	s.contractDo(t, http.MethodPatch, contractURL(mineK.ID), former.Token, map[string]any{"notes": "Mine"}, http.StatusOK)
	for _, path := range []string{proposalURL(mineP.ID), contractURL(mineK.ID)} {
		fetched := testkit.Object(t, s.Do(t, http.MethodGet, path, former.Token, nil))
		fetched["description"] = "Put by its creator"
		testkit.WantStatus(t, s.Do(t, http.MethodPut, path, former.Token, fetched), http.StatusOK)
		// Updating is not deleting: consultants delete nothing.
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, path, former.Token, nil))
	}
	// Accepting their own proposal is an update; creating its contract is not theirs to do, and
	// the refusal leaves the proposal as it was.
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, acceptURL(mineP.ID), former.Token, map[string]any{"create_contract": true}))
	if p := s.getProposal(t, former.Token, mineP.ID); p.Status != "sent" || p.AcceptedAt != nil {
		t.Errorf("refused accept changed the proposal: %+v", p)
	}

	// Someone else's, and everything for a consultant who created nothing or an accountant.
	readOnly := []struct {
		who   string
		token string
		p, k  string
	}{
		{"demoted creator, another's", former.Token, theirsP.ID, theirsK.ID},
		{"consultant", u[roleConsultant].Token, mineP.ID, mineK.ID},
		{"accountant", u[roleAccountant].Token, mineP.ID, mineK.ID},
	}
	for _, ro := range readOnly {
		for _, path := range []string{proposalURL(ro.p), contractURL(ro.k)} {
			testkit.WantStatus(t, s.Do(t, http.MethodGet, path, ro.token, nil), http.StatusOK)
			fetched := testkit.Object(t, s.Do(t, http.MethodGet, path, ro.token, nil))
			for _, body := range []map[string]any{{"notes": "x", "title": "x"}, bad} {
				testkit.WantForbidden(t, s.Do(t, http.MethodPatch, path, ro.token, body))
				testkit.WantForbidden(t, s.Do(t, http.MethodPut, path, ro.token, body))
			}
			testkit.WantForbidden(t, s.Do(t, http.MethodPut, path, ro.token, fetched))
			testkit.WantForbidden(t, s.Do(t, http.MethodDelete, path, ro.token, nil))
		}
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, acceptURL(ro.p), ro.token, nil))
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, acceptURL(ro.p), ro.token, map[string]any{"create_contract": "bad"}))
		testkit.ListOf[proposalRes](t, s.API, ro.token, proposalsURL, "")
		testkit.ListOf[contractRes](t, s.API, ro.token, contractsURL, "")
	}
	if p := s.getProposal(t, f.Owner.Token, theirsP.ID); p.Status != "sent" || p.Title != theirsP.Title {
		t.Errorf("refused writes changed the proposal: %+v", p)
	}
	if out := s.accept(t, acceptURL(mineP.ID), former.Token, nil); out.Proposal.Status != "accepted" {
		t.Errorf("creator accepts without a contract: %+v", out.Proposal)
	}

	// Another firm: 404 for every method, whatever the body.
	for _, path := range []string{proposalURL(theirsP.ID), contractURL(theirsK.ID)} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, path, other.Owner.Token, nil))
		for _, body := range []map[string]any{{"title": "x"}, bad} {
			testkit.WantNotFound(t, s.Do(t, http.MethodPatch, path, other.Owner.Token, body))
			testkit.WantNotFound(t, s.Do(t, http.MethodPut, path, other.Owner.Token, body))
		}
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, path, other.Owner.Token, nil))
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodPost, acceptURL(theirsP.ID), other.Owner.Token, map[string]any{"create_contract": true}))
	if pg, _ := testkit.ListOf[proposalRes](t, s.API, other.Owner.Token, proposalsURL, "client="+c.ID); pg.Count != 0 {
		t.Errorf("another firm lists %d proposals of the client", pg.Count)
	}

	// A manager edits, accepts and deletes anyone's.
	mgr := u[roleManager].Token
	s.patchProposal(t, mgr, theirsP.ID, map[string]any{"status": "under_review"})
	if out := s.accept(t, acceptURL(theirsP.ID), mgr, map[string]any{"create_contract": true}); out.Contract == nil {
		t.Errorf("manager accept: no contract")
	}
	s.contractDo(t, http.MethodPatch, contractURL(theirsK.ID), mgr, map[string]any{"status": "on_hold"}, http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, contractURL(theirsK.ID), mgr, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, contractURL(mineK.ID), mgr, nil), http.StatusNoContent)
}
