// Package projects owns projects, tasks and time entries (SPEC §5).
//
//   - Projects belong to a client (and optionally a contract of that client); codes are unique
//     per firm (PRJ-YYYY-NNN when omitted). Completing a project stamps actual_completion_date;
//     leaving completed clears it. Lists carry hours and money totals computed in SQL for the
//     whole page.
//   - Tasks: done stamps completed_at, reopening clears it, a PATCH that leaves status alone
//     leaves it alone; assignees are users of the firm.
//   - Time entries: hours 0.01–24 per entry and per user per day, never in the future (the
//     firm's today), rate defaulting from the project, billed_amount = hours × rate rounded
//     half-up (0 when not billable); an invoiced entry cannot change until its invoice is
//     cancelled.
//   - A consultant edits only tasks assigned to them and their own time entries; a project's
//     manager edits its tasks and entries; managers, admins and owners edit all.
package projects
