-- Back to MT940 and CSV only: the other formats' batches and held transactions cannot stay.
PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM bank_transactions WHERE status = 'held'
    OR batch_id IN (SELECT id FROM import_batches WHERE format NOT IN ('mt940', 'csv'));
DELETE FROM import_batches WHERE format NOT IN ('mt940', 'csv');
CREATE TABLE import_batches_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('mt940', 'csv')),
    status TEXT NOT NULL CHECK (status IN ('preview', 'committed', 'discarded')),
    file_sha256 TEXT NOT NULL,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    committed_by_staff_id BIGINT REFERENCES staff_users (id),
    committed_at TIMESTAMP
);
INSERT INTO import_batches_old SELECT id, file_name, format, status, file_sha256,
    created_by_staff_id, created_at, committed_by_staff_id, committed_at FROM import_batches;
DROP TABLE import_batches;
ALTER TABLE import_batches_old RENAME TO import_batches;
CREATE INDEX import_batches_created ON import_batches (created_at);
CREATE TABLE bank_transactions_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
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
    committed_key TEXT UNIQUE,
    assigned_by_staff_id BIGINT REFERENCES staff_users (id),
    assigned_at TIMESTAMP
);
INSERT INTO bank_transactions_old SELECT id, batch_id, line_no, idempotency_key, booked_on, amount,
    title, payer_name, payer_account, account_to, bank_reference, status, customer_id, invoice_id,
    match_reason, payment_id, committed_key, assigned_by_staff_id, assigned_at FROM bank_transactions;
DROP TABLE bank_transactions;
ALTER TABLE bank_transactions_old RENAME TO bank_transactions;
CREATE INDEX bank_transactions_batch ON bank_transactions (batch_id, line_no);
CREATE INDEX bank_transactions_status ON bank_transactions (status, booked_on);
CREATE INDEX bank_transactions_idempotency ON bank_transactions (idempotency_key);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
