-- +goose Up
-- An owner or admin invites someone by email; the invitee picks a username and password with
-- the emailed token. Only the token's SHA-256 is kept: the token itself exists only in the
-- email (the job that sends it draws a new one and stores its hash).
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    firm_id     TEXT NOT NULL REFERENCES firms (id),
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'consultant', 'accountant')),
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL,
    invited_by  TEXT NOT NULL REFERENCES users (id),
    expires_at  TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_firm ON invitations (firm_id, created_at);

-- A password reset link: single use, short-lived, hash only.
CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY,
    firm_id     TEXT NOT NULL REFERENCES firms (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Payment reminders: days before and after an invoice's due date, as JSON arrays of integers
-- ('[]': none).
ALTER TABLE firms ADD COLUMN reminder_days_before_due TEXT NOT NULL DEFAULT '[]';
ALTER TABLE firms ADD COLUMN reminder_days_after_due TEXT NOT NULL DEFAULT '[]';

-- 'skipped' records a reminder that came due while the server was down and was superseded by
-- a later one: it is never sent. SQLite cannot change a CHECK: the table is rebuilt.
CREATE TABLE email_deliveries_new (
    event_key  TEXT PRIMARY KEY,
    firm_id    TEXT NOT NULL REFERENCES firms (id),
    kind       TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'skipped')),
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
INSERT INTO email_deliveries_new SELECT * FROM email_deliveries;
DROP TABLE email_deliveries;
ALTER TABLE email_deliveries_new RENAME TO email_deliveries;
CREATE INDEX email_deliveries_firm ON email_deliveries (firm_id, created_at);

-- +goose Down
CREATE TABLE email_deliveries_old (
    event_key  TEXT PRIMARY KEY,
    firm_id    TEXT NOT NULL REFERENCES firms (id),
    kind       TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sending', 'sent')),
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
INSERT INTO email_deliveries_old SELECT * FROM email_deliveries WHERE status <> 'skipped';
DROP TABLE email_deliveries;
ALTER TABLE email_deliveries_old RENAME TO email_deliveries;
CREATE INDEX email_deliveries_firm ON email_deliveries (firm_id, created_at);
ALTER TABLE firms DROP COLUMN reminder_days_after_due;
ALTER TABLE firms DROP COLUMN reminder_days_before_due;
DROP TABLE password_resets;
DROP TABLE invitations;
