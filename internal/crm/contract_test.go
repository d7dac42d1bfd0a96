package crm

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// SPEC §4's exact contract messages.
const (
	wantMsgContractValue    = "Contract value must be greater than 0"
	wantMsgProposalClient   = "Proposal must belong to the same client as the contract"
	wantMsgSignedAfterStart = "Signed date cannot be after start date"
)

// Ids of the clients and the proposal of these tests (a body's ids must look like ids).
const (
	idC1 = "0193a000-0000-7000-8000-0000000000c1"
	idC2 = "0193a000-0000-7000-8000-0000000000c2"
	idP1 = "0193a000-0000-7000-8000-0000000000a1"
)

// storedContract is a valid draft contract from 2026-04-01 to 2026-12-31.
func storedContract() *Contract {
	return &Contract{ID: "k1", ClientID: idC1, Title: "Retainer", Description: "Monthly advice", Status: "draft",
		TotalValue: 4800000, Currency: "USD", PaymentTerms: "net_30", StartDate: "2026-04-01", EndDate: "2026-12-31"}
}

// mergeContract applies a change to a copy of the stored contract (linked to proposal idP1 when
// linked), as an update does.
func mergeContract(t *testing.T, b ContractPatch, linked bool) (old, k *Contract) {
	t.Helper()
	old = storedContract()
	if linked {
		old.ProposalID = ref(idP1)
	}
	c := *old
	if bad := b.apply(&c); len(bad) > 0 {
		t.Fatalf("apply: %v", bad)
	}
	return old, &c
}

func TestContractRulesOnEffectiveValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		b              ContractPatch
		linked         bool // the stored contract is linked to proposal p1
		proposalClient string
		want           map[string][]string
	}{
		{name: "nothing changes"},
		{name: "end before the stored start", b: ContractPatch{EndDate: api.Value("2026-03-31")},
			want: map[string][]string{"end_date": {wantMsgEndDate}}},
		{name: "end on the stored start", b: ContractPatch{EndDate: api.Value("2026-04-01")},
			want: map[string][]string{"end_date": {wantMsgEndDate}}},
		{name: "start after the stored end", b: ContractPatch{StartDate: api.Value("2027-01-01")},
			want: map[string][]string{"end_date": {wantMsgEndDate}}},
		{name: "both dates move together", b: ContractPatch{StartDate: api.Value("2027-01-01"), EndDate: api.Value("2027-02-01")}},
		{name: "signed after the stored start", b: ContractPatch{SignedDate: api.Value("2026-04-02")},
			want: map[string][]string{"signed_date": {wantMsgSignedAfterStart}}},
		{name: "signed on the start", b: ContractPatch{SignedDate: api.Value("2026-04-01")}},
		{name: "start moved before a stored signature", b: ContractPatch{SignedDate: api.Value("2026-03-20"),
			StartDate: api.Value("2026-03-19")}, want: map[string][]string{"signed_date": {wantMsgSignedAfterStart}}},
		{name: "proposal of the same client", b: ContractPatch{Proposal: api.Value(idP1)}, proposalClient: idC1},
		{name: "proposal of another client", b: ContractPatch{Proposal: api.Value(idP1)}, proposalClient: idC2,
			want: map[string][]string{"proposal": {wantMsgProposalClient}}},
		{name: "client changed away from the proposal's", b: ContractPatch{Client: api.Value(idC2)}, linked: true,
			proposalClient: idC1,
			want:           map[string][]string{"proposal": {wantMsgProposalClient}}},
		{name: "proposal cleared with the client", b: ContractPatch{Proposal: api.Value(""), Client: api.Value(idC2)}, linked: true,
			proposalClient: idC1},
		{name: "zero value", b: ContractPatch{TotalValue: api.Value(api.Decimal("0"))},
			want: map[string][]string{"total_value": {wantMsgContractValue}}},
		{name: "negative value", b: ContractPatch{TotalValue: api.Value(api.Decimal("-0.01"))},
			want: map[string][]string{"total_value": {wantMsgContractValue}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, k := mergeContract(t, tc.b, tc.linked)
			wantMessages(t, k.rules(tc.proposalClient), tc.want)
		})
	}
}

