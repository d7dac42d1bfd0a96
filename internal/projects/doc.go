// Package projects owns projects, tasks and time entries (SPEC §5).
//
//   - Projects belong to a client (and optionally a contract of that client); codes are unique
//     per firm (PRJ-YYYY-NNN when omitted). Completing a project stamps actual_completion_date;
//     leaving completed clears it. Lists carry hours and money totals, which triggers keep in
//     project_totals in each time entry's own transaction (migration 00016).
//   - Tasks: done stamps completed_at, reopening clears it, a PATCH that leaves status alone
//     leaves it alone; assignees are users of the firm.
//   - Time entries: hours 0.01–24 per entry and per user per day, never in the future (the
//     firm's today), rate defaulting from the project, billed_amount = hours × rate rounded
//     half-up (0 when not billable); an invoiced entry cannot change until its invoice is
//     cancelled.
//   - A consultant edits only tasks assigned to them and their own time entries; a project's
//     manager edits its tasks and entries; managers, admins and owners edit all, and alone log
//     time for others.
//
// Each resource is on the module kit (internal/resource): <resource>.go holds its enums,
// messages, policy and pure rules; <resource>_store.go its model, list query, service methods
// and SQL; <resource>_api.go its request and response types and its routes. The policy decides
// every action, both before a request's body is read and in the service's transaction.
package projects
