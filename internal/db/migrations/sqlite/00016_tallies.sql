-- +goose Up
-- Tallies kept by triggers in the writing transaction, so that a list reads a few rows instead
-- of summing or counting every row it describes (docs/PERFORMANCE.md):
--   project_totals: per project, the sums of its live time entries that the project list shows;
--   row_counts: live rows per firm, table and scope (time entries: per user, so that concurrent
--   writers of one firm do not queue on one row; projects: one scope, '').
-- Triggers see every write, the API's and any other, so the tallies cannot drift from the rows.
CREATE TABLE project_totals (
    project_id      TEXT PRIMARY KEY,
    hours           BIGINT NOT NULL DEFAULT 0,
    billable_hours  BIGINT NOT NULL DEFAULT 0,
    billed_amount   BIGINT NOT NULL DEFAULT 0,
    unbilled_amount BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE row_counts (
    firm_id    TEXT NOT NULL,
    table_name TEXT NOT NULL,
    scope_id   TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (firm_id, table_name, scope_id)
);

INSERT INTO project_totals (project_id, hours, billable_hours, billed_amount, unbilled_amount)
SELECT project_id, SUM(hours),
       SUM(CASE WHEN is_billable THEN hours ELSE 0 END),
       SUM(CASE WHEN is_billable THEN billed_amount ELSE 0 END),
       SUM(CASE WHEN is_billable AND NOT invoiced THEN billed_amount ELSE 0 END)
FROM time_entries WHERE deleted_at IS NULL GROUP BY project_id;

INSERT INTO row_counts (firm_id, table_name, scope_id, n)
SELECT firm_id, 'time_entries', user_id, COUNT(*) FROM time_entries
WHERE deleted_at IS NULL GROUP BY firm_id, user_id;

INSERT INTO row_counts (firm_id, table_name, scope_id, n)
SELECT firm_id, 'projects', '', COUNT(*) FROM projects WHERE deleted_at IS NULL GROUP BY firm_id;

-- A live entry adds to its project's totals and its user's count; one that stops being live
-- (deleted, purged) or changes takes back what it added first.
-- +goose StatementBegin
CREATE TRIGGER time_entries_tally_add AFTER INSERT ON time_entries WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO project_totals (project_id, hours, billable_hours, billed_amount, unbilled_amount)
    VALUES (new.project_id, new.hours,
            CASE WHEN new.is_billable THEN new.hours ELSE 0 END,
            CASE WHEN new.is_billable THEN new.billed_amount ELSE 0 END,
            CASE WHEN new.is_billable AND NOT new.invoiced THEN new.billed_amount ELSE 0 END)
    ON CONFLICT (project_id) DO UPDATE SET hours = hours + excluded.hours,
        billable_hours = billable_hours + excluded.billable_hours,
        billed_amount = billed_amount + excluded.billed_amount,
        unbilled_amount = unbilled_amount + excluded.unbilled_amount;
    INSERT INTO row_counts (firm_id, table_name, scope_id, n) VALUES (new.firm_id, 'time_entries', new.user_id, 1)
    ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER time_entries_tally_remove AFTER DELETE ON time_entries WHEN old.deleted_at IS NULL BEGIN
    UPDATE project_totals SET hours = hours - old.hours,
        billable_hours = billable_hours - CASE WHEN old.is_billable THEN old.hours ELSE 0 END,
        billed_amount = billed_amount - CASE WHEN old.is_billable THEN old.billed_amount ELSE 0 END,
        unbilled_amount = unbilled_amount - CASE WHEN old.is_billable AND NOT old.invoiced THEN old.billed_amount ELSE 0 END
    WHERE project_id = old.project_id;
    UPDATE row_counts SET n = n - 1
    WHERE firm_id = old.firm_id AND table_name = 'time_entries' AND scope_id = old.user_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER time_entries_tally_change_old
AFTER UPDATE OF firm_id, project_id, user_id, hours, is_billable, billed_amount, invoiced, deleted_at
ON time_entries WHEN old.deleted_at IS NULL BEGIN
    UPDATE project_totals SET hours = hours - old.hours,
        billable_hours = billable_hours - CASE WHEN old.is_billable THEN old.hours ELSE 0 END,
        billed_amount = billed_amount - CASE WHEN old.is_billable THEN old.billed_amount ELSE 0 END,
        unbilled_amount = unbilled_amount - CASE WHEN old.is_billable AND NOT old.invoiced THEN old.billed_amount ELSE 0 END
    WHERE project_id = old.project_id;
    UPDATE row_counts SET n = n - 1
    WHERE firm_id = old.firm_id AND table_name = 'time_entries' AND scope_id = old.user_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER time_entries_tally_change_new
AFTER UPDATE OF firm_id, project_id, user_id, hours, is_billable, billed_amount, invoiced, deleted_at
ON time_entries WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO project_totals (project_id, hours, billable_hours, billed_amount, unbilled_amount)
    VALUES (new.project_id, new.hours,
            CASE WHEN new.is_billable THEN new.hours ELSE 0 END,
            CASE WHEN new.is_billable THEN new.billed_amount ELSE 0 END,
            CASE WHEN new.is_billable AND NOT new.invoiced THEN new.billed_amount ELSE 0 END)
    ON CONFLICT (project_id) DO UPDATE SET hours = hours + excluded.hours,
        billable_hours = billable_hours + excluded.billable_hours,
        billed_amount = billed_amount + excluded.billed_amount,
        unbilled_amount = unbilled_amount + excluded.unbilled_amount;
    INSERT INTO row_counts (firm_id, table_name, scope_id, n) VALUES (new.firm_id, 'time_entries', new.user_id, 1)
    ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER projects_tally_add AFTER INSERT ON projects WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO row_counts (firm_id, table_name, scope_id, n) VALUES (new.firm_id, 'projects', '', 1)
    ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER projects_tally_remove AFTER DELETE ON projects BEGIN
    UPDATE row_counts SET n = n - 1
    WHERE old.deleted_at IS NULL AND firm_id = old.firm_id AND table_name = 'projects' AND scope_id = '';
    DELETE FROM project_totals WHERE project_id = old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER projects_tally_change AFTER UPDATE OF firm_id, deleted_at ON projects
WHEN (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) OR old.firm_id <> new.firm_id BEGIN
    UPDATE row_counts SET n = n - 1
    WHERE old.deleted_at IS NULL AND firm_id = old.firm_id AND table_name = 'projects' AND scope_id = '';
    INSERT INTO row_counts (firm_id, table_name, scope_id, n)
    SELECT new.firm_id, 'projects', '', 1 WHERE new.deleted_at IS NULL
    ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- The covering index that served the per-request sums is no longer read; time entries are
-- written without it.
DROP INDEX time_entries_project_totals;

-- +goose Down
CREATE INDEX time_entries_project_totals ON time_entries (project_id, is_billable, invoiced, hours, billed_amount) WHERE deleted_at IS NULL;
DROP TRIGGER projects_tally_change;
DROP TRIGGER projects_tally_remove;
DROP TRIGGER projects_tally_add;
DROP TRIGGER time_entries_tally_change_new;
DROP TRIGGER time_entries_tally_change_old;
DROP TRIGGER time_entries_tally_remove;
DROP TRIGGER time_entries_tally_add;
DROP TABLE row_counts;
DROP TABLE project_totals;
