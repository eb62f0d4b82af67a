-- Refunds of money paid through PayU (a shop order, or a recurring card charge when a contract
-- ends at once) go back the way the money came. The correction
-- invoice that lowers the order's invoice writes a correction_refunds row (the money leaves the
-- ledger at once, as for a transfer) with an empty account, and this row says it goes through
-- PayU: sent after commit with extRefundId = 'ebok-refund-{id}' (PayU refuses a second refund
-- with the same one), then finished or cancelled by PayU's refund notification.
-- Kept in step with the SQLite twin.
CREATE TABLE payu_refunds (
    id BIGSERIAL PRIMARY KEY,
    correction_refund_id BIGINT NOT NULL REFERENCES correction_refunds (id),
    -- The shop order refunded; none for a recurring card charge (payu_order_id names it).
    shop_order_id BIGINT REFERENCES shop_orders (id),
    payu_order_id TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    description TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('to_send', 'requested', 'finalized', 'canceled', 'refused')),
    payu_refund_id TEXT,
    failure TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX payu_refunds_correction_refund ON payu_refunds (correction_refund_id);
CREATE INDEX payu_refunds_order ON payu_refunds (shop_order_id);
CREATE INDEX payu_refunds_state ON payu_refunds (state);
-- Which correction gave an order line's money back (a line is refunded once).
ALTER TABLE shop_order_lines ADD COLUMN refund_correction_id BIGINT REFERENCES invoices (id);
