package gen

import (
	"cmp"
	"slices"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// numberPrefixes are the firm's document number prefixes.
type numberPrefixes struct{ proposal, contract string }

// counter is one doc_counters row: the last number of a kind in a year.
type counter struct {
	kind string
	year int
	last int64
}

// number gives the proposals, contracts and projects their PREFIX-YYYY-NNN numbers in order
// of creation, counting from 1 each year as the API does, and returns the counters that make
// the API continue each sequence.
func (p *plan) number(pre numberPrefixes) []counter {
	var out []counter
	out = append(out, numberAll("proposal", pre.proposal, len(p.proposals),
		func(i int) time.Time { return p.proposals[i].CreatedAt },
		func(i int, s string) { p.proposals[i].ProposalNumber = s })...)
	out = append(out, numberAll("contract", pre.contract, len(p.contracts),
		func(i int) time.Time { return p.contracts[i].CreatedAt },
		func(i int, s string) { p.contracts[i].ContractNumber = s })...)
	out = append(out, numberAll("project", projects.ProjectCodePrefix, len(p.projects),
		func(i int) time.Time { return p.projects[i].CreatedAt },
		func(i int, s string) { p.projects[i].ProjectCode = s })...)
	return out
}

// numberAll numbers n documents of one kind by creation time and year.
func numberAll(kind, prefix string, n int, created func(int) time.Time, set func(int, string)) []counter {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return created(a).Compare(created(b)) })
	last := map[int]int64{}
	for _, i := range order {
		year := created(i).Year()
		last[year]++
		set(i, db.FormatNumber(prefix, year, last[year]))
	}
	var out []counter
	for year, n := range last {
		out = append(out, counter{kind: kind, year: year, last: n})
	}
	slices.SortFunc(out, func(a, b counter) int { return cmp.Compare(a.year, b.year) })
	return out
}
