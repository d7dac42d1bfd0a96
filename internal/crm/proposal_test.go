package crm

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// The exact strings of SPEC §4, spelled out so that a change of wording breaks a test.
const (
	wantMsgTotalValue  = "Total value must be greater than 0"
	wantMsgValidUntil  = "Valid until date must be in the future"
	wantMsgEndDate     = "End date must be after start date"
	wantMsgSendExpired = "Cannot send expired proposal. Update valid_until date first."
	wantMsgRequired    = "This field is required."
)

// frozenToday is the frozen "today" of these tests.
const frozenToday = date.Date("2026-03-10")

func ref[T any](v T) *T { return &v }

// openProposal is a valid stored proposal in status, valid for another 20 days.
func openProposal(status ProposalStatus) *Proposal {
	return &Proposal{ID: "p1", ClientID: "c1", Title: "Strategy", Description: "Review", Status: status,
		TotalValue: 160000, Currency: "USD", ValidUntil: "2026-03-30"}
}

// wantFields fails unless f holds exactly these messages (nil: no messages at all).
func wantMessages(t *testing.T, f fault.Fields, want map[string][]string) {
	t.Helper()
	if len(f) == 0 && len(want) == 0 {
		return
	}
	if !maps.EqualFunc(map[string][]string(f), want, slices.Equal) {
		t.Errorf("messages = %q, want %q", f, want)
	}
}

func TestCanTransitionEveryPair(t *testing.T) {
	t.Parallel()
	allowed := map[[2]string]bool{
		{"draft", "sent"}: true, {"draft", "expired"}: true,
		{"sent", "under_review"}: true, {"sent", "accepted"}: true, {"sent", "rejected"}: true,
		{"sent", "draft"}: true, {"sent", "expired"}: true,
		{"under_review", "accepted"}: true, {"under_review", "rejected"}: true, {"under_review", "expired"}: true,
	}
	for _, from := range proposalStatuses() {
		for _, to := range proposalStatuses() {
			if got, want := canTransition(from, to), allowed[[2]string{string(from), string(to)}]; got != want {
				t.Errorf("canTransition(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestProposalRulesStatusChanges(t *testing.T) {
	t.Parallel()
	for _, from := range proposalStatuses() {
		for _, to := range proposalStatuses() {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				t.Parallel()
				old := openProposal(from)
				p := *old
				p.Status = to
				got := p.rules(old, frozenToday)
				var want map[string][]string
				if from != to && !canTransition(from, to) {
					want = map[string][]string{"status": {"Cannot change status from " + string(from) + " to " + string(to)}}
				}
				wantMessages(t, got, want)
			})
		}
	}
}

func TestProposalRulesCreateStatus(t *testing.T) {
	t.Parallel()
	// A new proposal counts as a change from draft: it may start as draft, sent or expired.
	for _, status := range proposalStatuses() {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			p := openProposal(status)
			var want map[string][]string
			if status != "draft" && status != "sent" && status != "expired" {
				want = map[string][]string{"status": {"Cannot change status from draft to " + string(status)}}
			}
			wantMessages(t, p.rules(nil, frozenToday), want)
		})
	}
}

func TestProposalRulesDates(t *testing.T) {
	t.Parallel()
	past := openProposal("draft")
	past.ValidUntil = "2026-03-01"
	tests := []struct {
		name   string
		old    *Proposal
		change func(p *Proposal)
		want   map[string][]string
	}{
		{name: "create valid until today", change: func(p *Proposal) { p.ValidUntil = frozenToday }},
		{name: "create valid until yesterday", change: func(p *Proposal) { p.ValidUntil = "2026-03-09" },
			want: map[string][]string{"valid_until": {wantMsgValidUntil}}},
		{name: "update keeps a past valid until", old: past, change: func(*Proposal) {}},
		{name: "update changes title of a past proposal", old: past, change: func(p *Proposal) { p.Title = "New" }},
		{name: "update to another past date", old: past, change: func(p *Proposal) { p.ValidUntil = "2026-03-02" },
			want: map[string][]string{"valid_until": {wantMsgValidUntil}}},
		{name: "update to a future date", old: past, change: func(p *Proposal) { p.ValidUntil = "2026-04-02" }},
		{name: "estimated end before start", change: func(p *Proposal) {
			p.EstimatedStartDate, p.EstimatedEndDate = "2026-04-10", "2026-04-09"
		}, want: map[string][]string{"estimated_end_date": {wantMsgEndDate}}},
		{name: "estimated end on start", change: func(p *Proposal) {
			p.EstimatedStartDate, p.EstimatedEndDate = "2026-04-10", "2026-04-10"
		}},
		{name: "only an estimated end", change: func(p *Proposal) { p.EstimatedEndDate = "2026-01-01" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := openProposal("draft")
			if tc.old != nil {
				c := *tc.old
				p = &c
			}
			tc.change(p)
			wantMessages(t, p.rules(tc.old, frozenToday), tc.want)
		})
	}
}

