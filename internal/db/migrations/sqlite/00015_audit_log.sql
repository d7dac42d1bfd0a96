-- +goose Up
-- The audit log: one row per change, written in the change's own transaction. actor is the
-- user's id (actor_name the user's name then), or 'system' (jobs) or 'stripe' (webhooks); changes is a JSON object of the changed
-- columns with their old and new values (secrets never). Rows are only ever inserted, and
-- removed by the retention job (AUDIT_RETENTION_DAYS). No foreign key ties a row to the object
-- it describes: the row outlives it.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    firm_id       TEXT NOT NULL REFERENCES firms (id),
    occurred_at   TIMESTAMP NOT NULL,
    actor_type    TEXT NOT NULL CHECK (actor_type IN ('user', 'system', 'stripe')),
    actor         TEXT NOT NULL,
    actor_name    TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    changes       TEXT NOT NULL DEFAULT '{}',
    request_id    TEXT NOT NULL DEFAULT '',
    ip            TEXT NOT NULL DEFAULT ''
);
-- The firm's log, newest first; one object's history; one actor's or one action's rows.
CREATE INDEX audit_log_firm ON audit_log (firm_id, occurred_at, id);
CREATE INDEX audit_log_resource ON audit_log (firm_id, resource_type, resource_id, occurred_at);
CREATE INDEX audit_log_actor ON audit_log (firm_id, actor, occurred_at);
CREATE INDEX audit_log_action ON audit_log (firm_id, action, occurred_at);
-- The retention job's cut.
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);

-- +goose Down
DROP TABLE audit_log;
