-- +goose Up
-- Tallies kept by triggers in the writing transaction, so that a list reads a few rows instead
-- of summing or counting every row it describes (docs/PERFORMANCE.md):
--   project_totals: per project, the sums of its live time entries that the project list shows;
--   row_counts: live rows per firm, table and scope (time entries: per user, so that concurrent
--   writers of one firm do not queue on one row; projects: one scope, '').
-- Triggers see every write, the API's and any other, so the tallies cannot drift from the rows.
CREATE TABLE project_totals (
    project_id      UUID PRIMARY KEY,
    hours           BIGINT NOT NULL DEFAULT 0,
    billable_hours  BIGINT NOT NULL DEFAULT 0,
    billed_amount   BIGINT NOT NULL DEFAULT 0,
    unbilled_amount BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE row_counts (
    firm_id    UUID NOT NULL,
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
SELECT firm_id, 'time_entries', user_id::text, COUNT(*) FROM time_entries
WHERE deleted_at IS NULL GROUP BY firm_id, user_id;

INSERT INTO row_counts (firm_id, table_name, scope_id, n)
SELECT firm_id, 'projects', '', COUNT(*) FROM projects WHERE deleted_at IS NULL GROUP BY firm_id;

-- +goose StatementBegin
CREATE FUNCTION add_time_entry_tally(e time_entries, sign BIGINT) RETURNS void AS $$
BEGIN
    INSERT INTO project_totals AS t (project_id, hours, billable_hours, billed_amount, unbilled_amount)
    VALUES (e.project_id, sign * e.hours,
            CASE WHEN e.is_billable THEN sign * e.hours ELSE 0 END,
            CASE WHEN e.is_billable THEN sign * e.billed_amount ELSE 0 END,
            CASE WHEN e.is_billable AND NOT e.invoiced THEN sign * e.billed_amount ELSE 0 END)
    ON CONFLICT (project_id) DO UPDATE SET hours = t.hours + excluded.hours,
        billable_hours = t.billable_hours + excluded.billable_hours,
        billed_amount = t.billed_amount + excluded.billed_amount,
        unbilled_amount = t.unbilled_amount + excluded.unbilled_amount;
    INSERT INTO row_counts AS c (firm_id, table_name, scope_id, n)
    VALUES (e.firm_id, 'time_entries', e.user_id::text, sign)
    ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = c.n + excluded.n;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- A live entry adds to its project's totals and its user's count; one that stops being live
-- (deleted, purged) or changes takes back what it added first.
-- +goose StatementBegin
CREATE FUNCTION time_entries_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
        PERFORM add_time_entry_tally(OLD, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
        PERFORM add_time_entry_tally(NEW, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER time_entries_tally
AFTER INSERT OR DELETE OR UPDATE OF firm_id, project_id, user_id, hours, is_billable, billed_amount, invoiced, deleted_at
ON time_entries FOR EACH ROW EXECUTE FUNCTION time_entries_tally();

-- +goose StatementBegin
CREATE FUNCTION projects_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
        UPDATE row_counts SET n = n - 1
        WHERE firm_id = OLD.firm_id AND table_name = 'projects' AND scope_id = '';
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
        INSERT INTO row_counts AS c (firm_id, table_name, scope_id, n) VALUES (NEW.firm_id, 'projects', '', 1)
        ON CONFLICT (firm_id, table_name, scope_id) DO UPDATE SET n = c.n + 1;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM project_totals WHERE project_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER projects_tally AFTER INSERT OR DELETE OR UPDATE OF firm_id, deleted_at
ON projects FOR EACH ROW EXECUTE FUNCTION projects_tally();

-- The covering index that served the per-request sums is no longer read; time entries are
-- written without it.
DROP INDEX time_entries_project_totals;

-- +goose Down
CREATE INDEX time_entries_project_totals ON time_entries (project_id, is_billable, invoiced, hours, billed_amount) WHERE deleted_at IS NULL;
DROP TRIGGER projects_tally ON projects;
DROP FUNCTION projects_tally();
DROP TRIGGER time_entries_tally ON time_entries;
DROP FUNCTION time_entries_tally();
DROP FUNCTION add_time_entry_tally(time_entries, BIGINT);
DROP TABLE row_counts;
DROP TABLE project_totals;
