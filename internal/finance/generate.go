package finance

import (
	"fmt"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// GroupBy is how invoicing from time turns entries into lines.
type GroupBy string

// The groupings (SPEC §6).
const (
	ByEntry   GroupBy = "entry"
	ByTask    GroupBy = "task"
	ByUser    GroupBy = "user"
	ByProject GroupBy = "project"
)

// Groupings lists the groupings (validation, OpenAPI).
func Groupings() []GroupBy { return []GroupBy{ByEntry, ByTask, ByUser, ByProject} }

// GenerateRequest is what to invoice from logged time.
type GenerateRequest struct {
	ClientID  string
	ProjectID string
	From, To  date.Date
	GroupBy   GroupBy
	TaxRate   *Percent
	DueDate   date.Date
	Currency  string
	Notes     string
}

// timeGroup is one line in the making: the entries of one group at one rate.
type timeGroup struct {
	label string
	rate  money.Amount
	hours money.Hours
}

// groupTime turns entries into invoice lines: one per group (entry, task, user or project) and
// rate, in the order the groups first appear. Each line bills its hours at its rate, rounded
// half-up once per line, and says what it bills ("Design review — 12.50 h").
func groupTime(entries []projects.BillableEntry, by GroupBy) ([]Line, error) {
	type key struct {
		group string
		rate  money.Amount
	}
	index := map[key]int{}
	var groups []timeGroup
	for _, e := range entries {
		id, label := groupOf(e, by)
		k := key{id, e.HourlyRate}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, timeGroup{label: label, rate: e.HourlyRate})
		}
		groups[i].hours += e.Hours
	}
	lines := make([]Line, len(groups))
	for i, g := range groups {
		amount, err := money.BilledAmount(g.hours, g.rate)
		if err != nil {
			return nil, err
		}
		lines[i] = Line{Description: fmt.Sprintf("%s — %s h", g.label, g.hours), Quantity: g.hours, Rate: g.rate, Amount: amount}
	}
	return lines, nil
}

// groupOf is an entry's group id and the label its line starts with.
func groupOf(e projects.BillableEntry, by GroupBy) (id, label string) {
	switch by {
	case ByTask:
		if e.TaskID != nil && e.TaskTitle != nil {
			return "t" + *e.TaskID, *e.TaskTitle
		}
		return "p" + e.ProjectID, e.ProjectName + " (no task)"
	case ByUser:
		return e.UserID, e.UserName
	case ByProject:
		return e.ProjectID, e.ProjectName
	}
	return e.ID, fmt.Sprintf("%s %s (%s)", e.Date, e.Description, e.UserName)
}
