package projects

import (
	"regexp"
	"strings"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Time entry messages (SPEC §5, exact where the SPEC gives them).
const (
	MsgHoursPositive    = "Hours must be greater than 0"
	MsgHoursPerEntry    = "Hours cannot exceed 24 hours per day"
	MsgHoursPerDay      = "Total hours for this day cannot exceed 24"
	MsgEntryFuture      = "Time entry date cannot be in the future"
	MsgRateNegative     = "Hourly rate cannot be negative"
	MsgTaskOtherProject = "Task must belong to the same project"
	MsgProjectNoRate    = "This project has no hourly rate; set hourly_rate."
	MsgEntryProject     = "Select a valid project."
	MsgEntryTask        = "Select a valid task."
	MsgEntryUser        = "Select a user of your firm."
	MsgLogForOthers     = "You do not have permission to log time for another user."
)

// MaxHoursPerDay is the most a user may log on one date, over all their entries (24.00 h).
const MaxHoursPerDay money.Hours = 2400

// TimeEntryChanges are the writable fields of a time entry; nil leaves a field as it is. Create
// and PUT set the required fields; PATCH only the ones sent. Date is "YYYY-MM-DD" text; an empty
// Task clears it; an empty HourlyRate (sent as null) resets the rate to the project's.
type TimeEntryChanges struct {
	Project     *string
	Task        *string
	User        *string
	Date        *string
	Hours       *money.Decimal
	Description *string
	IsBillable  *bool
	HourlyRate  *money.Decimal
}

// decimalText is the grammar of a decimal in a request, whatever the currency.
var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// formatProblems checks the fields that have a format, for whatever the request sent. The rate
// is only checked to be a number here: its decimals depend on the project's currency, which
// ApplyEntryRate checks once the project is known.
func (ch TimeEntryChanges) formatProblems() fault.Fields {
	var f fault.Fields
	if p := ch.Project; p != nil && !validID(strings.TrimSpace(*p)) {
		f.Add("project", MsgEntryProject)
	}
	if t := ch.Task; t != nil && *t != "" && !validID(strings.TrimSpace(*t)) {
		f.Add("task", MsgEntryTask)
	}
	if u := ch.User; u != nil && !validID(strings.TrimSpace(*u)) {
		f.Add("user", MsgEntryUser)
	}
	if d := ch.Date; d != nil {
		if _, err := date.Parse(*d); err != nil {
			f.Add("date", date.MsgInvalid)
		}
	}
	if h := ch.Hours; h != nil {
		if *h == "" {
			f.Add("hours", validate.MsgRequired)
		} else if _, err := h.Hours(); err != nil {
			f.Add("hours", err.Error())
		}
	}
	if r := ch.HourlyRate; r != nil && *r != "" && !decimalText.MatchString(string(*r)) {
		f.Add("hourly_rate", money.ErrInvalidNumber.Error())
	}
	return f
}

// apply merges the (format-checked) changes into te, except the rate, which needs the project
// (see ApplyEntryRate).
func (ch TimeEntryChanges) apply(te *TimeEntry) {
	if ch.Project != nil {
		te.ProjectID = strings.TrimSpace(*ch.Project)
	}
	if t := ch.Task; t != nil {
		te.TaskID = nil
		if id := strings.TrimSpace(*t); id != "" {
			te.TaskID = &id
		}
	}
	if ch.User != nil {
		te.UserID = strings.TrimSpace(*ch.User)
	}
	if d := ch.Date; d != nil {
		if v, err := date.Parse(*d); err == nil {
			te.Date = v
		}
	}
	if h := ch.Hours; h != nil {
		if v, err := h.Hours(); err == nil {
			te.Hours = v
		}
	}
	if d := ch.Description; d != nil {
		te.Description = strings.TrimSpace(*d)
	}
	if ch.IsBillable != nil {
		te.IsBillable = *ch.IsBillable
	}
}

// ApplyEntryRate sets the entry's currency to its project's and its rate: the one sent (rate,
// read in that currency), else the project's rate when the entry is new, moves to another
// project or currency, or had its rate reset (rate sent as null, ""). An entry that needs the
// project's rate on a project without one is refused on hourly_rate. old is nil on create.
func ApplyEntryRate(old, te *TimeEntry, p *Project, rate *money.Decimal) fault.Fields {
	var f fault.Fields
	cur := currencyFor(p.Currency)
	moved := old == nil || old.ProjectID != te.ProjectID || old.Currency != cur.Code
	te.Currency = cur.Code
	switch {
	case rate != nil && *rate != "":
		a, err := rate.Amount(cur)
		if err != nil {
			f.Add("hourly_rate", err.Error())
			return f
		}
		te.HourlyRate = a
	case rate != nil || moved:
		if p.HourlyRate == nil {
			f.Add("hourly_rate", MsgProjectNoRate)
			return f
		}
		te.HourlyRate = *p.HourlyRate
	}
	return f
}

// TimeEntryRules checks a merged entry against SPEC §5's rules for one entry: the required
// fields, hours above 0 and at most 24, a rate that is not negative, a task of the entry's
// project (taskProject is the task's project, "" when there is no task), and — when the date is
// new or changed (old is nil on create) — a date that is not after today, the firm's today.
func TimeEntryRules(old, te *TimeEntry, taskProject string, today date.Date) fault.Fields {
	var f fault.Fields
	for field, v := range map[string]string{"project": te.ProjectID, "user": te.UserID,
		"description": te.Description, "date": string(te.Date)} {
		if v == "" {
			f.Add(field, validate.MsgRequired)
		}
	}
	switch {
	case te.Hours <= 0:
		f.Add("hours", MsgHoursPositive)
	case te.Hours > MaxHoursPerDay:
		f.Add("hours", MsgHoursPerEntry)
	}
	if te.HourlyRate < 0 {
		f.Add("hourly_rate", MsgRateNegative)
	}
	if te.TaskID != nil && taskProject != "" && taskProject != te.ProjectID {
		f.Add("task", MsgTaskOtherProject)
	}
	if !te.Date.IsZero() && (old == nil || old.Date != te.Date) && te.Date.After(today) {
		f.Add("date", MsgEntryFuture)
	}
	return f
}

// DayTotalRule checks SPEC §5's daily limit: the hours of the user's other entries on the date
// (the entry itself excluded) plus this entry's hours may not exceed 24.
func DayTotalRule(others, hours money.Hours) fault.Fields {
	var f fault.Fields
	if others+hours > MaxHoursPerDay {
		f.Add("hours", MsgHoursPerDay)
	}
	return f
}

// EntryBilledAmount is SPEC §5's billed_amount: hours × rate rounded half-up to the currency's
// minor unit, and 0 when the entry is not billable.
func EntryBilledAmount(hours money.Hours, rate money.Amount, billable bool) (money.Amount, error) {
	if !billable {
		return 0, nil
	}
	return money.BilledAmount(hours, rate)
}
