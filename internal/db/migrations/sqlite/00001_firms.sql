-- +goose Up
-- Every record belongs to exactly one firm (the tenant).
CREATE TABLE firms (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    timezone              TEXT NOT NULL DEFAULT 'UTC',
    default_currency      TEXT NOT NULL DEFAULT 'USD',
    default_payment_terms TEXT NOT NULL DEFAULT 'net_30',
    invoice_prefix        TEXT NOT NULL DEFAULT 'INV',
    proposal_prefix       TEXT NOT NULL DEFAULT 'PROP',
    contract_prefix       TEXT NOT NULL DEFAULT 'CTR',
    country               TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE firms;
