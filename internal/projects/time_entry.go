package projects

import (
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
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
	MsgEntryInvoiced    = "Cannot modify invoiced time entries"
)

// MaxHoursPerDay is the most a user may log on one date, over all their entries (24.00 h).
const MaxHoursPerDay money.Hours = 2400

// LogForOthers is the action of logging time for another user, or of giving an entry to another
// user: part of a create or a change, decided by the role alone.
const LogForOthers resource.Action = "log_for_others"

// timeEntryPolicy decides who may do what to time entries (SPEC §1's TimeEntries area): every
// role that reads time entries reads them all; owners, admins and managers log, change and
// delete any, and log time for others; a consultant logs their own time and changes and deletes
// their own entries and those of the projects they manage. Nobody changes or deletes an invoiced
// entry until its invoice is cancelled. Logging time is decided by the role alone, before the
// entry exists; changes and deletes ask only for read access before the entry is read, so that
// an unknown entry answers 404 rather than 403.
type timeEntryPolicy struct{}

func (timeEntryPolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.Create:
		if auth.CanWrite(a, auth.TimeEntries) == nil || a.Role == auth.Consultant && auth.CanRead(a, auth.TimeEntries) == nil {
			return nil
		}
		return auth.Forbidden()
	case LogForOthers:
		if auth.CanWrite(a, auth.TimeEntries) != nil {
			return fault.New(fault.Forbidden, MsgLogForOthers)
		}
		return nil
	}
	return auth.CanRead(a, auth.TimeEntries)
}

func (timeEntryPolicy) AllowOn(a auth.Actor, act resource.Action, te *TimeEntry) error {
	switch act {
	case resource.Read:
		return nil
	case resource.Update, resource.Delete:
		if auth.CanWrite(a, auth.TimeEntries) != nil && (a.Role != auth.Consultant || !te.concerns(a.UserID)) {
			return auth.Forbidden()
		}
		if te.Invoiced {
			return fault.Field(fault.NonField, MsgEntryInvoiced)
		}
		return nil
	}
	return auth.CanWrite(a, auth.TimeEntries)
}

// needsManager reports whether AllowOn needs the manager of the entry's project to decide on
// te: only for a caller who does not write every entry, on an entry that is not their own. The
// service reads the manager only then.
func (timeEntryPolicy) needsManager(a auth.Actor, te *TimeEntry) bool {
	return auth.CanWrite(a, auth.TimeEntries) != nil && te.UserID != a.UserID
}

// concerns reports whether the entry is the user's or belongs to a project they manage.
func (te *TimeEntry) concerns(user string) bool {
	return user != "" && (te.UserID == user || deref(te.ProjectManagerID) == user)
}

// mayLogFor refuses an entry whose user is not current (the caller on create, the entry's user
// before a change) unless the policy lets the caller log time for others.
func mayLogFor(a auth.Actor, current string, te *TimeEntry) error {
	if te.UserID == current {
		return nil
	}
	return resource.Check(timeEntryPolicy{}, a, LogForOthers, nil)
}

// formatProblems checks the ids of a merged entry. The rules that need every field, the
// project or the database are checked after (TimeEntryRules, checkTimeEntry), so that format
// messages come first and alone.
func (te *TimeEntry) formatProblems() fault.Fields {
	var f fault.Fields
	if te.ProjectID != "" && badID(&te.ProjectID) {
		f.Add("project", MsgEntryProject)
	}
	if badID(te.TaskID) {
		f.Add("task", MsgEntryTask)
	}
	if badID(&te.UserID) {
		f.Add("user", MsgEntryUser)
	}
	return f
}

// ApplyEntryRate sets the entry's currency to its project's and its rate: the one sent (rate,
// read in that currency), else the project's rate when the entry is new, moves to another
// project or currency, or had its rate reset (rate sent as null, ""). An entry that needs the
// project's rate on a project without one is refused on hourly_rate. old is nil on create.
func ApplyEntryRate(old, te *TimeEntry, p *Project, rate *money.Decimal) fault.Fields {
	var f fault.Fields
	cur := money.CurrencyOf(p.Currency)
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
