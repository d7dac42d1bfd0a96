-- +goose Up
-- Online payments through Stripe (SPEC §7).

-- The client's Stripe customer, created once on its first online payment and reused.
ALTER TABLE clients ADD COLUMN stripe_customer_id TEXT;

-- The Stripe invoice a payment came from (invoice.payment_succeeded).
ALTER TABLE payments ADD COLUMN stripe_invoice_id TEXT;

-- Stripe's ids are global. A payment intent and a Stripe invoice pay at most once and a refund
-- is recorded at most once, whatever the order or number of deliveries; these indexes also
-- find the payment a refunded charge belongs to.
CREATE UNIQUE INDEX payments_stripe_payment_intent ON payments (stripe_payment_intent_id)
    WHERE kind = 'payment' AND stripe_payment_intent_id IS NOT NULL;
CREATE UNIQUE INDEX payments_stripe_invoice ON payments (stripe_invoice_id)
    WHERE kind = 'payment' AND stripe_invoice_id IS NOT NULL;
CREATE UNIQUE INDEX payments_stripe_refund ON payments (stripe_refund_id)
    WHERE stripe_refund_id IS NOT NULL;
CREATE INDEX payments_stripe_charge ON payments (stripe_charge_id)
    WHERE stripe_charge_id IS NOT NULL;

-- Every webhook event applied, recorded in the transaction of its effects, so that a
-- redelivery (Stripe delivers at least once) has none. firm_id and invoice_id are what the
-- event was matched to, NULL when nothing was; result says what it did.
CREATE TABLE stripe_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    firm_id     TEXT REFERENCES firms (id),
    invoice_id  TEXT REFERENCES invoices (id),
    result      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX stripe_events_firm_received ON stripe_events (firm_id, received_at);

-- +goose Down
DROP TABLE stripe_events;
DROP INDEX payments_stripe_charge;
DROP INDEX payments_stripe_refund;
DROP INDEX payments_stripe_invoice;
DROP INDEX payments_stripe_payment_intent;
ALTER TABLE payments DROP COLUMN stripe_invoice_id;
ALTER TABLE clients DROP COLUMN stripe_customer_id;
