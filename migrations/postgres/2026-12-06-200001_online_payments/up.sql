-- Online payments through PayU. Kept in step with the SQLite twin.

-- One payment order placed in the portal ("Zapłać online"). Amounts in grosze; the total is
-- fixed when the order is placed and never follows later changes. state only moves forward,
-- by conditional updates on the state it leaves: 'new' (placed, the buyer not yet at PayU or
-- not yet paying) → 'pending' (PayU is processing) → 'completed' (paid: payment_id is the
-- ledger's payment) or 'canceled' (cancel_reason: 'payu' when PayU said so, 'expired' when
-- unpaid after two hours, 'not_placed' when PayU could not be reached to take it).
-- flag: why staff must look (an amount or currency in a notification that differs from the
-- order, or a payment for an order already cancelled); nothing is booked for a flagged order.
CREATE TABLE online_payments (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    account_id BIGINT REFERENCES accounts (id),
    -- Ours, sent to PayU; PayU refuses a second order with the same one.
    ext_order_id TEXT NOT NULL UNIQUE,
    payu_order_id TEXT UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invoice', 'overdue')),
    description TEXT NOT NULL,
    total_amount BIGINT NOT NULL CHECK (total_amount > 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'pending', 'completed', 'canceled')),
    redirect_uri TEXT,
    -- Where and in which language the subscriber is told about an expired order.
    notify_email TEXT NOT NULL,
    language TEXT NOT NULL,
    flag TEXT,
    -- One order books at most one payment, and a payment belongs to at most one order.
    payment_id BIGINT UNIQUE REFERENCES payments (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    canceled_at TIMESTAMP,
    cancel_reason TEXT CHECK (cancel_reason IN ('payu', 'expired', 'not_placed'))
);
CREATE INDEX online_payments_customer ON online_payments (customer_id, created_at);
CREATE INDEX online_payments_open ON online_payments (state, expires_at);

-- What an order pays: the invoices and the amount of each when it was placed.
CREATE TABLE online_payment_invoices (
    online_payment_id BIGINT NOT NULL REFERENCES online_payments (id) ON DELETE CASCADE,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (online_payment_id, invoice_id)
);