func TestProposalRulesSendingExpired(t *testing.T) {
	t.Parallel()
	stale := openProposal("draft")
	stale.ValidUntil = "2026-03-09"
	tests := []struct {
		name  string
		old   *Proposal
		until date.Date
		want  map[string][]string
	}{
		{name: "stored date passed", old: stale, until: "2026-03-09",
			want: map[string][]string{"status": {wantMsgSendExpired}}},
		{name: "incoming date in the future", old: stale, until: "2026-03-20"},
		{name: "incoming date passed", old: stale, until: "2026-03-08", want: map[string][]string{
			"valid_until": {wantMsgValidUntil}, "status": {wantMsgSendExpired}}},
		{name: "valid until today", old: stale, until: frozenToday},
		{name: "created as sent with a past date", until: "2026-03-09", want: map[string][]string{
			"valid_until": {wantMsgValidUntil}, "status": {wantMsgSendExpired}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := openProposal("sent")
			p.ValidUntil = tc.until
			wantMessages(t, p.rules(tc.old, frozenToday), tc.want)
		})
	}
	t.Run("a stale proposal that stays sent", func(t *testing.T) {
		t.Parallel()
		old := openProposal("sent")
		old.ValidUntil = "2026-03-01"
		p := *old
		p.Title = "Renamed"
		wantMessages(t, p.rules(old, frozenToday), nil)
	})
}

func TestProposalRulesRequired(t *testing.T) {
	t.Parallel()
	p := &Proposal{Status: "draft", Currency: "USD"}
	wantMessages(t, p.rules(nil, frozenToday), map[string][]string{
		"client": {wantMsgRequired}, "title": {wantMsgRequired}, "description": {wantMsgRequired},
		"total_value": {wantMsgTotalValue}, "valid_until": {wantMsgRequired},
	})
	for _, v := range []money.Amount{0, -1} {
		p := openProposal("draft")
		p.TotalValue = v
		wantMessages(t, p.rules(nil, frozenToday), map[string][]string{"total_value": {wantMsgTotalValue}})
	}
}

func TestStampProposal(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	tests := []struct {
		name             string
		old              *Proposal
		to               ProposalStatus
		sentAt, accepted bool
	}{
		{name: "created as draft", to: "draft"},
		{name: "created as sent", to: "sent", sentAt: true},
		{name: "draft to sent", old: openProposal("draft"), to: "sent", sentAt: true},
		{name: "sent stays sent", old: openProposal("sent"), to: "sent"},
		{name: "sent to accepted", old: openProposal("sent"), to: "accepted", accepted: true},
		{name: "under review to accepted", old: openProposal("under_review"), to: "accepted", accepted: true},
		{name: "sent to rejected", old: openProposal("sent"), to: "rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := openProposal(tc.to)
			if tc.old != nil {
				tc.old.SentAt = &earlier
				c := *tc.old
				c.Status = tc.to
				p = &c
			}
			p.stampStatus(tc.old, now)
			if got := p.SentAt != nil && p.SentAt.Equal(now); got != tc.sentAt {
				t.Errorf("sent_at = %v, want stamped %v", p.SentAt, tc.sentAt)
			}
			if got := p.AcceptedAt != nil && p.AcceptedAt.Equal(now); got != tc.accepted {
				t.Errorf("accepted_at = %v, want stamped %v", p.AcceptedAt, tc.accepted)
			}
		})
	}
}

func TestProposalIsExpired(t *testing.T) {
	t.Parallel()
	for _, status := range proposalStatuses() {
		open := status == "draft" || status == "sent" || status == "under_review"
		for until, past := range map[date.Date]bool{"2026-03-09": true, frozenToday: false, "2026-03-11": false} {
			p := openProposal(status)
			p.ValidUntil = until
			if got, want := p.expired(frozenToday), open && past; got != want {
				t.Errorf("%s until %s: is_expired = %v, want %v", status, until, got, want)
			}
		}
	}
}

func TestTodayIsTheFirmsToday(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 11, 8, 30, 0, 0, time.UTC) // 22:30 on the 10th in Honolulu
	s := &Service{now: func() time.Time { return now }}
	if got := s.today(auth.Actor{Timezone: "Pacific/Honolulu"}); got != "2026-03-10" {
		t.Errorf("Honolulu today = %s", got)
	}
	if got := s.today(auth.Actor{}); got != "2026-03-11" {
		t.Errorf("UTC today = %s", got)
	}
}

