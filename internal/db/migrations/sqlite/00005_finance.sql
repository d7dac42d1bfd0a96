-- +goose Up
-- Money is stored in minor units of the row's currency; quantities and tax rates in hundredths.
CREATE TABLE invoices (
    id              TEXT PRIMARY KEY,
    firm_id         TEXT NOT NULL REFERENCES firms (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    project_id      TEXT REFERENCES projects (id),
    invoice_number  TEXT,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'sent', 'partial', 'paid', 'overdue', 'cancelled', 'refunded')),
    currency        TEXT NOT NULL,
    subtotal        BIGINT NOT NULL,
    tax_rate        BIGINT CHECK (tax_rate >= 0),
    tax_amount      BIGINT NOT NULL CHECK (tax_amount >= 0),
    discount_amount BIGINT NOT NULL CHECK (discount_amount >= 0),
    total_amount    BIGINT NOT NULL CHECK (total_amount > 0),
    amount_paid     BIGINT NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total_amount),
    credited        BIGINT NOT NULL DEFAULT 0,
    issue_date      DATE NOT NULL,
    due_date        DATE NOT NULL,
    payment_terms   TEXT NOT NULL,
    paid_date       DATE,
    sent_at         TIMESTAMP,
    notes           TEXT NOT NULL DEFAULT '',
    created_by      TEXT REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invoices_number_key ON invoices (firm_id, invoice_number);
CREATE INDEX invoices_firm_created ON invoices (firm_id, created_at);
CREATE INDEX invoices_firm_client ON invoices (firm_id, client_id);
CREATE INDEX invoices_firm_project ON invoices (firm_id, project_id);
CREATE INDEX invoices_firm_status_due ON invoices (firm_id, status, due_date);
CREATE INDEX invoices_firm_issue ON invoices (firm_id, issue_date);
CREATE INDEX invoices_firm_due ON invoices (firm_id, due_date);
CREATE INDEX invoices_firm_total ON invoices (firm_id, total_amount);
CREATE INDEX invoices_firm_updated ON invoices (firm_id, updated_at);
CREATE INDEX invoices_status_due ON invoices (status, due_date);

CREATE TABLE invoice_lines (
    id          TEXT PRIMARY KEY,
    firm_id     TEXT NOT NULL REFERENCES firms (id),
    invoice_id  TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    rate        BIGINT NOT NULL,
    amount      BIGINT NOT NULL
);
CREATE UNIQUE INDEX invoice_lines_position ON invoice_lines (invoice_id, position);

CREATE TABLE bills (
    id               TEXT PRIMARY KEY,
    firm_id          TEXT NOT NULL REFERENCES firms (id),
    project_id       TEXT REFERENCES projects (id),
    vendor_name      TEXT NOT NULL,
    vendor_email     TEXT NOT NULL DEFAULT '',
    bill_number      TEXT NOT NULL DEFAULT '',
    reference_number TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'approved', 'paid', 'partial', 'overdue', 'disputed')),
    currency         TEXT NOT NULL,
    subtotal         BIGINT NOT NULL,
    tax_amount       BIGINT NOT NULL CHECK (tax_amount >= 0),
    total_amount     BIGINT NOT NULL CHECK (total_amount > 0),
    amount_paid      BIGINT NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total_amount),
    bill_date        DATE NOT NULL,
    due_date         DATE NOT NULL,
    paid_date        DATE,
    expense_category TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    approved_by      TEXT REFERENCES users (id),
    approved_at      TIMESTAMP,
    created_by       TEXT REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bills_reference_key ON bills (firm_id, reference_number);
CREATE INDEX bills_firm_created ON bills (firm_id, created_at);
CREATE INDEX bills_firm_status_due ON bills (firm_id, status, due_date);
CREATE INDEX bills_firm_project ON bills (firm_id, project_id);
CREATE INDEX bills_firm_category ON bills (firm_id, expense_category);
CREATE INDEX bills_firm_bill_date ON bills (firm_id, bill_date);
CREATE INDEX bills_firm_due ON bills (firm_id, due_date);
CREATE INDEX bills_firm_updated ON bills (firm_id, updated_at);
CREATE INDEX bills_status_due ON bills (status, due_date);

