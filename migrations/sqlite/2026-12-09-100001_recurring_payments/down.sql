DROP TABLE recurring_failures;
DROP TABLE recurring_charges;
DROP TABLE recurring_mandates;
DROP TABLE payment_cards;
CREATE TABLE consents_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('einvoice', 'marketing')),
    granted BOOLEAN NOT NULL,
    text_version TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ip TEXT,
    at TIMESTAMP NOT NULL
);
INSERT INTO consents_old (id, customer_id, kind, granted, text_version, account_id, ip, at)
    SELECT id, customer_id, kind, granted, text_version, account_id, ip, at FROM consents
    WHERE kind <> 'recurring_payments';
DROP TABLE consents;
ALTER TABLE consents_old RENAME TO consents;
CREATE INDEX consents_customer ON consents (customer_id, kind, at);
