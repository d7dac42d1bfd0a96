package crm_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §4: proposal and contract numbers are PREFIX-YYYY-NNN, counted per firm and per year of
// the firm's today, with the firm's prefixes (SPEC §3).
func TestDocumentNumbering(t *testing.T) {
	t.Parallel()
	// 05:00 UTC on 1 January 2027 is still 19:00 on 31 December 2026 in Honolulu.
	s, clk := startCRMServerAt(t, time.Date(2027, 1, 1, 5, 0, 0, 0, time.UTC))
	utc := s.RegisterFirm(t)
	hnl := s.RegisterFirm(t)
	hnl.Settings(t, map[string]any{"timezone": "Pacific/Honolulu"})
	uc := s.createClient(t, utc.Owner.Token, nil)
	hc := s.createClient(t, hnl.Owner.Token, nil)
	valid := map[string]any{"valid_until": "2027-06-30"}

	number := func(f *firm, clientID string) (string, string) {
		t.Helper()
		p := s.postProposal(t, f.Owner.Token, clientID, valid)
		k := s.postContract(t, f.Owner.Token, clientID, map[string]any{"start_date": "2027-02-01", "end_date": "2027-12-31"})
		return p.ProposalNumber, k.ContractNumber
	}
	check := func(f *firm, clientID, wantP, wantK string) {
		t.Helper()
		if p, k := number(f, clientID); p != wantP || k != wantK {
			t.Errorf("%s: numbers %s, %s; want %s, %s", f.Name, p, k, wantP, wantK)
		}
	}
	check(utc, uc.ID, "PROP-2027-001", "CTR-2027-001")
	check(hnl, hc.ID, "PROP-2026-001", "CTR-2026-001")
	check(utc, uc.ID, "PROP-2027-002", "CTR-2027-002")
	check(hnl, hc.ID, "PROP-2026-002", "CTR-2026-002")

	// Midnight in Honolulu: a new year, counted from 001 again.
	clk.set(time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC))
	check(hnl, hc.ID, "PROP-2027-001", "CTR-2027-001")

	// A firm's prefixes apply to new numbers; the count goes on; old numbers stay.
	utc.Settings(t, map[string]any{"proposal_prefix": "Q", "contract_prefix": "K-EU"})
	check(utc, uc.ID, "Q-2027-003", "K-EU-2027-003")
	_, ps := testkit.ListOf[proposalRes](t, s.API, utc.Owner.Token, proposalsURL, "ordering=created_at")
	if got := proposalNumbers(ps); !slices.Equal(got, []string{"PROP-2027-001", "PROP-2027-002", "Q-2027-003"}) {
		t.Errorf("numbers after the prefix change: %q", got)
	}
	// A deleted document's number is not given out again.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, proposalURL(ps[2].ID), utc.Owner.Token, nil), http.StatusNoContent)
	check(utc, uc.ID, "Q-2027-004", "K-EU-2027-004")

	// A new firm starts at 001 whatever the others have used.
	fresh := s.RegisterFirm(t)
	check(fresh, s.createClient(t, fresh.Owner.Token, nil).ID, "PROP-2027-001", "CTR-2027-001")
}

// sent is one finished request of a concurrent batch.
type sent struct {
	status int
	body   []byte
	err    error
}

