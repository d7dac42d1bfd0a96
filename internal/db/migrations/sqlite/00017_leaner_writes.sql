-- +goose Up
-- Fewer indexes for each new time entry and audit row to update: every index a write touches
-- is another page in the write-ahead log and, on SQLite, more time holding the one writer.
-- The task filter and the task's hours are served by time_entries_task_hours (task ids are
-- unique across firms); only billed entries are looked up by invoice, so new entries no longer
-- enter that index; the audit retention job cuts each firm's rows through audit_log_firm.
DROP INDEX time_entries_firm_task;
DROP INDEX time_entries_firm_invoice;
CREATE INDEX time_entries_firm_invoice ON time_entries (firm_id, invoice_id) WHERE invoice_id IS NOT NULL AND deleted_at IS NULL;
DROP INDEX audit_log_occurred;

-- +goose Down
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);
DROP INDEX time_entries_firm_invoice;
CREATE INDEX time_entries_firm_invoice ON time_entries (firm_id, invoice_id) WHERE deleted_at IS NULL;
CREATE INDEX time_entries_firm_task ON time_entries (firm_id, task_id) WHERE deleted_at IS NULL;
