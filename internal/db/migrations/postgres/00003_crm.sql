-- +goose Up
-- Per-firm, per-year document counters (PROP-2026-001, CTR-…, INV-…): one row per sequence,
-- bumped with an upsert inside the inserting transaction, so numbers are unique and gapless.
CREATE TABLE doc_counters (
    firm_id UUID NOT NULL REFERENCES firms (id),
    kind    TEXT NOT NULL,
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (firm_id, kind, year)
);

CREATE TABLE clients (
    id                    UUID PRIMARY KEY,
    firm_id               UUID NOT NULL REFERENCES firms (id),
    company_name          TEXT NOT NULL,
    industry              TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'lead'
                          CHECK (status IN ('lead', 'prospect', 'active', 'inactive', 'lost')),
    primary_contact_name  TEXT NOT NULL,
    primary_contact_email TEXT NOT NULL,
    primary_contact_phone TEXT NOT NULL DEFAULT '',
    street_address        TEXT NOT NULL DEFAULT '',
    city                  TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL DEFAULT '',
    postal_code           TEXT NOT NULL DEFAULT '',
    country               TEXT NOT NULL DEFAULT '',
    website               TEXT NOT NULL DEFAULT '',
    employee_count        INTEGER CHECK (employee_count >= 0),
    annual_revenue        BIGINT CHECK (annual_revenue >= 0),
    currency              CHAR(3) NOT NULL,
    source                TEXT NOT NULL DEFAULT '',
    owner_id              UUID REFERENCES users (id),
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX clients_company_name_key ON clients (firm_id, lower(company_name));
CREATE INDEX clients_firm_created ON clients (firm_id, created_at);
CREATE INDEX clients_firm_status ON clients (firm_id, status);
CREATE INDEX clients_firm_industry ON clients (firm_id, industry);
CREATE INDEX clients_firm_owner ON clients (firm_id, owner_id);
CREATE INDEX clients_firm_updated ON clients (firm_id, updated_at);

CREATE TABLE proposals (
    id                   UUID PRIMARY KEY,
    firm_id              UUID NOT NULL REFERENCES firms (id),
    client_id            UUID NOT NULL REFERENCES clients (id),
    proposal_number      TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'sent', 'under_review', 'accepted', 'rejected', 'expired')),
    total_value          BIGINT NOT NULL CHECK (total_value > 0),
    currency             CHAR(3) NOT NULL,
    valid_until          DATE NOT NULL,
    estimated_start_date DATE,
    estimated_end_date   DATE,
    sent_at              TIMESTAMPTZ,
    accepted_at          TIMESTAMPTZ,
    created_by           UUID REFERENCES users (id),
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX proposals_number_key ON proposals (firm_id, proposal_number);
CREATE INDEX proposals_firm_created ON proposals (firm_id, created_at);
CREATE INDEX proposals_firm_client ON proposals (firm_id, client_id);
CREATE INDEX proposals_firm_status ON proposals (firm_id, status);
CREATE INDEX proposals_firm_creator ON proposals (firm_id, created_by);
CREATE INDEX proposals_firm_valid ON proposals (firm_id, valid_until);
CREATE INDEX proposals_firm_updated ON proposals (firm_id, updated_at);

CREATE TABLE contracts (
    id                UUID PRIMARY KEY,
    firm_id           UUID NOT NULL REFERENCES firms (id),
    client_id         UUID NOT NULL REFERENCES clients (id),
    proposal_id       UUID REFERENCES proposals (id),
    contract_number   TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'active', 'completed', 'terminated', 'on_hold')),
    total_value       BIGINT NOT NULL CHECK (total_value > 0),
    currency          CHAR(3) NOT NULL,
    payment_terms     TEXT NOT NULL DEFAULT 'net_30',
    start_date        DATE NOT NULL,
    end_date          DATE NOT NULL,
    signed_date       DATE,
    signed_by         TEXT NOT NULL DEFAULT '',
    contract_file_url TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    created_by        UUID REFERENCES users (id),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX contracts_number_key ON contracts (firm_id, contract_number);
CREATE INDEX contracts_firm_created ON contracts (firm_id, created_at);
CREATE INDEX contracts_firm_client ON contracts (firm_id, client_id);
CREATE INDEX contracts_firm_status ON contracts (firm_id, status);
CREATE INDEX contracts_firm_terms ON contracts (firm_id, payment_terms);
CREATE INDEX contracts_firm_start ON contracts (firm_id, start_date);
CREATE INDEX contracts_firm_proposal ON contracts (firm_id, proposal_id);
CREATE INDEX contracts_firm_updated ON contracts (firm_id, updated_at);

-- +goose Down
DROP TABLE contracts;
DROP TABLE proposals;
DROP TABLE clients;
DROP TABLE doc_counters;