// postAll sends every body to its path at once (each with its token) and returns the answers in
// order. It does not touch t, so it is safe from the goroutines.
func postAll(s *apiServer, reqs []postReq) []sent {
	out := make([]sent, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, rq := range reqs {
		wg.Go(func() {
			<-start
			out[i] = postOnce(s, rq)
		})
	}
	close(start)
	wg.Wait()
	return out
}

type postReq struct {
	path, token string
	body        any
}

func postOnce(s *apiServer, rq postReq) sent {
	raw, err := json.Marshal(rq.body)
	if err != nil {
		return sent{err: err}
	}
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+rq.path, bytes.NewReader(raw))
	if err != nil {
		return sent{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+rq.token)
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		return sent{err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return sent{status: res.StatusCode, body: body, err: err}
}

// wantNumbers fails unless every answer has the status and the numbers in the field are exactly
// prefix-001..n, in some order.
func wantNumbers(t *testing.T, answers []sent, status int, field, prefix string) {
	t.Helper()
	var got []string
	for i, a := range answers {
		if a.err != nil || a.status != status {
			t.Fatalf("request %d: %d %v: %s", i, a.status, a.err, a.body)
		}
		var m map[string]any
		if err := json.Unmarshal(a.body, &m); err != nil {
			t.Fatalf("request %d: %v: %s", i, err, a.body)
		}
		n, _ := m[field].(string)
		got = append(got, n)
	}
	slices.Sort(got)
	want := make([]string, len(answers))
	for i := range want {
		want[i] = fmt.Sprintf("%s-%03d", prefix, i+1)
	}
	if !slices.Equal(got, want) {
		t.Errorf("numbers %q\nwant %q", got, want)
	}
}

// Fifty documents created at once get fifty distinct, consecutive numbers (SPEC §4; the counter
// is bumped atomically, ARCHITECTURE "Transactions"), on SQLite and on PostgreSQL alike.
func TestDocumentNumbersUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	mgr := f.AddUser(t, roleManager)
	c := s.createClient(t, f.Owner.Token, nil)
	const n = 50
	tokens := []string{f.Owner.Token, mgr.Token}

	t.Run("proposals", func(t *testing.T) {
		reqs := make([]postReq, n)
		for i := range reqs {
			reqs[i] = postReq{proposalsURL, tokens[i%2], proposalBody(c.ID, map[string]any{"status": "sent"})}
		}
		wantNumbers(t, postAll(s, reqs), http.StatusCreated, "proposal_number", "PROP-2026")
	})
	t.Run("contracts", func(t *testing.T) {
		reqs := make([]postReq, n)
		for i := range reqs {
			reqs[i] = postReq{contractsURL, tokens[i%2], contractBody(c.ID, nil)}
		}
		wantNumbers(t, postAll(s, reqs), http.StatusCreated, "contract_number", "CTR-2026")
	})
	t.Run("contracts from accepted proposals, mixed with direct ones", func(t *testing.T) {
		_, ps := testkit.ListOf[proposalRes](t, s.API, f.Owner.Token, proposalsURL, "page_size=20&ordering=proposal_number")
		reqs := make([]postReq, 0, 40)
		for i, p := range ps {
			reqs = append(reqs, postReq{acceptURL(p.ID), tokens[i%2], map[string]any{"create_contract": true}},
				postReq{contractsURL, tokens[i%2], contractBody(c.ID, nil)})
		}
		answers := postAll(s, reqs)
		// Both shapes of answer carry a contract_number; CTR-2026-001..050 are taken already.
		var got []string
		for i, a := range answers {
			want := http.StatusCreated
			if i%2 == 0 {
				want = http.StatusOK
			}
			if a.err != nil || a.status != want {
				t.Fatalf("request %d: %d %v: %s", i, a.status, a.err, a.body)
			}
			var m struct {
				ContractNumber string `json:"contract_number"`
				Contract       *struct {
					ContractNumber string `json:"contract_number"`
				} `json:"contract"`
			}
			if err := json.Unmarshal(a.body, &m); err != nil {
				t.Fatal(err)
			}
			if m.Contract != nil {
				m.ContractNumber = m.Contract.ContractNumber
			}
			got = append(got, m.ContractNumber)
		}
		slices.Sort(got)
		for i, g := range got {
			if want := fmt.Sprintf("CTR-2026-%03d", n+i+1); g != want {
				t.Fatalf("numbers %q: position %d is %s, want %s", got, i, g, want)
			}
		}
	})
}

// Two firms numbering at the same time do not share a counter.
func TestDocumentNumbersPerFirmUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	a, b := s.RegisterFirm(t), s.RegisterFirm(t)
	ca, cb := s.createClient(t, a.Owner.Token, nil), s.createClient(t, b.Owner.Token, nil)
	const n = 25
	reqs := make([]postReq, 0, 2*n)
	for range n {
		reqs = append(reqs, postReq{proposalsURL, a.Owner.Token, proposalBody(ca.ID, nil)},
			postReq{proposalsURL, b.Owner.Token, proposalBody(cb.ID, nil)})
	}
	answers := postAll(s, reqs)
	var ofA, ofB []sent
	for i, ans := range answers {
		if i%2 == 0 {
			ofA = append(ofA, ans)
		} else {
			ofB = append(ofB, ans)
		}
	}
	wantNumbers(t, ofA, http.StatusCreated, "proposal_number", "PROP-2026")
	wantNumbers(t, ofB, http.StatusCreated, "proposal_number", "PROP-2026")
}

