// Package jobs runs durable background jobs with River on the app's own database: River's
// SQLite driver on SQLite, its pgx driver on PostgreSQL. A job is a row: it survives restarts
// and kill -9, and it is enqueued inside the transaction of the event that causes it (Enqueue
// takes that transaction), so the event and its job commit together or not at all.
//
// Failed jobs are retried with River's exponential backoff; a job that keeps failing ends
// discarded and is kept (never deleted), so that an operator can list it and retry it
// (`consultantpro jobs list`, `consultantpro jobs retry ID`).
//
// The package knows no job kinds: the composition root registers the workers and the
// periodic schedule (see Options).
package jobs
