-- +goose Up
-- Money is stored in minor units of the row's currency.
CREATE TABLE assets (
    id                TEXT PRIMARY KEY,
    firm_id           TEXT NOT NULL REFERENCES firms (id),
    name              TEXT NOT NULL,
    asset_tag         TEXT NOT NULL,
    category          TEXT NOT NULL DEFAULT 'other'
                      CHECK (category IN ('computer', 'phone', 'furniture', 'vehicle', 'equipment', 'software', 'other')),
    status            TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'in_maintenance', 'retired', 'disposed', 'lost')),
    assigned_to       TEXT REFERENCES users (id),
    purchase_price    BIGINT CHECK (purchase_price >= 0),
    purchase_date     DATE,
    currency          TEXT NOT NULL,
    vendor            TEXT NOT NULL DEFAULT '',
    useful_life_years INTEGER CHECK (useful_life_years > 0),
    salvage_value     BIGINT CHECK (salvage_value >= 0),
    serial_number     TEXT NOT NULL DEFAULT '',
    warranty_expiry   DATE,
    location          TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    created_by        TEXT REFERENCES users (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX assets_tag_key ON assets (firm_id, lower(asset_tag));
CREATE INDEX assets_firm_created ON assets (firm_id, created_at);
CREATE INDEX assets_firm_name ON assets (firm_id, lower(name));
CREATE INDEX assets_firm_category ON assets (firm_id, category);
CREATE INDEX assets_firm_status ON assets (firm_id, status);
CREATE INDEX assets_firm_assignee ON assets (firm_id, assigned_to);
CREATE INDEX assets_firm_purchase ON assets (firm_id, purchase_date);
CREATE INDEX assets_firm_warranty ON assets (firm_id, warranty_expiry);
CREATE INDEX assets_firm_updated ON assets (firm_id, updated_at);

CREATE TABLE asset_maintenance (
    id             TEXT PRIMARY KEY,
    firm_id        TEXT NOT NULL REFERENCES firms (id),
    asset_id       TEXT NOT NULL REFERENCES assets (id),
    type           TEXT NOT NULL
                   CHECK (type IN ('preventive', 'corrective', 'inspection', 'upgrade')),
    description    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'scheduled'
                   CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    scheduled_date DATE NOT NULL,
    completed_date DATE,
    cost           BIGINT CHECK (cost >= 0),
    currency       TEXT NOT NULL,
    performed_by   TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_by     TEXT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (status <> 'completed' OR completed_date IS NOT NULL)
);
CREATE INDEX asset_maintenance_firm_asset ON asset_maintenance (firm_id, asset_id, scheduled_date);
CREATE INDEX asset_maintenance_firm_scheduled ON asset_maintenance (firm_id, scheduled_date, created_at);
CREATE INDEX asset_maintenance_firm_type ON asset_maintenance (firm_id, type);
CREATE INDEX asset_maintenance_firm_status ON asset_maintenance (firm_id, status);
CREATE INDEX asset_maintenance_firm_completed ON asset_maintenance (firm_id, completed_date);
CREATE INDEX asset_maintenance_firm_created ON asset_maintenance (firm_id, created_at);
CREATE INDEX asset_maintenance_firm_updated ON asset_maintenance (firm_id, updated_at);

-- +goose Down
DROP TABLE asset_maintenance;
DROP TABLE assets;