// Accepting one proposal many times at once accepts it once and makes one contract: the row is
// locked for the change (ARCHITECTURE "Transactions").
func TestProposalAcceptedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent"})
	reqs := make([]postReq, 10)
	for i := range reqs {
		reqs[i] = postReq{acceptURL(p.ID), f.Owner.Token, map[string]any{"create_contract": true}}
	}
	ok := 0
	for i, a := range postAll(s, reqs) {
		switch {
		case a.err != nil:
			t.Fatalf("request %d: %v", i, a.err)
		case a.status == http.StatusOK:
			ok++
		case a.status != http.StatusBadRequest && a.status != http.StatusConflict:
			t.Errorf("request %d: %d %s", i, a.status, a.body)
		}
	}
	if ok != 1 {
		t.Errorf("%d accepts succeeded, want 1", ok)
	}
	if pg, ks := testkit.ListOf[contractRes](t, s.API, f.Owner.Token, contractsURL, ""); pg.Count != 1 || ks[0].ContractNumber != "CTR-2026-001" {
		t.Errorf("contracts: %q", contractNumbers(ks))
	}
}

// The accept action is one transaction: when the contract cannot be created, the proposal is
// not accepted either.
func TestProposalAcceptIsAtomic(t *testing.T) {
	t.Parallel()
	s, clk := startCRMServerAt(t, t0)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	// A contract failure reachable over HTTP after the proposal's UPDATE has run: estimated
	// dates both on 9999-12-31 are a valid proposal (the end is not before the start), but the
	// contract would end a year after its start, in year 10000, which its end_date rule refuses.
	p := s.postProposal(t, f.Owner.Token, c.ID, map[string]any{"status": "sent",
		"estimated_start_date": "9999-12-31", "estimated_end_date": "9999-12-31"})
	clk.add(time.Minute) // so that a committed UPDATE would show in updated_at
	r := s.Do(t, http.MethodPost, acceptURL(p.ID), f.Owner.Token, map[string]any{"create_contract": true})
	if r.Status == http.StatusOK {
		t.Fatalf("the contract no longer fails to be created, find another trigger: %s", r.Body)
	}
	testkit.WantValidation(t, r, nil)
	if got := s.getProposal(t, f.Owner.Token, p.ID); got.Status != "sent" || got.AcceptedAt != nil || got.UpdatedAt != p.UpdatedAt {
		t.Errorf("the proposal changed although the contract was not created: %+v", got)
	}
	if pg, _ := testkit.ListOf[contractRes](t, s.API, f.Owner.Token, contractsURL, ""); pg.Count != 0 {
		t.Errorf("%d contracts", pg.Count)
	}
	// The proposal can still be accepted without a contract; the contract numbers start at 001.
	if out := s.accept(t, acceptURL(p.ID), f.Owner.Token, nil); out.Proposal.Status != "accepted" {
		t.Errorf("accept without contract: %+v", out.Proposal)
	}
	if k := s.postContract(t, f.Owner.Token, c.ID, nil); k.ContractNumber != "CTR-2026-001" {
		t.Errorf("first contract number %s", k.ContractNumber)
	}
}
