-- Top-up packages and credit that lapses (issue 18). Kept in step with the SQLite twin.

-- online_payments.purpose gains 'top_up' (a package bought) and 'order' (a catalogue order).
ALTER TABLE online_payments DROP CONSTRAINT online_payments_purpose_check;
ALTER TABLE online_payments ADD CONSTRAINT online_payments_purpose_check
    CHECK (purpose IN ('invoice', 'overdue', 'top_up', 'order'));
-- A flagged order that staff looked into: who, when, and what they found or did.
ALTER TABLE online_payments ADD COLUMN flag_resolved_at TIMESTAMP;
ALTER TABLE online_payments ADD COLUMN flag_resolved_by_staff_id BIGINT REFERENCES staff_users (id);
ALTER TABLE online_payments ADD COLUMN flag_resolution TEXT;

-- What the ISP sells as prepaid credit: pay `price`, get `value` (never less) to spend on
-- invoices for `validity_days`. Grosze. Retired packages stay for the top-ups that name them.
CREATE TABLE top_up_packages (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
