// Package audit records every change to a firm's data in the audit log, in the transaction
// that makes the change: who (a user, or the system's jobs, or Stripe's webhooks), what
// (create, update, delete, restore, or a named action such as send or login), to which object,
// the columns that changed with their old and new values (secrets never), and the request id
// and client IP it came from.
//
// An operation starts a Frame in its context (the resource kit does so for every write it
// registers); the frame follows the transactions db.Tx runs with that context (db.Watcher)
// and, when the first transaction that writes is about to commit, reads what changed and
// inserts the rows. A change that rolls back leaves no row, and a row that cannot be written
// rolls the change back.
package audit
