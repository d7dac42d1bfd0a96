package gen

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// schedule is when a project runs and where it stands. Time is logged from start to the day
// work stopped (stop), never after yesterday; stop < start means no time at all.
type schedule struct {
	start, end, stop int
	status           projects.ProjectStatus
	completed        int // actual completion day, 0 unless completed
}

// schedule draws a project's dates and status: it starts in the last two years (a few are
// still being planned, starting soon) and lasts one to twelve months. underway forces a
// project that has started and on which time is logged.
func (b *builder) schedule(underway bool) schedule {
	today := b.cal.today
	if !underway && b.r.chance(0.04) {
		start := today + b.r.between(3, 60)
		return schedule{start: start, end: start + b.r.between(30, 240), stop: start - 1, status: projects.ProjectPlanning}
	}
	s := schedule{start: today - b.r.between(14, window)}
	s.end = s.start + b.r.between(30, 365)
	s.stop = b.cal.past(s.end)
	x := b.r.Float64()
	switch {
	case s.end >= today && x < 0.88, underway:
		s.status = projects.ProjectInProgress
	case s.end >= today:
		s.status = projects.ProjectOnHold
		s.stop = b.r.between(s.start, s.stop)
	case x < 0.8:
		s.status = projects.ProjectCompleted
		s.completed = min(max(s.end-b.r.between(-7, 14), s.start+1), today-1)
		s.stop = min(s.stop, s.completed)
	case x < 0.88:
		s.status = projects.ProjectCancelled
		s.stop = b.r.between(s.start, s.stop)
	case x < 0.95:
		s.status = projects.ProjectOnHold
		s.stop = b.r.between(s.start, s.stop)
	default:
		s.status = projects.ProjectInProgress // overrunning its end date
	}
	return s
}

// projectWork is what generating a project's time entries needs to know about it.
type projectWork struct {
	project  *projects.Project // set once the plan is complete
	first    int               // first day time may be logged
	last     int               // last day time may be logged (before first: none)
	team     []int             // logger indices; the manager's first when there is one
	rate     *money.Amount     // the project's rate, nil when it has none
	billable bool              // false for non-billable projects
	tasks    []taskRef
	entries  int // how many entries to generate
}

// taskRef is a task as time entries refer to it.
type taskRef struct {
	id       string
	assignee int // logger index, -1 when unassigned
}

// project builds a project of client c on schedule s, under one of the client's contracts when
// it has any, and its team.
func (b *builder) project(c *crm.Client, contracts []crm.Contract, s schedule) (projects.Project, projectWork) {
	billing := pick(b.r, []projects.BillingType{"time_and_materials", "time_and_materials", "time_and_materials",
		"time_and_materials", "time_and_materials", "time_and_materials", "fixed_price", "fixed_price",
		"retainer", "non_billable"})
	created := b.cal.past(min(s.start-b.r.between(0, 21), b.cal.today))
	if s.status == projects.ProjectPlanning {
		created = b.cal.today - b.r.between(0, 20)
	}
	area, delivery := pick(b.r, b.v.areas), pick(b.r, b.v.deliveries)
	p := projects.Project{
		ID: db.NewID(), FirmID: b.firmID, ClientID: c.ID,
		Name:        fmt.Sprintf("%s %s", area, delivery),
		Description: fmt.Sprintf("%s %s for %s.", area, delivery, c.CompanyName),
		Status:      s.status, BillingType: billing, Currency: c.Currency,
		StartDate: b.cal.date(s.start), EndDate: b.cal.date(s.end), CreatedAt: b.cal.stamp(created, b.r),
	}
	if s.completed != 0 {
		p.ActualCompletionDate = b.cal.date(s.completed)
	}
	if len(contracts) > 0 && b.r.chance(0.8) {
		id := pick(b.r, contracts).ID
		p.ContractID = &id
	}
	w := projectWork{first: max(s.start, b.cal.today-window), last: s.stop, billable: billing != "non_billable"}
	if b.r.chance(0.95) {
		m := b.r.IntN(len(b.staff.managers))
		id := b.staff.managers[m].id
		p.ProjectManagerID = &id
		w.team = append(w.team, m)
	}
	w.team = append(w.team, sample(b.r, b.consultantIndices(), b.r.between(2, 6))...)
	p.HourlyRate, p.Budget = b.rateAndBudget(billing)
	w.rate = p.HourlyRate
	p.CreatedBy = p.ProjectManagerID
	if p.CreatedBy == nil {
		id := b.staff.owner.id
		p.CreatedBy = &id
	}
	if strings.HasSuffix(delivery, "audit") {
		p.Notes = "Findings are reviewed with the client's audit committee."
	}
	p.UpdatedAt = b.later(p.CreatedAt, max(created, min(s.stop, b.cal.today)))
	return p, w
}

// consultantIndices are the consultants' logger indices (they follow the managers).
func (b *builder) consultantIndices() []int {
	out := make([]int, len(b.staff.consultants))
	for i := range out {
		out[i] = len(b.staff.managers) + i
	}
	return out
}

// rateAndBudget draws a project's hourly rate and budget; some projects have neither.
func (b *builder) rateAndBudget(billing projects.BillingType) (rate, budget *money.Amount) {
	noRate := map[projects.BillingType]float64{"non_billable": 0.7, "fixed_price": 0.4}[billing]
	if b.r.Float64() >= max(noRate, 0.1) {
		v := hourlyRate(b.r)
		rate = &v
	}
	noBudget := map[projects.BillingType]float64{"non_billable": 0.8}[billing]
	if b.r.Float64() >= max(noBudget, 0.25) {
		v := money.Amount(b.r.between(10, 400)) * 1_000_00
		if rate != nil {
			v = *rate * money.Amount(b.r.between(200, 3_000))
		}
		budget = &v
	}
	return rate, budget
}
