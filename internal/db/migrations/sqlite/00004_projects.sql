-- +goose Up
CREATE TABLE projects (
    id                     TEXT PRIMARY KEY,
    firm_id                TEXT NOT NULL REFERENCES firms (id),
    client_id              TEXT NOT NULL REFERENCES clients (id),
    contract_id            TEXT REFERENCES contracts (id),
    project_manager_id     TEXT REFERENCES users (id),
    project_code           TEXT NOT NULL,
    name                   TEXT NOT NULL,
    description            TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL DEFAULT 'planning'
                           CHECK (status IN ('planning', 'in_progress', 'on_hold', 'completed', 'cancelled')),
    billing_type           TEXT NOT NULL DEFAULT 'time_and_materials'
                           CHECK (billing_type IN ('fixed_price', 'time_and_materials', 'retainer', 'non_billable')),
    budget                 BIGINT CHECK (budget > 0),
    hourly_rate            BIGINT CHECK (hourly_rate > 0),
    currency               TEXT NOT NULL,
    start_date             DATE NOT NULL,
    end_date               DATE NOT NULL,
    actual_completion_date DATE,
    notes                  TEXT NOT NULL DEFAULT '',
    created_by             TEXT REFERENCES users (id),
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX projects_code_key ON projects (firm_id, lower(project_code));
CREATE INDEX projects_firm_created ON projects (firm_id, created_at);
CREATE INDEX projects_firm_client ON projects (firm_id, client_id);
CREATE INDEX projects_firm_contract ON projects (firm_id, contract_id);
CREATE INDEX projects_firm_status ON projects (firm_id, status);
CREATE INDEX projects_firm_billing ON projects (firm_id, billing_type);
CREATE INDEX projects_firm_manager ON projects (firm_id, project_manager_id);
CREATE INDEX projects_firm_start ON projects (firm_id, start_date);
CREATE INDEX projects_firm_updated ON projects (firm_id, updated_at);

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    firm_id         TEXT NOT NULL REFERENCES firms (id),
    project_id      TEXT NOT NULL REFERENCES projects (id),
    assigned_to     TEXT REFERENCES users (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo', 'in_progress', 'blocked', 'review', 'done')),
    priority        TEXT NOT NULL DEFAULT 'medium'
                    CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    position        INTEGER NOT NULL DEFAULT 0,
    estimated_hours BIGINT CHECK (estimated_hours > 0),
    due_date        DATE,
    completed_at    TIMESTAMP,
    created_by      TEXT REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX tasks_firm_project_position ON tasks (firm_id, project_id, position);
CREATE INDEX tasks_firm_created ON tasks (firm_id, created_at);
CREATE INDEX tasks_firm_status ON tasks (firm_id, status);
CREATE INDEX tasks_firm_priority ON tasks (firm_id, priority);
CREATE INDEX tasks_firm_assignee ON tasks (firm_id, assigned_to);
CREATE INDEX tasks_firm_due ON tasks (firm_id, due_date);
CREATE INDEX tasks_firm_updated ON tasks (firm_id, updated_at);

-- Hours are stored in hundredths of an hour, money in minor units of the entry's currency.
CREATE TABLE time_entries (
    id            TEXT PRIMARY KEY,
    firm_id       TEXT NOT NULL REFERENCES firms (id),
    project_id    TEXT NOT NULL REFERENCES projects (id),
    task_id       TEXT REFERENCES tasks (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    date          DATE NOT NULL,
    hours         BIGINT NOT NULL CHECK (hours > 0 AND hours <= 2400),
    description   TEXT NOT NULL,
    is_billable   BOOLEAN NOT NULL DEFAULT TRUE,
    hourly_rate   BIGINT NOT NULL CHECK (hourly_rate >= 0),
    currency      TEXT NOT NULL,
    billed_amount BIGINT NOT NULL,
    invoiced      BOOLEAN NOT NULL DEFAULT FALSE,
    invoice_id    TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX time_entries_firm_project_date ON time_entries (firm_id, project_id, date);
CREATE INDEX time_entries_firm_user_date ON time_entries (firm_id, user_id, date);
CREATE INDEX time_entries_firm_date ON time_entries (firm_id, date, created_at);
CREATE INDEX time_entries_firm_task ON time_entries (firm_id, task_id);
CREATE INDEX time_entries_firm_invoiced ON time_entries (firm_id, invoiced, is_billable);
CREATE INDEX time_entries_firm_updated ON time_entries (firm_id, updated_at);
-- Covering index for the per-project aggregates of project lists.
CREATE INDEX time_entries_project_totals ON time_entries (project_id, is_billable, invoiced, hours, billed_amount);
CREATE INDEX time_entries_task_hours ON time_entries (task_id, hours);

-- +goose Down
DROP TABLE time_entries;
DROP TABLE tasks;
DROP TABLE projects;