CREATE TABLE bill_lines (
    id          TEXT PRIMARY KEY,
    firm_id     TEXT NOT NULL REFERENCES firms (id),
    bill_id     TEXT NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    rate        BIGINT NOT NULL,
    amount      BIGINT NOT NULL
);
CREATE UNIQUE INDEX bill_lines_position ON bill_lines (bill_id, position);

-- A receipt or refund of an invoice, or a payment or refund of a bill.
CREATE TABLE payments (
    id                       TEXT PRIMARY KEY,
    firm_id                  TEXT NOT NULL REFERENCES firms (id),
    invoice_id               TEXT REFERENCES invoices (id),
    bill_id                  TEXT REFERENCES bills (id),
    kind                     TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    amount                   BIGINT NOT NULL CHECK (amount > 0),
    currency                 TEXT NOT NULL,
    method                   TEXT NOT NULL
                             CHECK (method IN ('stripe', 'bank_transfer', 'card', 'cash', 'check', 'other')),
    received_on              DATE NOT NULL,
    reference                TEXT NOT NULL DEFAULT '',
    notes                    TEXT NOT NULL DEFAULT '',
    stripe_payment_intent_id TEXT,
    stripe_charge_id         TEXT,
    stripe_refund_id         TEXT,
    created_by               TEXT REFERENCES users (id),
    created_at               TIMESTAMP NOT NULL,
    CHECK ((invoice_id IS NULL) <> (bill_id IS NULL))
);
CREATE INDEX payments_firm_created ON payments (firm_id, created_at);
CREATE INDEX payments_firm_invoice ON payments (firm_id, invoice_id, created_at);
CREATE INDEX payments_firm_bill ON payments (firm_id, bill_id, created_at);
CREATE INDEX payments_firm_received ON payments (firm_id, received_on);
CREATE INDEX payments_firm_kind ON payments (firm_id, kind);
CREATE INDEX payments_firm_method ON payments (firm_id, method);

CREATE TABLE ledger_accounts (
    id         TEXT PRIMARY KEY,
    firm_id    TEXT NOT NULL REFERENCES firms (id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    system_key TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ledger_accounts_code_key ON ledger_accounts (firm_id, code);
CREATE UNIQUE INDEX ledger_accounts_system_key ON ledger_accounts (firm_id, system_key);

-- Journal entries are immutable: a correction is a reversing entry.
CREATE TABLE journal_entries (
    id          TEXT PRIMARY KEY,
    firm_id     TEXT NOT NULL REFERENCES firms (id),
    date        DATE NOT NULL,
    memo        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    invoice_id  TEXT REFERENCES invoices (id),
    bill_id     TEXT REFERENCES bills (id),
    payment_id  TEXT REFERENCES payments (id),
    reverses_id TEXT REFERENCES journal_entries (id),
    created_by  TEXT REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX journal_entries_firm_date ON journal_entries (firm_id, date, created_at);
CREATE INDEX journal_entries_firm_invoice ON journal_entries (firm_id, invoice_id);
CREATE INDEX journal_entries_firm_bill ON journal_entries (firm_id, bill_id);
CREATE INDEX journal_entries_firm_payment ON journal_entries (firm_id, payment_id);
CREATE UNIQUE INDEX journal_entries_reverses ON journal_entries (reverses_id);

CREATE TABLE journal_lines (
    id         TEXT PRIMARY KEY,
    firm_id    TEXT NOT NULL REFERENCES firms (id),
    entry_id   TEXT NOT NULL REFERENCES journal_entries (id),
    account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
    position   INTEGER NOT NULL,
    debit      BIGINT NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit     BIGINT NOT NULL DEFAULT 0 CHECK (credit >= 0),
    currency   TEXT NOT NULL,
    memo       TEXT NOT NULL DEFAULT '',
    CHECK ((debit = 0) <> (credit = 0))
);
CREATE INDEX journal_lines_entry ON journal_lines (entry_id, position);
CREATE INDEX journal_lines_firm_account ON journal_lines (firm_id, account_id, entry_id);

CREATE INDEX time_entries_firm_invoice ON time_entries (firm_id, invoice_id);

-- +goose Down
DROP INDEX time_entries_firm_invoice;
DROP TABLE journal_lines;
DROP TABLE journal_entries;
DROP TABLE ledger_accounts;
DROP TABLE payments;
DROP TABLE bill_lines;
DROP TABLE bills;
DROP TABLE invoice_lines;
DROP TABLE invoices;
