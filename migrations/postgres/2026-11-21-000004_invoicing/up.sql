-- E-invoices (invoicing issue). Kept in step with the SQLite twin.

-- Corrective invoices keep the lines as they were ("before") and as they are now ("after").
ALTER TABLE invoice_lines ADD COLUMN side TEXT NOT NULL DEFAULT 'line';
-- How the amounts were computed: 'gross' (consumers) or 'net' (businesses).
ALTER TABLE invoices ADD COLUMN price_kind TEXT NOT NULL DEFAULT 'gross';
-- When the invoice reached the customer (mail sent or paper posted); not part of its content.
ALTER TABLE invoices ADD COLUMN delivered_at TIMESTAMP;

-- Consents with their history (art. 106n for e-invoices): who, when, from where, which text.
-- The newest row per customer and kind is in force; withdrawing adds a row with granted = false.
CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('einvoice', 'marketing')),
    granted BOOLEAN NOT NULL,
    text_version TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ip TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX consents_customer ON consents (customer_id, kind, at);
CREATE INDEX invoices_delivery ON invoices (delivery, delivered_at);
