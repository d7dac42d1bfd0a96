-- +goose Up
-- What a firm's invoices print: its postal address, and the locale in which documents and
-- emails write money and dates (the API itself keeps plain decimals and ISO dates).
ALTER TABLE firms ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE firms ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';

-- +goose Down
ALTER TABLE firms DROP COLUMN locale;
ALTER TABLE firms DROP COLUMN address;
