-- +goose Up
CREATE TABLE folders (
    id         UUID PRIMARY KEY,
    firm_id    UUID NOT NULL REFERENCES firms (id),
    parent_id  UUID REFERENCES folders (id),
    client_id  UUID REFERENCES clients (id),
    project_id UUID REFERENCES projects (id),
    name       TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'client')),
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- Names are unique among a folder's children and among the firm's root folders, ignoring case.
CREATE UNIQUE INDEX folders_sibling_name ON folders (firm_id, COALESCE(parent_id::text, ''), lower(name));
CREATE INDEX folders_firm_parent ON folders (firm_id, parent_id);
CREATE INDEX folders_firm_client ON folders (firm_id, client_id);
CREATE INDEX folders_firm_project ON folders (firm_id, project_id);
CREATE INDEX folders_firm_visibility ON folders (firm_id, visibility);
CREATE INDEX folders_firm_created ON folders (firm_id, created_at);
CREATE INDEX folders_firm_updated ON folders (firm_id, updated_at);

-- version_count numbers the versions; the current version is the one numbered version_count.
CREATE TABLE documents (
    id            UUID PRIMARY KEY,
    firm_id       UUID NOT NULL REFERENCES firms (id),
    folder_id     UUID NOT NULL REFERENCES folders (id),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    visibility    TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'client')),
    version_count INTEGER NOT NULL DEFAULT 0,
    uploaded_by   UUID REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX documents_firm_folder ON documents (firm_id, folder_id);
CREATE INDEX documents_firm_visibility ON documents (firm_id, visibility);
CREATE INDEX documents_firm_created ON documents (firm_id, created_at);
CREATE INDEX documents_firm_updated ON documents (firm_id, updated_at);

-- A version's blob is in storage under storage_key (firm/document/version ids); sha256 is the
-- hex digest of its bytes, content_type the type sniffed from them.
CREATE TABLE document_versions (
    id           UUID PRIMARY KEY,
    firm_id      UUID NOT NULL REFERENCES firms (id),
    document_id  UUID NOT NULL REFERENCES documents (id),
    number       INTEGER NOT NULL CHECK (number > 0),
    storage_key  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  UUID REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX document_versions_number ON document_versions (document_id, number);
CREATE INDEX document_versions_firm_created ON document_versions (firm_id, created_at);

-- +goose Down
DROP TABLE document_versions;
DROP TABLE documents;
DROP TABLE folders;
