-- Paying an interest note online (issue 20). Kept in step with the PostgreSQL twin.
-- online_payments.purpose gains 'interest_note'. SQLite cannot alter a CHECK, so the table is
-- rebuilt (foreign keys off, so dropping the old table neither cascades to the order lines nor
-- breaks the references of top_ups and shop_order_payments).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE online_payments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    account_id BIGINT REFERENCES accounts (id),
    ext_order_id TEXT NOT NULL UNIQUE,
    payu_order_id TEXT UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invoice', 'overdue', 'top_up', 'order', 'interest_note')),
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
    flag_resolved_at TIMESTAMP,
    flag_resolved_by_staff_id BIGINT REFERENCES staff_users (id),
    flag_resolution TEXT
);
INSERT INTO online_payments_new (id, customer_id, account_id, ext_order_id, payu_order_id,
    purpose, description, total_amount, currency, state, redirect_uri, notify_email, language,
    flag, payment_id, created_at, expires_at, updated_at, completed_at, canceled_at,
    cancel_reason, flag_resolved_at, flag_resolved_by_staff_id, flag_resolution)
SELECT id, customer_id, account_id, ext_order_id, payu_order_id, purpose, description,
    total_amount, currency, state, redirect_uri, notify_email, language, flag, payment_id,
    created_at, expires_at, updated_at, completed_at, canceled_at, cancel_reason,
    flag_resolved_at, flag_resolved_by_staff_id, flag_resolution
FROM online_payments;
DROP TABLE online_payments;
ALTER TABLE online_payments_new RENAME TO online_payments;
CREATE INDEX online_payments_customer ON online_payments (customer_id, created_at);
CREATE INDEX online_payments_open ON online_payments (state, expires_at);

-- The interest note an order of purpose 'interest_note' pays, with the grosze it put on it (the
-- note's outstanding amount when the order was placed): the twin of online_payment_invoices.
-- Once the order is paid, the ledger lays its payment (online_payments.payment_id) on this note
-- before anything else, also when it lays the customer's payments out afresh.
CREATE TABLE online_payment_notes (
    online_payment_id BIGINT NOT NULL REFERENCES online_payments (id) ON DELETE CASCADE,
    note_id BIGINT NOT NULL REFERENCES interest_notes (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (online_payment_id, note_id)
);
CREATE INDEX online_payment_notes_note ON online_payment_notes (note_id);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
