package gen

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// entryHours draws an entry's length in hundredths of an hour: 0.25 to 8 hours in quarter
// hours, short entries the most common (about 2.3 hours on average).
func entryHours(r rng) money.Hours {
	hours := [...]money.Hours{25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 600, 800}
	weights := [...]float64{5, 10, 5, 15, 10, 15, 8, 10, 10, 5, 4, 3}
	return hours[r.choose(weights[:])]
}

// minEntry is the shortest entry squeezed into what is left of a crowded day.
const minEntry money.Hours = 25

// entryGen generates time entries project by project, keeping every logger's daily total at
// or under 24 hours.
type entryGen struct {
	b *builder
	// logged is the hundredths each logger has logged per day of the window:
	// index logger*window + (today-1-day).
	logged []uint16
}

// newEntryGen starts with nothing logged.
func newEntryGen(b *builder) *entryGen {
	return &entryGen{b: b, logged: make([]uint16, len(b.staff.loggers())*window)}
}

// slot is the logged-hours cell of a logger and day.
func (g *entryGen) slot(logger, day int) *uint16 {
	return &g.logged[logger*window+(g.b.cal.today-1-day)]
}

// project generates w.entries entries for w's project, sorted by date.
func (g *entryGen) project(w *projectWork) ([]projects.TimeEntry, error) {
	out := make([]projects.TimeEntry, 0, w.entries)
	for range w.entries {
		te, err := g.entry(w)
		if err != nil {
			return nil, err
		}
		out = append(out, te)
	}
	slices.SortFunc(out, func(a, b projects.TimeEntry) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), a.CreatedAt.Compare(b.CreatedAt))
	})
	return out, nil
}

// entry generates one entry on w's project: on one of its tasks (usually by the assignee) or on
// none, by a team member, on a weekday mostly, billable unless the project is not or the work
// was internal, and invoiced for about a third of billable entries older than six weeks.
func (g *entryGen) entry(w *projectWork) (projects.TimeEntry, error) {
	r, p := g.b.r, w.project
	var task *taskRef
	if len(w.tasks) > 0 && r.chance(0.9) {
		task = &w.tasks[r.IntN(len(w.tasks))]
	}
	logger, day, hours, ok := g.place(w, task, entryHours(r))
	if !ok {
		return projects.TimeEntry{}, fmt.Errorf("project %s: its team has no room left for more time", p.ProjectCode)
	}
	*g.slot(logger, day) += uint16(hours)
	te := projects.TimeEntry{
		ID: db.NewID(), FirmID: p.FirmID, ProjectID: p.ID, UserID: g.b.loggerID(logger),
		Date: g.b.cal.date(day), Hours: hours, Description: pick(r, g.b.v.activities),
		IsBillable: w.billable && r.chance(0.87), Currency: p.Currency,
	}
	if task != nil {
		te.TaskID = &task.id
	}
	switch {
	case w.rate != nil:
		te.HourlyRate = *w.rate
	case w.billable:
		te.HourlyRate = g.b.loggerRate(logger) // the API asks for a rate on such projects
	}
	if te.IsBillable {
		billed, err := money.BilledAmount(te.Hours, te.HourlyRate)
		if err != nil {
			return projects.TimeEntry{}, err
		}
		te.BilledAmount = billed
		te.Invoiced = day < g.b.cal.today-42 && r.chance(0.33)
	}
	te.CreatedAt = g.b.cal.stamp(day, r)
	te.UpdatedAt = te.CreatedAt
	return te, nil
}

// place finds a logger and a day for an entry of hours on w: random tries first (weekends
// mostly turned down), then, on a crowded team, the first day from a random one where someone
// still has room, shortening the entry to fit.
func (g *entryGen) place(w *projectWork, task *taskRef, hours money.Hours) (logger, day int, h money.Hours, ok bool) {
	r := g.b.r
	for attempt := range 40 {
		logger = pick(r, w.team)
		if task != nil && task.assignee >= 0 && attempt < 10 && r.chance(0.7) {
			logger = task.assignee
		}
		day = r.between(w.first, w.last)
		if g.b.cal.weekend(day) && attempt < 20 && r.chance(0.9) {
			continue
		}
		if money.Hours(*g.slot(logger, day))+hours <= projects.MaxHoursPerDay {
			return logger, day, hours, true
		}
	}
	span := w.last - w.first + 1
	from := r.IntN(span)
	for k := range span {
		day = w.first + (from+k)%span
		for _, logger = range w.team {
			if room := projects.MaxHoursPerDay - money.Hours(*g.slot(logger, day)); room >= minEntry {
				return logger, day, min(hours, room), true
			}
		}
	}
	return 0, 0, 0, false
}

// loggerRate is the own hourly rate of logger index i.
func (b *builder) loggerRate(i int) money.Amount {
	if i < len(b.staff.managers) {
		return b.staff.managers[i].rate
	}
	return b.staff.consultants[i-len(b.staff.managers)].rate
}
