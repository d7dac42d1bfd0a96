-- +goose Up
-- Client search served by trigram indexes (db.SearchIndex): the list's
-- lower(column) LIKE '%term%' uses them as it is. pg_trgm is a trusted extension (the
-- database owner may create it); it goes to public so every schema's indexes share it. The
-- lock keeps migrations of several schemas at once from racing to create it.
SELECT pg_advisory_xact_lock(7226013);
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE INDEX clients_company_name_trgm ON clients USING gin (lower(company_name) public.gin_trgm_ops);
CREATE INDEX clients_contact_name_trgm ON clients USING gin (lower(primary_contact_name) public.gin_trgm_ops);
CREATE INDEX clients_contact_email_trgm ON clients USING gin (lower(primary_contact_email) public.gin_trgm_ops);

-- +goose Down
DROP INDEX clients_contact_email_trgm;
DROP INDEX clients_contact_name_trgm;
DROP INDEX clients_company_name_trgm;
