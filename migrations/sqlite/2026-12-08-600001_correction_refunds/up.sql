-- A correction that lowers an already paid invoice leaves the customer overpaid. Staff choose,
-- on the correction, whether that money is credited against what the customer owes next
-- ("zaliczona na poczet należności": no row here) or refunded to the customer's bank account
-- ("zwrócona na rachunek": one row, written in the correction's transaction). A refund takes
-- the money out of the ledger at once; staff mark it sent once the transfer has gone.
-- Kept in step with the PostgreSQL twin.
CREATE TABLE correction_refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    correction_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- The customer's account the money goes to (26 digits, checked when typed).
    account TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    created_at TIMESTAMP NOT NULL,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    sent_at TIMESTAMP,
    sent_by_staff_id BIGINT REFERENCES staff_users (id)
);
CREATE UNIQUE INDEX correction_refunds_correction ON correction_refunds (correction_id);
CREATE INDEX correction_refunds_customer ON correction_refunds (customer_id);
CREATE INDEX correction_refunds_status ON correction_refunds (status, created_at);
