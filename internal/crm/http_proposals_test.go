package crm_test

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §4's exact proposal and contract messages.
const (
	msgTotalValue     = "Total value must be greater than 0"
	msgValidUntilPast = "Valid until date must be in the future"
	msgEndAfterStart  = "End date must be after start date"
	msgSendExpired    = "Cannot send expired proposal. Update valid_until date first."
	msgContractValue  = "Contract value must be greater than 0"
	msgProposalClient = "Proposal must belong to the same client as the contract"
	msgSignedAfter    = "Signed date cannot be after start date"
	msgClientInUse    = "This client has proposals or contracts and cannot be deleted."
)

// t0 is the frozen "now" of most tests here: a Tuesday noon in UTC, so "today" is 2026-03-10.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// crmClock is the server's frozen clock, with the shortcuts these tests use.
type crmClock struct{ *testkit.Clock }

func (c crmClock) now() time.Time      { return c.Now().UTC() }
func (c crmClock) set(t time.Time)     { c.Set(t) }
func (c crmClock) add(d time.Duration) { c.Advance(d) }
func (c crmClock) stampText() string   { return c.now().Format(time.RFC3339Nano) }
func (c crmClock) today() string       { return c.now().Format(time.DateOnly) }

// startCRMServerAt starts a server whose clock is frozen at at and moves only when the test
// moves it. Tokens live for years, so moving the clock does not sign anyone out.
func startCRMServerAt(t testing.TB, at time.Time) (*apiServer, crmClock) {
	t.Helper()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: at, Configure: func(cfg *config.Config) {
		cfg.AccessTokenTTL = 10 * 365 * 24 * time.Hour
		cfg.RefreshTokenTTL = 10 * 365 * 24 * time.Hour
	}})
	return &apiServer{s}, crmClock{s.Clock}
}

// Paths of SPEC §4 under the /api alias.
const (
	proposalsURL = "/api/crm/proposals/"
	contractsURL = "/api/crm/contracts/"
)

func proposalURL(id string) string { return proposalsURL + id + "/" }
func acceptURL(id string) string   { return proposalsURL + id + "/accept/" }
func contractURL(id string) string { return contractsURL + id + "/" }

