// Package gen builds a realistic ConsultantPro firm of a chosen size for performance work: its
// owner and staff through the real auth service (so every user can log in), then clients,
// proposals, contracts, projects, tasks and time entries inserted directly in large batches.
//
// The data keeps every rule the API enforces: unique client names and document numbers per
// firm (with doc_counters advanced so the API continues each sequence), time entries in the
// past, at most 24 hours per user and day, and billed_amount equal to hours × rate (0 when not
// billable). Everything is dated relative to now (Options.Now): the same seed and the same now
// build the same firm apart from ids and password hashes, and the same seed on another day builds
// the same shape of firm, shifted to that day.
package gen
