package gen

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// builder lays out one firm's data in memory from a seed.
type builder struct {
	r      rng
	cal    calendar
	v      vocab
	firmID string
	staff  staff
	sc     Scale
}

// plan is the firm's bulk data, built before loading. Time entries are not in it: they are
// generated project by project while loading, from work.
type plan struct {
	clients   []crm.Client
	proposals []crm.Proposal
	contracts []crm.Contract
	projects  []projects.Project
	tasks     []projects.Task
	work      []projectWork // parallel to projects
	counters  []counter
}

// build lays out clients with their proposals and contracts, then projects and tasks, and
// numbers the documents.
func (b *builder) build(prefixes numberPrefixes) *plan {
	p := &plan{}
	perClient := split(b.sc.Projects, b.clientWeights())
	taskCounts := split(b.sc.Tasks, b.taskWeights())
	names := map[string]bool{}
	for ci, n := range perClient {
		scheds := make([]schedule, n)
		for k := range scheds {
			// The firm's first project is always under way, so a small firm has time to log.
			scheds[k] = b.schedule(len(p.projects) == 0 && k == 0)
		}
		c := b.client(ci, names, scheds)
		p.clients = append(p.clients, c)
		props, ctrs := b.deals(&c, scheds)
		p.proposals = append(p.proposals, props...)
		p.contracts = append(p.contracts, ctrs...)
		for _, s := range scheds {
			pr, w := b.project(&c, ctrs, s)
			tasks := b.tasks(&pr, &w, taskCounts[len(p.projects)])
			p.projects = append(p.projects, pr)
			p.work = append(p.work, w)
			p.tasks = append(p.tasks, tasks...)
		}
	}
	p.counters = p.number(prefixes)
	return p
}

// clientWeights gives each client its share of the projects: skewed, with about one client in
// five (never the first) having none — leads, prospects and lost deals.
func (b *builder) clientWeights() []float64 {
	w := make([]float64, b.sc.Clients)
	for i := range w {
		if i > 0 && b.r.chance(0.2) {
			continue
		}
		w[i] = 0.2 + b.r.ExpFloat64()
	}
	return w
}

// taskWeights spreads tasks over projects, each within half to one and a half times the mean
// (5 to 15 when the mean is 10).
func (b *builder) taskWeights() []float64 {
	w := make([]float64, b.sc.Projects)
	for i := range w {
		w[i] = 0.5 + b.r.Float64()
	}
	return w
}

// later is a stamp on day d that is not before t: same-day events keep their order.
func (b *builder) later(t time.Time, d int) time.Time {
	s := b.cal.stamp(d, b.r)
	if s.Before(t) {
		s = t.Add(time.Duration(1+b.r.IntN(3600)) * time.Second)
		if s.After(b.cal.now) {
			s = b.cal.now
		}
	}
	return db.Stamp(s)
}

// lead picks the owner or a manager, who own clients and write documents.
func (b *builder) lead() *string {
	id := pick(b.r, b.staff.leads()).id
	return &id
}

// planEntries decides how many time entries each project gets: in proportion to the days time
// could be logged on it and the size of its team, with some projects busier than others. It
// also points each project's work at its row, now that the rows no longer move.
func (p *plan) planEntries(b *builder) {
	weights := make([]float64, len(p.work))
	for i := range p.work {
		w := &p.work[i]
		w.project = &p.projects[i]
		if days := w.last - w.first + 1; days > 0 && len(w.team) > 0 {
			weights[i] = float64(days*len(w.team)) * (0.5 + b.r.Float64())
		}
	}
	for i, n := range split(b.sc.TimeEntries, weights) {
		p.work[i].entries = n
	}
}
