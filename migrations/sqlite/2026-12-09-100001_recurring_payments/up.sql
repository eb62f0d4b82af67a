-- Recurring card payments (PayU card tokens). The card number never reaches e-BOK: PayU's form
-- gives a single-use TOK_, the first (3-D Secure) order turns it into the multi-use TOKC_ kept
-- here with what PayU reports of the card. A mandate says which contract is charged with which
-- card; a charge is one contract's 30-day period, UNIQUE per (contract, period start): that is
-- the idempotency key that keeps two instances, or a retry after a crash, from charging a
-- period twice. Each failed attempt is one row of recurring_failures.
-- Kept in step with the PostgreSQL twin.
-- The recurring-payment terms are a consent of their own kind. SQLite cannot change a CHECK in
-- place: the table is rebuilt with its rows (nothing references it yet).
CREATE TABLE consents_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('einvoice', 'marketing', 'recurring_payments')),
    granted BOOLEAN NOT NULL,
    text_version TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ip TEXT,
    at TIMESTAMP NOT NULL
);
INSERT INTO consents_new (id, customer_id, kind, granted, text_version, account_id, ip, at)
    SELECT id, customer_id, kind, granted, text_version, account_id, ip, at FROM consents;
DROP TABLE consents;
ALTER TABLE consents_new RENAME TO consents;
CREATE INDEX consents_customer ON consents (customer_id, kind, at);

CREATE TABLE payment_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- PayU's multi-use token (TOKC_...), once the first order gave it.
    token TEXT,
    brand TEXT NOT NULL DEFAULT '',
    last_four TEXT NOT NULL DEFAULT '',
    expiry_month INTEGER NOT NULL DEFAULT 0,
    expiry_year INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'removed')),
    -- The FIRST order (3-D Secure) that registered the card.
    ext_order_id TEXT NOT NULL,
    payu_order_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX payment_cards_token ON payment_cards (token);
CREATE UNIQUE INDEX payment_cards_ext_order ON payment_cards (ext_order_id);
CREATE INDEX payment_cards_customer ON payment_cards (customer_id, status);

CREATE TABLE recurring_mandates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    card_id BIGINT NOT NULL REFERENCES payment_cards (id),
    -- active: charged each period; cancelling: runs to ends_on, nothing more charged;
    -- cancelled: past ends_on or cancelled by staff; ended: the last retry failed.
    status TEXT NOT NULL CHECK (status IN ('active', 'cancelling', 'cancelled', 'ended')),
    -- The consent to the recurring terms (time, IP, text version) given when turned on.
    consent_id BIGINT NOT NULL REFERENCES consents (id),
    -- The first period charged starts on this day.
    starts_on DATE NOT NULL,
    -- The last day served once cancelled (the end of the period then running).
    ends_on DATE,
    end_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- At most one mandate in force per contract.
CREATE UNIQUE INDEX recurring_mandates_open ON recurring_mandates (contract_id)
    WHERE status IN ('active', 'cancelling');
CREATE INDEX recurring_mandates_customer ON recurring_mandates (customer_id);

CREATE TABLE recurring_charges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mandate_id BIGINT NOT NULL REFERENCES recurring_mandates (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    -- The period's invoice, issued when the period is claimed.
    invoice_id BIGINT REFERENCES invoices (id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    -- due: waiting for next_attempt_on; charging: an attempt is with PayU (lease_until);
    -- paid; failed: the last retry failed; settled: nothing left to charge (paid by hand).
    state TEXT NOT NULL CHECK (state IN ('due', 'charging', 'paid', 'failed', 'settled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_on DATE NOT NULL,
    -- The attempt's extOrderId (unique at PayU) and PayU's order id, stored before and right
    -- after PayU is asked, so a retry after a crash asks PayU first.
    ext_order_id TEXT,
    payu_order_id TEXT,
    lease_until TIMESTAMP,
    payment_id BIGINT REFERENCES payments (id),
    paid_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX recurring_charges_period ON recurring_charges (contract_id, period_start);
CREATE UNIQUE INDEX recurring_charges_ext_order ON recurring_charges (ext_order_id);
CREATE INDEX recurring_charges_state ON recurring_charges (state, next_attempt_on);

CREATE TABLE recurring_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    charge_id BIGINT NOT NULL REFERENCES recurring_charges (id),
    attempt INTEGER NOT NULL,
    reason TEXT NOT NULL,
    payu_order_id TEXT,
    -- When the next attempt is due; none after the last.
    retry_on DATE,
    at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX recurring_failures_attempt ON recurring_failures (charge_id, attempt);
