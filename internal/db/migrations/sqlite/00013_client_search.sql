-- +goose Up
-- Client search served by a trigram index (db.SearchIndex): each client's searched columns,
-- lower-cased by the same lower() as the query (Go's, registered on every connection), under
-- the client's rowid. Contentless: the text lives in clients; contentless_delete lets triggers
-- remove a row by rowid alone. case_sensitive 1 because the text is already folded.
CREATE VIRTUAL TABLE clients_fts USING fts5 (
    company_name, primary_contact_name, primary_contact_email,
    content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
);

INSERT INTO clients_fts (rowid, company_name, primary_contact_name, primary_contact_email)
SELECT rowid, lower(company_name), lower(primary_contact_name), lower(primary_contact_email)
FROM clients;

-- +goose StatementBegin
CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_fts (rowid, company_name, primary_contact_name, primary_contact_email)
    VALUES (new.rowid, lower(new.company_name), lower(new.primary_contact_name),
            lower(new.primary_contact_email));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER clients_fts_update AFTER UPDATE OF company_name, primary_contact_name, primary_contact_email
ON clients BEGIN
    DELETE FROM clients_fts WHERE rowid = old.rowid;
    INSERT INTO clients_fts (rowid, company_name, primary_contact_name, primary_contact_email)
    VALUES (new.rowid, lower(new.company_name), lower(new.primary_contact_name),
            lower(new.primary_contact_email));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER clients_fts_delete AFTER DELETE ON clients BEGIN
    DELETE FROM clients_fts WHERE rowid = old.rowid;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER clients_fts_delete;
DROP TRIGGER clients_fts_update;
DROP TRIGGER clients_fts_insert;
DROP TABLE clients_fts;
