-- Top-up packages and credit that lapses (issue 18). Kept in step with the PostgreSQL twin.

-- online_payments.purpose gains 'top_up' (a package bought) and 'order' (a catalogue order),
-- and the order a resolution of its flag by staff. SQLite cannot change a CHECK, so the table is rebuilt. Foreign keys are on while migrations
-- run, so the table that refers to it is emptied into a plain copy first: dropping
-- online_payments under it would cascade-delete its rows.
CREATE TABLE online_payment_invoices_copy AS SELECT * FROM online_payment_invoices;
DROP TABLE online_payment_invoices;

CREATE TABLE online_payments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    account_id BIGINT REFERENCES accounts (id),
    ext_order_id TEXT NOT NULL UNIQUE,
    payu_order_id TEXT UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invoice', 'overdue', 'top_up', 'order')),
    description TEXT NOT NULL,
    total_amount BIGINT NOT NULL CHECK (total_amount > 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'pending', 'completed', 'canceled')),
    redirect_uri TEXT,
    notify_email TEXT NOT NULL,
    language TEXT NOT NULL,
    flag TEXT,
    payment_id BIGINT UNIQUE REFERENCES payments (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    canceled_at TIMESTAMP,
    cancel_reason TEXT CHECK (cancel_reason IN ('payu', 'expired', 'not_placed')),
    -- A flagged order that staff looked into: who, when, and what they found or did.
    flag_resolved_at TIMESTAMP,
    flag_resolved_by_staff_id BIGINT REFERENCES staff_users (id),
    flag_resolution TEXT
);
INSERT INTO online_payments_new (id, customer_id, account_id, ext_order_id, payu_order_id,
    purpose, description, total_amount, currency, state, redirect_uri, notify_email, language,
    flag, payment_id, created_at, expires_at, updated_at, completed_at, canceled_at,
    cancel_reason)
SELECT id, customer_id, account_id, ext_order_id, payu_order_id, purpose, description,
    total_amount, currency, state, redirect_uri, notify_email, language, flag, payment_id,
    created_at, expires_at, updated_at, completed_at, canceled_at, cancel_reason
FROM online_payments;
DROP TABLE online_payments;
ALTER TABLE online_payments_new RENAME TO online_payments;
CREATE INDEX online_payments_customer ON online_payments (customer_id, created_at);
CREATE INDEX online_payments_open ON online_payments (state, expires_at);

CREATE TABLE online_payment_invoices (
    online_payment_id BIGINT NOT NULL REFERENCES online_payments (id) ON DELETE CASCADE,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (online_payment_id, invoice_id)
);
INSERT INTO online_payment_invoices SELECT * FROM online_payment_invoices_copy;
DROP TABLE online_payment_invoices_copy;

-- What the ISP sells as prepaid credit: pay `price`, get `value` (never less) to spend on
-- invoices for `validity_days`. Grosze. Retired packages stay for the top-ups that name them.
CREATE TABLE top_up_packages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price > 0),
    value BIGINT NOT NULL CHECK (value >= price),
    validity_days INTEGER NOT NULL CHECK (validity_days BETWEEN 1 AND 3660),
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One package bought through PayU, as it was when the order was placed (a later price change
-- does not touch it). When paid: the cash received is one payment, the bonus (value - price)
-- another, both lapsing after expires_on.
CREATE TABLE top_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    online_payment_id BIGINT NOT NULL UNIQUE REFERENCES online_payments (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    package_id BIGINT NOT NULL REFERENCES top_up_packages (id),
    name TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price > 0),
    value BIGINT NOT NULL CHECK (value >= price),
    validity_days INTEGER NOT NULL,
    payment_id BIGINT UNIQUE REFERENCES payments (id),
    bonus_payment_id BIGINT UNIQUE REFERENCES payments (id),
    expires_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX top_ups_customer ON top_ups (customer_id, created_at);

-- A payment whose unused part stops counting as credit after expires_on. expired_amount is
-- what was left unused when it lapsed (set once, by a conditional update), so the ledger
-- shows the lapse as its own entry and credit + used + expired always equals what was given.
CREATE TABLE expiring_credits (
    payment_id BIGINT PRIMARY KEY REFERENCES payments (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    expires_on DATE NOT NULL,
    expired_amount BIGINT CHECK (expired_amount >= 0),
    expired_at TIMESTAMP
);
CREATE INDEX expiring_credits_customer ON expiring_credits (customer_id, expires_on);
CREATE INDEX expiring_credits_due ON expiring_credits (expires_on, expired_at);
