-- +goose Up
-- The first response to each Idempotency-Key of a user (SPEC §2), kept until expires_at (24 h)
-- so that a retried POST is answered again instead of run again. A request reserves its key
-- before its handler runs by inserting a row with status 0: the primary key lets only one of
-- two concurrent requests with one key take it. The finished request stores its response there,
-- or deletes the row when the response is not to be replayed (5xx).
CREATE TABLE idempotency_keys (
    firm_id         TEXT NOT NULL REFERENCES firms (id),
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    status          INTEGER NOT NULL DEFAULT 0,
    content_type    TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    body            BLOB,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (firm_id, user_id, idempotency_key)
);
-- The sweep of expired keys.
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
