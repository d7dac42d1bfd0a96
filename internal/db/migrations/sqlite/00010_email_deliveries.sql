-- +goose Up
-- One row per email event (an invoice sent, a payment received, a reminder, ...), keyed by the
-- event: the job that sends it claims the row first, so a job run twice (a retry, two workers,
-- a restart) never sends one event's email twice. 'sending' marks a claim whose outcome is
-- unknown; 'sent' a delivered email. River's own tables are migrated by River (see
-- internal/jobs).
CREATE TABLE email_deliveries (
    event_key  TEXT PRIMARY KEY,
    firm_id    TEXT NOT NULL REFERENCES firms (id),
    kind       TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sending', 'sent')),
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
CREATE INDEX email_deliveries_firm ON email_deliveries (firm_id, created_at);

-- The hourly removal of expired sessions.
CREATE INDEX sessions_expires ON sessions (expires_at);

-- +goose Down
DROP INDEX sessions_expires;
DROP TABLE email_deliveries;