func TestContractRulesRequired(t *testing.T) {
	t.Parallel()
	wantMessages(t, (&Contract{Status: "draft"}).rules(""), map[string][]string{
		"client": {wantMsgRequired}, "title": {wantMsgRequired}, "description": {wantMsgRequired},
		"start_date": {wantMsgRequired}, "end_date": {wantMsgRequired}, "total_value": {wantMsgContractValue},
	})
}

func TestActivateContract(t *testing.T) {
	t.Parallel()
	const msgLate = "Set signed_date: today is after the start date."
	tests := []struct {
		name       string
		oldStatus  ContractStatus // "" for a new contract
		status     ContractStatus
		signed     date.Date
		today      date.Date
		wantSigned date.Date
		want       map[string][]string
	}{
		{name: "activate before the start", oldStatus: "draft", status: "active", today: "2026-03-10", wantSigned: "2026-03-10"},
		{name: "activate on the start", oldStatus: "draft", status: "active", today: "2026-04-01", wantSigned: "2026-04-01"},
		{name: "activate after the start", oldStatus: "draft", status: "active", today: "2026-04-02",
			want: map[string][]string{"signed_date": {msgLate}}},
		{name: "activate after the start with a signature", oldStatus: "on_hold", status: "active", signed: "2026-03-01",
			today: "2026-05-01", wantSigned: "2026-03-01"},
		{name: "created active", status: "active", today: "2026-03-31", wantSigned: "2026-03-31"},
		{name: "created active too late", status: "active", today: "2026-04-05",
			want: map[string][]string{"signed_date": {msgLate}}},
		{name: "already active", oldStatus: "active", status: "active", today: "2026-05-01"},
		{name: "not becoming active", oldStatus: "draft", status: "on_hold", today: "2026-03-10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var old *Contract
			if tc.oldStatus != "" {
				old = storedContract()
				old.Status = tc.oldStatus
			}
			k := storedContract()
			k.Status, k.SignedDate = tc.status, tc.signed
			wantMessages(t, k.activate(old, tc.today), tc.want)
			if k.SignedDate != tc.wantSigned {
				t.Errorf("signed_date = %q, want %q", k.SignedDate, tc.wantSigned)
			}
		})
	}
}

func TestContractIsActive(t *testing.T) {
	t.Parallel()
	for _, status := range contractStatuses() {
		for day, inside := range map[date.Date]bool{
			"2026-03-31": false, "2026-04-01": true, "2026-08-15": true, "2026-12-31": true, "2027-01-01": false,
		} {
			k := storedContract()
			k.Status = status
			if got, want := k.active(day), status == "active" && inside; got != want {
				t.Errorf("%s on %s: is_active = %v, want %v", status, day, got, want)
			}
		}
	}
}

func TestContractFromProposal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		start, end       date.Date
		wantStart, wantE date.Date
	}{
		{name: "estimated dates", start: "2026-04-01", end: "2026-06-30", wantStart: "2026-04-01", wantE: "2026-06-30"},
		{name: "no dates", wantStart: frozenToday, wantE: "2027-03-10"},
		{name: "only an end", end: "2026-05-01", wantStart: frozenToday, wantE: "2026-05-01"},
		{name: "end on the start", start: "2026-04-01", end: "2026-04-01", wantStart: "2026-04-01", wantE: "2027-04-01"},
		{name: "end already past", end: "2026-03-01", wantStart: frozenToday, wantE: "2027-03-10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := openProposal("accepted")
			p.EstimatedStartDate, p.EstimatedEndDate = tc.start, tc.end
			k := contractFrom(p, frozenToday)
			if k.StartDate != tc.wantStart || k.EndDate != tc.wantE {
				t.Errorf("dates %s..%s, want %s..%s", k.StartDate, k.EndDate, tc.wantStart, tc.wantE)
			}
			if k.ClientID != p.ClientID || k.ProposalID == nil || *k.ProposalID != p.ID || k.Title != p.Title ||
				k.Description != p.Description || k.TotalValue != p.TotalValue || k.Currency != p.Currency ||
				k.Status != "draft" || k.PaymentTerms != "net_30" {
				t.Errorf("contract = %+v", k)
			}
			wantMessages(t, k.rules(p.ClientID), nil)
		})
	}
}

func TestContractFormatProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    ContractPatch
		want map[string][]string
	}{
		{name: "nothing sent"},
		{name: "malformed ids", b: ContractPatch{Client: api.Value("x"), Proposal: api.Value("y")}, want: map[string][]string{
			"client": {"Select a valid client."}, "proposal": {"Select a valid proposal."}}},
		{name: "proposal cleared", b: ContractPatch{Proposal: api.Value("")}},
		{name: "choices", b: ContractPatch{Status: ref(ContractStatus("signed")), PaymentTerms: ref(PaymentTerms("net_90"))},
			want: map[string][]string{
				"status": {`"signed" is not a valid choice.`}, "payment_terms": {`"net_90" is not a valid choice.`}}},
		{name: "dates", b: ContractPatch{StartDate: api.Value("01/04/2026"), EndDate: api.Value(""), SignedDate: api.Value("")},
			want: map[string][]string{
				"start_date": {"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."},
				"end_date":   {wantMsgRequired}}},
		{name: "file url", b: ContractPatch{ContractFileURL: ref("ftp://files/contract.pdf")},
			want: map[string][]string{"contract_file_url": {"Enter a valid URL starting with http:// or https://"}}},
		{name: "file url cleared", b: ContractPatch{ContractFileURL: ref("")}},
		{name: "value decimals", b: ContractPatch{TotalValue: api.Value(api.Decimal("1.999"))},
			want: map[string][]string{"total_value": {"Ensure that there are no more than 2 decimal places."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := &Contract{Status: ContractDraft, PaymentTerms: defaultPaymentTerms, Currency: "USD"}
			bad := tc.b.apply(k)
			bad.Merge(k.formatProblems())
			wantMessages(t, bad, tc.want)
		})
	}
}

func TestContractApplyClears(t *testing.T) {
	t.Parallel()
	old := storedContract()
	old.ProposalID, old.SignedDate = ref(idP1), "2026-03-01"
	k := *old
	b := ContractPatch{Proposal: api.Nullable[string]{Set: true, Null: true}, SignedDate: api.Value(""), Notes: ref(" n ")}
	wantMessages(t, b.apply(&k), nil)
	if k.ProposalID != nil || k.SignedDate != "" || k.Notes != "n" || k.EndDate != old.EndDate {
		t.Errorf("merged = %+v", k)
	}
}

// TestContractPolicy is SPEC §1 for contracts (the old IsCreatorOrReadOnly table): every role
// reads them; owners, admins and managers write any; a consultant updates only the contracts
// they created and creates or deletes none; an accountant only reads; an unknown role does
// nothing.
func TestContractPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, updateMine, updateOther, delete bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true, true},
		auth.Consultant: {true, true, false, true, false, false},
		auth.Accountant: {true, true, false, false, false, false},
		"superuser":     {},
	}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			mine, theirs, nobodys := &Contract{CreatedBy: ref("me")}, &Contract{CreatedBy: ref("someone-else")}, &Contract{}
			p := contractPolicy{}
			wantPolicy(t, "list", resource.Check(p, a, resource.List, nil), w.list)
			wantPolicy(t, "read other's", resource.Check(p, a, resource.Read, theirs), w.read)
			wantPolicy(t, "read without creator", resource.Check(p, a, resource.Read, nobodys), w.read)
			wantPolicy(t, "create", resource.Check(p, a, resource.Create, nil), w.create)
			wantPolicy(t, "update mine", resource.Check(p, a, resource.Update, mine), w.updateMine)
			wantPolicy(t, "update other's", resource.Check(p, a, resource.Update, theirs), w.updateOther)
			wantPolicy(t, "update without creator", resource.Check(p, a, resource.Update, nobodys), w.updateOther)
			wantPolicy(t, "delete mine", resource.Check(p, a, resource.Delete, mine), w.delete)
			wantPolicy(t, "delete other's", resource.Check(p, a, resource.Delete, theirs), w.delete)
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		p := contractPolicy{}
		noUser := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		me := auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}
		wantPolicy(t, "no user id, no creator", resource.Check(p, noUser, resource.Update, &Contract{}), false)
		wantPolicy(t, "empty created_by", resource.Check(p, me, resource.Update, &Contract{CreatedBy: ref("")}), false)
		wantPolicy(t, "no user id, someone's", resource.Check(p, noUser, resource.Update, &Contract{CreatedBy: ref("someone")}), false)
		wantPolicy(t, "no user id, empty created_by", resource.Check(p, noUser, resource.Update, &Contract{CreatedBy: ref("")}), false)
	})
}
