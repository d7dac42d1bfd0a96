package crm_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// searchRow is a client's three searched fields.
type searchRow struct{ name, contact, email string }

// containsAll is the search's contract, written plainly: every whitespace-separated word of
// search is contained, ignoring case, in one of the row's fields.
func containsAll(r searchRow, search string) bool {
	for _, word := range strings.Fields(search) {
		word = strings.ToLower(word)
		if !strings.Contains(strings.ToLower(r.name), word) && !strings.Contains(strings.ToLower(r.contact), word) &&
			!strings.Contains(strings.ToLower(r.email), word) {
			return false
		}
	}
	return true
}

// TestClientSearchMatchesContains checks that the indexed search (trigram indexes on both
// engines) answers exactly what a plain case-insensitive contains-match does, for terms with
// wildcards, quotes, FTS operators and non-ASCII letters, of one and two characters too; after
// clients were renamed and deleted (the index follows the table); and never with another
// firm's clients.
func TestClientSearchMatchesContains(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f, other := s.RegisterFirm(t), s.RegisterFirm(t)
	rows := []searchRow{
		{"Acme Consulting", "Wile Coyote", "wile@acme.example"},
		{"ACME Holdings", "Road Runner", "beep@ACME-holdings.example"},
		{"100% Pure", "Pat Percent", "pat@pure.example"},
		{"A_B Corp", "Under Score", "under_score@ab.example"},
		{`The "Quoted" Co`, "Dana O'Brien", "dana.obrien@quoted.example"},
		{"Star* Labs", "Nova Star", "nova@star.example"},
		{"Co-op Partners", "Sam Hyphen", "sam-h@coop.example"},
		{"AND OR NEAR Ltd", "Boolean Bob", "bob@operators.example"},
		{"Müller Bau GmbH", "Jürgen Müller", "juergen@mueller.example"},
		{"MÜLLERSTRASSE AG", "Ängel Öz", "oz@strasse.example"},
		{"Renamed Later Inc", "Old Contact", "old@before.example"},
		{"Deleted Soon Ltd", "Gone Person", "gone@acme.example"},
		{"Back\\Slash Ltd", "Caret ^ Colon: Two", "xy@colon.example"},
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = s.createClient(t, f.Owner.Token, map[string]any{"company_name": r.name,
			"primary_contact_name": r.contact, "primary_contact_email": r.email}).ID
	}
	// Another firm's clients that match most terms must never appear.
	for _, r := range rows[:10] {
		s.createClient(t, other.Owner.Token, map[string]any{"company_name": r.name,
			"primary_contact_name": r.contact, "primary_contact_email": r.email})
	}
	renamed := searchRow{"Fresh Name Zyx Inc", "New Contact", "new@after.example"}
	r := s.Do(t, http.MethodPatch, clientPath(ids[10]), f.Owner.Token, map[string]any{"company_name": renamed.name,
		"primary_contact_name": renamed.contact, "primary_contact_email": renamed.email})
	testkit.WantStatus(t, r, http.StatusOK)
	rows[10] = renamed
	r = s.Do(t, http.MethodPatch, clientPath(ids[0]), f.Owner.Token, map[string]any{"primary_contact_email": "wile@roadrunner.example"})
	testkit.WantStatus(t, r, http.StatusOK)
	rows[0].email = "wile@roadrunner.example"
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath(ids[11]), f.Owner.Token, nil), http.StatusNoContent)
	rows = slices.Delete(rows, 11, 12)

	terms := []string{
		"acme", "ACME", "AcMe", "a", "ac", "me", "Ü", "ül",
		"%", "100%", "0%", "_", "a_b", "r_s", `"`, `"quoted"`, `"Quoted" Co`, "'", "o'brien", "O'B",
		"*", "star*", "-", "co-op", "sam-h", "AND", "or", "NEAR", "near ltd", "NEAR(", "and or",
		"müller", "MÜLLER", "Muller", "mülle", "straße", "@acme.", "@ACME", "acme.example", ".example",
		"zyx", "fresh name", "renamed", "old@before", "deleted", "gone@", "roadrunner", "wile@acme",
		"\\", "back\\slash", "^", ":", "colon: two", "{", "(", "acme consulting wile", "nothing-matches-this",
	}
	for _, term := range terms {
		t.Run(term, func(t *testing.T) {
			t.Parallel()
			var want []string
			for _, row := range rows {
				if containsAll(row, term) {
					want = append(want, row.name)
				}
			}
			slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
			p, cs := s.listClients(t, f.Owner.Token, "page_size=100&ordering=company_name&search="+url.QueryEscape(term))
			got := clientNames(cs)
			if p.Count != int64(len(want)) || !slices.Equal(got, want) {
				t.Errorf("search %q: count %d, %q; want %q", term, p.Count, got, want)
			}
			for _, c := range cs {
				if !slices.Contains(ids, c.ID) {
					t.Errorf("search %q answered client %s (%q), not one of the firm's", term, c.ID, c.CompanyName)
				}
			}
		})
	}
}