// proposalRes is a proposal as the API shows it; stamps stay text so they compare exactly.
type proposalRes struct {
	ID                 string  `json:"id"`
	Client             string  `json:"client"`
	ClientName         *string `json:"client_name"`
	ProposalNumber     string  `json:"proposal_number"`
	Title              string  `json:"title"`
	Description        string  `json:"description"`
	Status             string  `json:"status"`
	TotalValue         string  `json:"total_value"`
	Currency           string  `json:"currency"`
	ValidUntil         string  `json:"valid_until"`
	EstimatedStartDate *string `json:"estimated_start_date"`
	EstimatedEndDate   *string `json:"estimated_end_date"`
	SentAt             *string `json:"sent_at"`
	AcceptedAt         *string `json:"accepted_at"`
	CreatedBy          *string `json:"created_by"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	IsExpired          bool    `json:"is_expired"`
}

// proposalBody is a valid create body for the client (valid until the end of 2026, in the
// frozen clock's future), changed by fields (a nil value removes the field).
func proposalBody(clientID string, fields map[string]any) map[string]any {
	body := map[string]any{"client": clientID, "title": fmt.Sprintf("Proposal %d", nextSeq()),
		"description": "Operating model review", "total_value": "1600.00", "valid_until": "2026-12-31"}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// postProposal creates a proposal from proposalBody and returns it.
func (s *apiServer) postProposal(t testing.TB, token, clientID string, fields map[string]any) proposalRes {
	t.Helper()
	r := s.Do(t, http.MethodPost, proposalsURL, token, proposalBody(clientID, fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var p proposalRes
	testkit.Decode(t, r, &p)
	if p.ID == "" {
		t.Fatalf("create proposal: no id: %s", r.Body)
	}
	return p
}

// proposalDo sends a request about a proposal, expects the status and decodes a 200 answer.
func (s *apiServer) proposalDo(t testing.TB, method, path, token string, body any, status int) proposalRes {
	t.Helper()
	r := s.Do(t, method, path, token, body)
	testkit.WantStatus(t, r, status)
	var p proposalRes
	if status == http.StatusOK {
		testkit.Decode(t, r, &p)
	}
	return p
}

// getProposal fetches a proposal.
func (s *apiServer) getProposal(t testing.TB, token, id string) proposalRes {
	t.Helper()
	return s.proposalDo(t, http.MethodGet, proposalURL(id), token, nil, http.StatusOK)
}

// patchProposal PATCHes a proposal and expects 200.
func (s *apiServer) patchProposal(t testing.TB, token, id string, body map[string]any) proposalRes {
	t.Helper()
	return s.proposalDo(t, http.MethodPatch, proposalURL(id), token, body, http.StatusOK)
}

func proposalNumbers(ps []proposalRes) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ProposalNumber
	}
	return out
}

func TestProposalCreate(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	c := s.createClient(t, f.Owner.Token, nil)

	// Read-only fields in the body are ignored (SPEC §2: no mass assignment).
	body := proposalBody(c.ID, map[string]any{"total_value": 1600, "proposal_number": "HACK-1",
		"created_by": mgr.ID, "sent_at": "2020-01-01T00:00:00Z", "accepted_at": "2020-01-01T00:00:00Z",
		"is_expired": true, "client_name": "Someone Else", "id": "0193a000-0000-7000-8000-000000000000"})
	r := s.Do(t, http.MethodPost, proposalsURL, f.Owner.Token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var p proposalRes
	testkit.Decode(t, r, &p)
	if loc := r.Header.Get("Location"); loc != "/api/v1/crm/proposals/"+p.ID+"/" {
		t.Errorf("Location %q", loc)
	}
	want := proposalRes{ID: p.ID, Client: c.ID, ClientName: &c.CompanyName, ProposalNumber: "PROP-2026-001",
		Title: body["title"].(string), Description: "Operating model review", Status: "draft", TotalValue: "1600.00",
		Currency: "USD", ValidUntil: "2026-12-31", CreatedBy: &f.Owner.ID, CreatedAt: clk.stampText(),
		UpdatedAt: clk.stampText()}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("created proposal\n got: %+v\nwant: %+v", p, want)
	}
	// Empty relations and stamps are null, never omitted (SPEC §2).
	obj := testkit.Object(t, r)
	for _, k := range []string{"estimated_start_date", "estimated_end_date", "sent_at", "accepted_at"} {
		if v, ok := obj[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	if got := s.getProposal(t, f.Owner.Token, p.ID); !reflect.DeepEqual(got, p) {
		t.Errorf("GET differs from the create answer:\n got %+v\nwant %+v", got, p)
	}

	// The canonical path, no slash, by a manager: next number, created_by is the caller.
	r = s.Do(t, http.MethodPost, "/api/v1/crm/proposals", mgr.Token, proposalBody(c.ID, map[string]any{
		"status": "sent", "estimated_start_date": "2026-04-01", "estimated_end_date": "2026-04-01"}))
	testkit.WantStatus(t, r, http.StatusCreated)
	var p2 proposalRes
	testkit.Decode(t, r, &p2)
	if p2.ProposalNumber != "PROP-2026-002" || deref(p2.CreatedBy) != mgr.ID || p2.Status != "sent" {
		t.Errorf("second proposal: number %s, created_by %s, status %s", p2.ProposalNumber, deref(p2.CreatedBy), p2.Status)
	}
	// Created as sent, it is stamped sent (SPEC §4); an end equal to the start is allowed.
	if deref(p2.SentAt) != clk.stampText() || p2.AcceptedAt != nil {
		t.Errorf("created as sent: sent_at %s, accepted_at %s", deref(p2.SentAt), deref(p2.AcceptedAt))
	}
	if deref(p2.EstimatedStartDate) != "2026-04-01" || deref(p2.EstimatedEndDate) != "2026-04-01" {
		t.Errorf("estimated dates %s..%s", deref(p2.EstimatedStartDate), deref(p2.EstimatedEndDate))
	}

	// The currency defaults to the firm's, and money renders with its minor digits.
	f.Settings(t, map[string]any{"default_currency": "JPY"})
	p3 := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"total_value": "250000"})
	if p3.Currency != "JPY" || p3.TotalValue != "250000" {
		t.Errorf("JPY firm: %s %s", p3.TotalValue, p3.Currency)
	}
	for _, tc := range []struct {
		in       any
		currency string
		want     string
	}{{"0.01", "USD", "0.01"}, {1600.5, "EUR", "1600.50"}, {"2500.5", "GBP", "2500.50"}, {"1600", "JPY", "1600"}} {
		got := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"total_value": tc.in, "currency": tc.currency})
		if got.TotalValue != tc.want || got.Currency != tc.currency {
			t.Errorf("total_value %v %s → %s %s, want %s", tc.in, tc.currency, got.TotalValue, got.Currency, tc.want)
		}
	}
}

func TestProposalCreateValidation(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	foreign := s.createClient(t, other.Owner.Token, nil)

	tests := []struct {
		name string
		body map[string]any
		want map[string][]string // exact messages
		any  []string            // fields with some message
		only bool                // no other field named
	}{
		{name: "total zero", body: map[string]any{"total_value": "0"},
			want: map[string][]string{"total_value": {msgTotalValue}}, only: true},
		{name: "total 0.00 as number", body: map[string]any{"total_value": 0},
			want: map[string][]string{"total_value": {msgTotalValue}}, only: true},
		{name: "total negative", body: map[string]any{"total_value": "-5.00"},
			want: map[string][]string{"total_value": {msgTotalValue}}, only: true},
		{name: "total -0.01 as number", body: map[string]any{"total_value": -0.01},
			want: map[string][]string{"total_value": {msgTotalValue}}, only: true},
		{name: "total with three decimals", body: map[string]any{"total_value": "12.345"},
			want: map[string][]string{"total_value": {msgTwoDecimals}}, only: true},
		{name: "JPY total with decimals", body: map[string]any{"total_value": "1600.5", "currency": "JPY"},
			want: map[string][]string{"total_value": {msgNoDecimals}}, only: true},
		{name: "total not a number", body: map[string]any{"total_value": "lots"}, any: []string{"total_value"}, only: true},
		{name: "unknown currency", body: map[string]any{"currency": "XYZ"}, any: []string{"currency"}, only: true},
		{name: "valid until yesterday", body: map[string]any{"valid_until": "2026-03-09"},
			want: map[string][]string{"valid_until": {msgValidUntilPast}}, only: true},
		{name: "valid until malformed", body: map[string]any{"valid_until": "31/12/2026"}, any: []string{"valid_until"}, only: true},
		{name: "estimated end before start",
			body: map[string]any{"estimated_start_date": "2026-05-01", "estimated_end_date": "2026-04-30"},
			want: map[string][]string{"estimated_end_date": {msgEndAfterStart}}, only: true},
		{name: "client of another firm", body: map[string]any{"client": foreign.ID}, any: []string{"client"}, only: true},
		{name: "client unknown", body: map[string]any{"client": "0193a000-0000-7000-8000-000000000000"}, any: []string{"client"}, only: true},
		{name: "client not an id", body: map[string]any{"client": "acme"}, any: []string{"client"}, only: true},
		{name: "status unknown", body: map[string]any{"status": "won"}, any: []string{"status"}, only: true},
		{name: "created as accepted", body: map[string]any{"status": "accepted"},
			want: map[string][]string{"status": {"Cannot change status from draft to accepted"}}, only: true},
		{name: "created as under review", body: map[string]any{"status": "under_review"},
			want: map[string][]string{"status": {"Cannot change status from draft to under_review"}}, only: true},
		{name: "sent with a past valid_until", body: map[string]any{"status": "sent", "valid_until": "2026-03-01"},
			want: map[string][]string{"valid_until": {msgValidUntilPast}}},
		{name: "unknown field", body: map[string]any{"discount": "10"},
			want: map[string][]string{"discount": {msgUnknownField}}, only: true},
		{name: "required fields missing",
			body: map[string]any{"client": nil, "title": nil, "description": nil, "total_value": nil, "valid_until": nil},
			any:  []string{"client", "title", "description", "total_value", "valid_until"}, only: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, proposalsURL, f.Owner.Token, proposalBody(c.ID, tc.body))
			env := testkit.WantValidation(t, r, tc.want)
			testkit.WantFields(t, r, env, tc.any...)
			if tc.only {
				testkit.WantOnlyFields(t, r, env, append(slices.Collect(maps.Keys(tc.want)), tc.any...)...)
			}
		})
	}
	// Nothing was created, so no number was used up.
	if p := s.postProposal(t, f.Owner.Token, c.ID, nil); p.ProposalNumber != "PROP-2026-001" {
		t.Errorf("after refused creates the first number is %s", p.ProposalNumber)
	}
}

// SPEC §4: valid_until is checked when created or changed, the send rule on effective values.
func TestProposalValidUntilOverTime(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c := s.createClient(t, tok, nil)
	draft := s.postProposal(t, tok, c.ID, map[string]any{"valid_until": clk.today()}) // today is allowed
	other := s.postProposal(t, tok, c.ID, map[string]any{"valid_until": "2026-03-12"})
	sent := s.postProposal(t, tok, c.ID, map[string]any{"valid_until": "2026-03-12", "status": "sent"})
	accepted := s.postProposal(t, tok, c.ID, map[string]any{"valid_until": "2026-03-12", "status": "sent"})
	s.patchProposal(t, tok, accepted.ID, map[string]any{"status": "accepted"})
	expired := s.postProposal(t, tok, c.ID, map[string]any{"valid_until": "2026-03-12"})
	s.patchProposal(t, tok, expired.ID, map[string]any{"status": "expired"})
	if draft.IsExpired || other.IsExpired {
		t.Fatalf("is_expired before the date: %v %v", draft.IsExpired, other.IsExpired)
	}

	clk.set(time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC))
	for _, tc := range []struct {
		id   string
		want bool
	}{{draft.ID, true}, {other.ID, true}, {sent.ID, true}, {accepted.ID, false}, {expired.ID, false}} {
		if got := s.getProposal(t, tok, tc.id); got.IsExpired != tc.want {
			t.Errorf("%s (%s): is_expired %v, want %v", got.ProposalNumber, got.Status, got.IsExpired, tc.want)
		}
	}
	// A stale valid_until does not block unrelated changes, by PATCH or by PUT of the fetched object.
	got := s.patchProposal(t, tok, draft.ID, map[string]any{"title": "Renamed"})
	if got.Title != "Renamed" || got.ValidUntil != draft.ValidUntil || !got.IsExpired {
		t.Errorf("PATCH title: %+v", got)
	}
	fetched := testkit.Object(t, s.Do(t, http.MethodGet, proposalURL(draft.ID), tok, nil))
	fetched["description"] = "Put back"
	if got := s.proposalDo(t, http.MethodPut, proposalURL(draft.ID), tok, fetched, http.StatusOK); got.Description != "Put back" {
		t.Errorf("PUT of the fetched proposal: %+v", got)
	}
	// Sending the same stored date is no change.
	s.patchProposal(t, tok, draft.ID, map[string]any{"valid_until": draft.ValidUntil})
	// A changed valid_until in the past is refused.
	testkit.WantValidation(t, s.Do(t, http.MethodPatch, proposalURL(draft.ID), tok, map[string]any{"valid_until": "2026-03-19"}),
		map[string][]string{"valid_until": {msgValidUntilPast}})

	// Sending with the stored, past valid_until is refused with SPEC's exact body.
	r := s.Do(t, http.MethodPatch, proposalURL(other.ID), tok, map[string]any{"status": "sent"})
	env := testkit.WantValidation(t, r, map[string][]string{"status": {msgSendExpired}})
	testkit.WantOnlyFields(t, r, env, "status")
	// The incoming valid_until is the effective one: past → refused on both fields...
	r = s.Do(t, http.MethodPatch, proposalURL(other.ID), tok, map[string]any{"status": "sent", "valid_until": "2026-03-19"})
	testkit.WantValidation(t, r, map[string][]string{"status": {msgSendExpired}, "valid_until": {msgValidUntilPast}})
	if g := s.getProposal(t, tok, other.ID); g.Status != "draft" || g.SentAt != nil || g.ValidUntil != "2026-03-12" {
		t.Errorf("refused changes were stored: %+v", g)
	}
	// ...future → sent, stamped now, no longer expired.
	got = s.patchProposal(t, tok, other.ID, map[string]any{"status": "sent", "valid_until": "2026-04-30"})
	if got.Status != "sent" || deref(got.SentAt) != clk.stampText() || got.IsExpired || got.ValidUntil != "2026-04-30" {
		t.Errorf("send with a new valid_until: %+v", got)
	}
	// Moving a sent proposal on (sent → under_review) is not a send: the past date does not block it.
	if got := s.patchProposal(t, tok, sent.ID, map[string]any{"status": "under_review"}); got.Status != "under_review" {
		t.Errorf("sent → under_review with a past valid_until: %+v", got)
	}
}

// SPEC §2/§4: "today" is today in the firm's time zone. At 23:00 on 10 March in Honolulu
// (UTC−10) it is already 11 March in UTC.
func TestProposalTodayInFirmTimeZone(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC))
	hnl := s.RegisterFirm(t)
	hnl.Settings(t, map[string]any{"timezone": "Pacific/Honolulu"})
	utc := s.RegisterFirm(t)
	hc := s.createClient(t, hnl.Owner.Token, nil)
	uc := s.createClient(t, utc.Owner.Token, nil)

	p := s.postProposal(t, hnl.Owner.Token, hc.ID, map[string]any{"valid_until": "2026-03-10"})
	if p.IsExpired {
		t.Errorf("Honolulu, 23:00 on the valid_until date: is_expired true")
	}
	sent := s.postProposal(t, hnl.Owner.Token, hc.ID, map[string]any{"valid_until": "2026-03-10", "status": "sent"})
	if sent.Status != "sent" || sent.IsExpired {
		t.Errorf("Honolulu: sent on its last valid day: %+v", sent)
	}
	testkit.WantValidation(t, s.Do(t, http.MethodPost, proposalsURL, utc.Owner.Token,
		proposalBody(uc.ID, map[string]any{"valid_until": "2026-03-10"})),
		map[string][]string{"valid_until": {msgValidUntilPast}})

	clk.add(time.Hour) // midnight in Honolulu
	if got := s.getProposal(t, hnl.Owner.Token, p.ID); !got.IsExpired {
		t.Errorf("Honolulu, the day after valid_until: is_expired false")
	}
	if _, ps := testkit.ListOf[proposalRes](t, s.API, hnl.Owner.Token, proposalsURL, ""); len(ps) != 2 || !ps[0].IsExpired || !ps[1].IsExpired {
		t.Errorf("list: is_expired not computed per row: %+v", ps)
	}
}

// PATCH refuses null on the required fields (null is not "not sent", as for clients), and a
// currency change the stored figure does not fit is reported once, on total_value.
func TestProposalPatchRefusals(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"total_value": "1600.50"})
	for _, field := range []string{"client", "title", "description", "total_value", "valid_until"} {
		r := s.Do(t, http.MethodPatch, proposalURL(p.ID), f.Owner.Token, map[string]any{field: nil})
		if r.Status != http.StatusBadRequest {
			t.Errorf("PATCH {%q: null}: status %d, want 400", field, r.Status)
			continue
		}
		testkit.WantOnlyFields(t, r, testkit.WantValidation(t, r, nil), field)
	}
	r := s.Do(t, http.MethodPatch, proposalURL(p.ID), f.Owner.Token, map[string]any{"currency": "JPY"})
	testkit.WantOnlyFields(t, r, testkit.WantValidation(t, r, map[string][]string{"total_value": {msgNoDecimals}}), "total_value")
	if got := s.getProposal(t, f.Owner.Token, p.ID); !reflect.DeepEqual(got, p) {
		t.Errorf("refused changes were stored:\n got %+v\nwant %+v", got, p)
	}
}

func TestProposalTransitions(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c := s.createClient(t, tok, nil)
	// reach is the way from a new draft to each status.
	reach := map[string][]string{
		"draft": nil, "sent": {"sent"}, "under_review": {"sent", "under_review"},
		"accepted": {"sent", "under_review", "accepted"}, "rejected": {"sent", "rejected"}, "expired": {"expired"},
	}
	ok := map[string][]string{
		"draft": {"sent", "expired"}, "sent": {"under_review", "accepted", "rejected", "draft", "expired"},
		"under_review": {"accepted", "rejected", "expired"},
	}
	statuses := []string{"draft", "sent", "under_review", "accepted", "rejected", "expired"}
	for _, from := range statuses {
		for _, to := range statuses {
			if from == to {
				continue
			}
			t.Run(from+"→"+to, func(t *testing.T) {
				t.Parallel()
				p := s.postProposal(t, tok, c.ID, nil)
				for _, st := range reach[from] {
					p = s.patchProposal(t, tok, p.ID, map[string]any{"status": st})
				}
				r := s.Do(t, http.MethodPatch, proposalURL(p.ID), tok, map[string]any{"status": to})
				if !slices.Contains(ok[from], to) {
					env := testkit.WantValidation(t, r, map[string][]string{"status": {"Cannot change status from " + from + " to " + to}})
					testkit.WantOnlyFields(t, r, env, "status")
					if g := s.getProposal(t, tok, p.ID); g.Status != from {
						t.Errorf("refused change stored: status %s", g.Status)
					}
					return
				}
				testkit.WantStatus(t, r, http.StatusOK)
				var got proposalRes
				testkit.Decode(t, r, &got)
				if got.Status != to {
					t.Fatalf("status %s, want %s", got.Status, to)
				}
				everSent := to == "sent" || len(reach[from]) > 0 && reach[from][0] == "sent"
				if everSent != (got.SentAt != nil) {
					t.Errorf("sent_at %s after %v then %s", deref(got.SentAt), reach[from], to)
				}
				if (to == "accepted") != (got.AcceptedAt != nil) {
					t.Errorf("accepted_at %s after %s → %s", deref(got.AcceptedAt), from, to)
				}
				if to == "accepted" && deref(got.AcceptedAt) != clk.stampText() {
					t.Errorf("accepted_at %s, want %s", deref(got.AcceptedAt), clk.stampText())
				}
			})
		}
	}
	t.Run("sending again stamps sent_at anew", func(t *testing.T) {
		// Not parallel: it moves the clock.
		p := s.postProposal(t, tok, c.ID, map[string]any{"status": "sent"})
		first := deref(p.SentAt)
		s.patchProposal(t, tok, p.ID, map[string]any{"status": "draft"})
		clk.add(time.Hour)
		resent := s.patchProposal(t, tok, p.ID, map[string]any{"status": "sent"})
		if deref(resent.SentAt) != clk.stampText() || first == clk.stampText() {
			t.Errorf("sent_at %s after resending, first %s, now %s", deref(resent.SentAt), first, clk.stampText())
		}
		// A PATCH that keeps the status is no transition and stamps nothing.
		clk.add(time.Hour)
		if got := s.patchProposal(t, tok, p.ID, map[string]any{"status": "sent", "title": "Same status"}); got.Status != "sent" ||
			deref(got.SentAt) != deref(resent.SentAt) {
			t.Errorf("same status: %+v", got)
		}
	})
}

func TestProposalList(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	acc := f.AddUser(t, roleAccountant)
	ca := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Acme Analytics"})
	cb := s.createClient(t, f.Owner.Token, map[string]any{"company_name": "Borealis Bank"})
	mk := func(token, clientID string, fields map[string]any) proposalRes {
		clk.add(time.Minute) // distinct created_at
		return s.postProposal(t, token, clientID, fields)
	}
	p1 := mk(f.Owner.Token, ca.ID, map[string]any{"title": "Pricing strategy", "valid_until": "2026-06-30"})
	p2 := mk(mgr.Token, ca.ID, map[string]any{"title": "Operating model", "valid_until": "2026-04-30", "status": "sent"})
	p3 := mk(mgr.Token, cb.ID, map[string]any{"title": "Pricing review", "valid_until": "2026-05-31"})
	// Another firm's proposals never show.
	o := s.RegisterFirm(t)
	s.postProposal(t, o.Owner.Token, s.createClient(t, o.Owner.Token, map[string]any{"company_name": "Acme Analytics"}).ID,
		map[string]any{"title": "Pricing strategy"})

	num := func(ps ...proposalRes) []string { return proposalNumbers(ps) }
	tests := []struct {
		query string
		want  []string
	}{
		{"", num(p3, p2, p1)}, // default -created_at
		{"client=" + ca.ID, num(p2, p1)},
		{"status=sent", num(p2)},
		{"status=draft", num(p3, p1)},
		{"created_by=" + mgr.ID, num(p3, p2)},
		{"client=" + ca.ID + "&created_by=" + mgr.ID, num(p2)},
		{"created_by=" + acc.ID, nil},
		{"search=pricing", num(p3, p1)},
		{"search=PROP-2026-002", num(p2)},
		{"search=prop-2026-00", num(p3, p2, p1)},
		{"search=borealis", num(p3)},
		{"search=pricing+acme", num(p1)},
		{"search=pricing+zebra", nil},
		{"ordering=proposal_number", num(p1, p2, p3)},
		{"ordering=-proposal_number", num(p3, p2, p1)},
		{"ordering=valid_until", num(p2, p3, p1)},
		{"ordering=-valid_until", num(p1, p3, p2)},
		{"ordering=created_at", num(p1, p2, p3)},
		{"ordering=-created_at", num(p3, p2, p1)},
	}
	for _, tc := range tests {
		pg, ps := testkit.ListOf[proposalRes](t, s.API, acc.Token, proposalsURL, tc.query)
		if got := proposalNumbers(ps); !slices.Equal(got, tc.want) || pg.Count != int64(len(tc.want)) {
			t.Errorf("?%s: count %d, %q, want %q", tc.query, pg.Count, got, tc.want)
		}
	}
	if _, ps := testkit.ListOf[proposalRes](t, s.API, acc.Token, "/api/v1/crm/proposals", "client="+cb.ID); len(ps) != 1 ||
		deref(ps[0].ClientName) != cb.CompanyName || ps[0].Title != "Pricing review" {
		t.Errorf("list row: %+v", ps)
	}
	for query, field := range map[string]string{"status=won": "status", "client=acme": "client",
		"created_by=42": "created_by", "ordering=title": "ordering", "ordering=total_value": "ordering"} {
		r := s.Do(t, http.MethodGet, proposalsURL+"?"+query, f.Owner.Token, nil)
		if r.Status != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400: %s", query, r.Status, r.Body)
			continue
		}
		var env envelope
		testkit.Decode(t, r, &env)
		testkit.WantFields(t, r, env, field)
	}
}

func TestProposalDelete(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.postProposal(t, f.Owner.Token, c.ID, nil)

	r := s.Do(t, http.MethodDelete, proposalURL(p.ID), mgr.Token, nil)
	testkit.WantStatus(t, r, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, proposalURL(p.ID), f.Owner.Token, nil))
	testkit.WantNotFound(t, s.Do(t, http.MethodDelete, proposalURL(p.ID), f.Owner.Token, nil))
	testkit.WantNotFound(t, s.Do(t, http.MethodPatch, proposalURL(p.ID), f.Owner.Token, map[string]any{"title": "x"}))
	testkit.WantNotFound(t, s.Do(t, http.MethodPost, acceptURL(p.ID), f.Owner.Token, nil))

	// A proposal a contract refers to cannot be deleted (409), until the contract is gone.
	used := s.postProposal(t, f.Owner.Token, c.ID, nil)
	k := s.postContract(t, f.Owner.Token, c.ID, map[string]any{"proposal": used.ID})
	testkit.WantError(t, s.Do(t, http.MethodDelete, proposalURL(used.ID), mgr.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	s.getProposal(t, f.Owner.Token, used.ID)

	// A client with proposals or contracts cannot be deleted either (SPEC §4's message).
	env := testkit.WantError(t, s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msgClientInUse {
		t.Errorf("delete client with proposals: message %q, want %q", env.Error.Message, msgClientInUse)
	}
	onlyContract := s.createClient(t, f.Owner.Token, nil)
	s.postContract(t, f.Owner.Token, onlyContract.ID, nil)
	env = testkit.WantError(t, s.Do(t, http.MethodDelete, clientPath(onlyContract.ID), f.Owner.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msgClientInUse {
		t.Errorf("delete client with a contract: message %q, want %q", env.Error.Message, msgClientInUse)
	}

	testkit.WantStatus(t, s.Do(t, http.MethodDelete, contractURL(k.ID), mgr.Token, nil), http.StatusNoContent)
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, contractURL(k.ID), f.Owner.Token, nil))
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/v1/crm/proposals/"+used.ID, mgr.Token, nil), http.StatusNoContent)
	// With its proposals gone the client can go too.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath(c.ID), f.Owner.Token, nil), http.StatusNoContent)
}
