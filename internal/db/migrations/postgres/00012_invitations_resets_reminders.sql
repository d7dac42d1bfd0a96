-- +goose Up
-- An owner or admin invites someone by email; the invitee picks a username and password with
-- the emailed token. Only the token's SHA-256 is kept: the token itself exists only in the
-- email (the job that sends it draws a new one and stores its hash).
CREATE TABLE invitations (
    id          UUID PRIMARY KEY,
    firm_id     UUID NOT NULL REFERENCES firms (id),
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'consultant', 'accountant')),
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL,
    invited_by  UUID NOT NULL REFERENCES users (id),
    expires_at  TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_firm ON invitations (firm_id, created_at);

-- A password reset link: single use, short-lived, hash only.
CREATE TABLE password_resets (
    id          UUID PRIMARY KEY,
    firm_id     UUID NOT NULL REFERENCES firms (id),
    user_id     UUID NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Payment reminders: days before and after an invoice's due date, as JSON arrays of integers
-- ('[]': none).
ALTER TABLE firms ADD COLUMN reminder_days_before_due TEXT NOT NULL DEFAULT '[]';
ALTER TABLE firms ADD COLUMN reminder_days_after_due TEXT NOT NULL DEFAULT '[]';

-- 'skipped' records a reminder that came due while the server was down and was superseded by
-- a later one: it is never sent.
ALTER TABLE email_deliveries DROP CONSTRAINT email_deliveries_status_check;
ALTER TABLE email_deliveries ADD CONSTRAINT email_deliveries_status_check
    CHECK (status IN ('sending', 'sent', 'skipped'));

-- +goose Down
DELETE FROM email_deliveries WHERE status = 'skipped';
ALTER TABLE email_deliveries DROP CONSTRAINT email_deliveries_status_check;
ALTER TABLE email_deliveries ADD CONSTRAINT email_deliveries_status_check
    CHECK (status IN ('sending', 'sent'));
ALTER TABLE firms DROP COLUMN reminder_days_after_due;
ALTER TABLE firms DROP COLUMN reminder_days_before_due;
DROP TABLE password_resets;
DROP TABLE invitations;