// formats merges a PATCH body into a blank proposal in currency cur ("" when the stored currency
// is unknown, as in a handler's early look at an update) and returns what the body and the
// merged proposal's formats report.
func formats(b ProposalPatch, cur string) fault.Fields {
	p := &Proposal{Status: ProposalDraft, Currency: cur}
	bad := b.apply(p)
	bad.Merge(p.formatProblems())
	return bad
}

func TestProposalFormatProblems(t *testing.T) {
	t.Parallel()
	dec := func(s string) api.Nullable[api.Decimal] { return api.Value(api.Decimal(s)) }
	tests := []struct {
		name string
		b    ProposalPatch
		cur  string
		want map[string][]string
	}{
		{name: "nothing sent", cur: "USD"},
		{name: "malformed client", b: ProposalPatch{Client: api.Value("42")}, cur: "USD",
			want: map[string][]string{"client": {"Select a valid client."}}},
		{name: "unknown status", b: ProposalPatch{Status: ref(ProposalStatus("won"))}, cur: "USD",
			want: map[string][]string{"status": {`"won" is not a valid choice.`}}},
		{name: "unknown currency", b: ProposalPatch{Currency: ref("usd")}, cur: "USD",
			want: map[string][]string{"currency": {"Unknown currency code."}}},
		{name: "three decimals in USD", b: ProposalPatch{TotalValue: dec("1.005")}, cur: "USD",
			want: map[string][]string{"total_value": {"Ensure that there are no more than 2 decimal places."}}},
		{name: "decimals in the sent currency", b: ProposalPatch{TotalValue: dec("10.5"), Currency: ref("JPY")}, cur: "USD",
			want: map[string][]string{"total_value": {"Ensure that there are no decimal places."}}},
		{name: "stored currency unknown to the handler", b: ProposalPatch{TotalValue: dec("10.555")}},
		{name: "negative is a rule, not a format", b: ProposalPatch{TotalValue: dec("-3")}, cur: "USD"},
		{name: "not a number", b: ProposalPatch{TotalValue: dec("ten")}, cur: "USD",
			want: map[string][]string{"total_value": {"A valid number is required."}}},
		{name: "bad dates", b: ProposalPatch{ValidUntil: api.Value("2026-02-30"), EstimatedStartDate: api.Value("soon"),
			EstimatedEndDate: api.Value("")}, cur: "USD", want: map[string][]string{
			"valid_until":          {"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."},
			"estimated_start_date": {"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}},
		{name: "empty valid until", b: ProposalPatch{ValidUntil: api.Value("")}, cur: "USD",
			want: map[string][]string{"valid_until": {wantMsgRequired}}},
		{name: "required fields sent as null", b: ProposalPatch{Client: api.Nullable[string]{Set: true, Null: true},
			TotalValue: api.Nullable[api.Decimal]{Set: true, Null: true}}, cur: "USD",
			want: map[string][]string{"client": {"This field may not be null."}, "total_value": {"This field may not be null."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantMessages(t, formats(tc.b, tc.cur), tc.want)
		})
	}
}

func TestProposalApply(t *testing.T) {
	t.Parallel()
	t.Run("patch keeps what is not sent", func(t *testing.T) {
		t.Parallel()
		p := openProposal("draft")
		p.EstimatedStartDate = "2026-04-01"
		b := ProposalPatch{Title: api.Value("  New title "), EstimatedStartDate: api.Nullable[string]{Set: true, Null: true},
			EstimatedEndDate: api.Value("2026-05-01")}
		wantMessages(t, b.apply(p), nil)
		if p.Title != "New title" || p.Description != "Review" || p.EstimatedStartDate != "" ||
			p.EstimatedEndDate != "2026-05-01" || p.TotalValue != 160000 || p.Currency != "USD" {
			t.Errorf("merged = %+v", p)
		}
	})
	t.Run("currency change keeps the figure", func(t *testing.T) {
		t.Parallel()
		p := openProposal("draft") // 1600.00 USD
		wantMessages(t, (&ProposalPatch{Currency: ref("JPY")}).apply(p), nil)
		if p.TotalValue != 1600 || p.Currency != "JPY" {
			t.Errorf("got %d %s, want 1600 JPY", p.TotalValue, p.Currency)
		}
	})
	t.Run("currency change the figure does not fit", func(t *testing.T) {
		t.Parallel()
		p := openProposal("draft")
		p.TotalValue = 160050 // 1600.50 USD
		wantMessages(t, (&ProposalPatch{Currency: ref("JPY")}).apply(p),
			map[string][]string{"total_value": {"Ensure that there are no decimal places."}})
	})
	t.Run("value and currency together", func(t *testing.T) {
		t.Parallel()
		p := openProposal("draft")
		b := ProposalPatch{Currency: ref("KWD"), TotalValue: api.Value(api.Decimal("12.345"))}
		wantMessages(t, b.apply(p), nil)
		if p.TotalValue != 12345 || p.Currency != "KWD" {
			t.Errorf("got %d %s, want 12345 KWD", p.TotalValue, p.Currency)
		}
	})
}

// wantMsgForbidden is the message of every 403 the role matrix or an object rule gives.
const wantMsgForbidden = "You do not have permission to perform this action."

// wantPolicy checks that a policy allowed the action or refused it with 403, the standard
// message and no details.
func wantPolicy(t *testing.T, what string, err error, allowed bool) {
	t.Helper()
	switch {
	case allowed && err != nil:
		t.Errorf("%s: refused (%v), want allowed", what, err)
	case !allowed && err == nil:
		t.Errorf("%s: allowed, want refused", what)
	case !allowed:
		if fe := fault.As(err); fe.Kind != fault.Forbidden || fe.Message != wantMsgForbidden || len(fe.Details) != 0 {
			t.Errorf("%s: kind %v message %q details %v, want Forbidden %q", what, fe.Kind, fe.Message, fe.Details, wantMsgForbidden)
		}
	}
}

// TestProposalPolicy is SPEC §1 for proposals (the old IsCreatorOrReadOnly table): every role
// reads them; owners, admins and managers write any; a consultant updates and accepts only the
// proposals they created and creates or deletes none; an accountant only reads; an unknown role
// does nothing.
func TestProposalPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, updateMine, updateOther, acceptMine, acceptOther, delete bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true, true, true, true},
		auth.Consultant: {true, true, false, true, false, true, false, false},
		auth.Accountant: {true, true, false, false, false, false, false, false},
		"superuser":     {},
	}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			mine, theirs, nobodys := &Proposal{CreatedBy: ref("me")}, &Proposal{CreatedBy: ref("someone-else")}, &Proposal{}
			p := proposalPolicy{}
			wantPolicy(t, "list", resource.Check(p, a, resource.List, nil), w.list)
			wantPolicy(t, "read other's", resource.Check(p, a, resource.Read, theirs), w.read)
			wantPolicy(t, "read without creator", resource.Check(p, a, resource.Read, nobodys), w.read)
			wantPolicy(t, "create", resource.Check(p, a, resource.Create, nil), w.create)
			wantPolicy(t, "update mine", resource.Check(p, a, resource.Update, mine), w.updateMine)
			wantPolicy(t, "update other's", resource.Check(p, a, resource.Update, theirs), w.updateOther)
			wantPolicy(t, "update without creator", resource.Check(p, a, resource.Update, nobodys), w.updateOther)
			wantPolicy(t, "accept mine", resource.Check(p, a, proposalAccept, mine), w.acceptMine)
			wantPolicy(t, "accept other's", resource.Check(p, a, proposalAccept, theirs), w.acceptOther)
			wantPolicy(t, "accept without creator", resource.Check(p, a, proposalAccept, nobodys), w.acceptOther)
			wantPolicy(t, "delete mine", resource.Check(p, a, resource.Delete, mine), w.delete)
			wantPolicy(t, "delete other's", resource.Check(p, a, resource.Delete, theirs), w.delete)
		})
	}
	t.Run("empty ids never match", func(t *testing.T) {
		t.Parallel()
		p := proposalPolicy{}
		noUser := auth.Actor{FirmID: "f1", Role: auth.Consultant}
		me := auth.Actor{UserID: "me", FirmID: "f1", Role: auth.Consultant}
		for _, act := range []resource.Action{resource.Update, proposalAccept} {
			wantPolicy(t, string(act)+": no user id, no creator", resource.Check(p, noUser, act, &Proposal{}), false)
			wantPolicy(t, string(act)+": empty created_by", resource.Check(p, me, act, &Proposal{CreatedBy: ref("")}), false)
			wantPolicy(t, string(act)+": no user id, someone's", resource.Check(p, noUser, act, &Proposal{CreatedBy: ref("someone")}), false)
			wantPolicy(t, string(act)+": no user id, empty created_by", resource.Check(p, noUser, act, &Proposal{CreatedBy: ref("")}), false)
		}
	})
}
