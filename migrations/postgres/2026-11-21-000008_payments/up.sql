-- Payments: reversals that keep history, why a payment was matched, and bank-statement imports
-- with a preview before anything is booked. Kept in step with the SQLite twin.

-- How an imported payment found its customer: 'account' (the individual NRB it was sent to),
-- 'invoice_number' or 'customer_number' (in the title), 'manual' (assigned by staff).
ALTER TABLE payments ADD COLUMN match_reason TEXT;
-- A reversed payment stays in the ledger's history but counts for nothing; its allocations go.
ALTER TABLE payments ADD COLUMN reversed_at TIMESTAMP;
-- No REFERENCES: SQLite cannot drop a column that carries one, and down.sql must work.
ALTER TABLE payments ADD COLUMN reversed_by_staff_id BIGINT;
ALTER TABLE payments ADD COLUMN reversal_reason TEXT;

-- One uploaded statement file. 'preview' until staff confirm it ('committed') or drop it.
CREATE TABLE import_batches (
    id BIGSERIAL PRIMARY KEY,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('mt940', 'csv')),
    status TEXT NOT NULL CHECK (status IN ('preview', 'committed', 'discarded')),
    file_sha256 TEXT NOT NULL,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    committed_by_staff_id BIGINT REFERENCES staff_users (id),
    committed_at TIMESTAMP
);
CREATE INDEX import_batches_created ON import_batches (created_at);

-- One line of a statement. Amounts in grosze, negative for debits (listed, never booked).
CREATE TABLE bank_transactions (
    id BIGSERIAL PRIMARY KEY,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    -- The bank's reference, or a hash of account + date + amount + title + repeat within the file.
    idempotency_key TEXT NOT NULL,
    booked_on DATE NOT NULL,
    amount BIGINT NOT NULL,
    title TEXT NOT NULL,
    payer_name TEXT,
    payer_account TEXT,
    account_to TEXT,
    bank_reference TEXT,
    status TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'assigned', 'duplicate', 'debit')),
    customer_id BIGINT REFERENCES customers (id),
    invoice_id BIGINT REFERENCES invoices (id),
    match_reason TEXT CHECK (match_reason IN ('account', 'invoice_number', 'customer_number', 'manual')),
    payment_id BIGINT REFERENCES payments (id),
    -- Set when the batch is committed: a bank transaction is booked once, however often imported.
    committed_key TEXT UNIQUE,
    assigned_by_staff_id BIGINT REFERENCES staff_users (id),
    assigned_at TIMESTAMP
);
CREATE INDEX bank_transactions_batch ON bank_transactions (batch_id, line_no);
CREATE INDEX bank_transactions_status ON bank_transactions (status, booked_on);
CREATE INDEX bank_transactions_idempotency ON bank_transactions (idempotency_key);
CREATE INDEX payments_reversed ON payments (customer_id, reversed_at);
