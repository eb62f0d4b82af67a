-- Bank statements as Polish banks write them (issue 15): MT942 and Elixir-0 besides MT940 and
-- CSV; which bank layout and text encoding a file was read as; the accounts in other currencies
-- that were skipped; the payer's own reference apart from the bank's; and 'held', a credit that
-- looks like one booked before but carries no bank reference to prove it, waiting for staff.
-- SQLite cannot alter a CHECK, so both tables are rebuilt (foreign keys off, so dropping the old
-- import_batches neither cascades to the transactions nor breaks their references).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE import_batches_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('mt940', 'mt942', 'csv', 'elixir0')),
    status TEXT NOT NULL CHECK (status IN ('preview', 'committed', 'discarded')),
    file_sha256 TEXT NOT NULL,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    committed_by_staff_id BIGINT REFERENCES staff_users (id),
    committed_at TIMESTAMP,
    -- The bank whose CSV layout was recognised ("mBank", "PKO BP"…), NULL for MT940/942/Elixir.
    layout TEXT,
    encoding TEXT NOT NULL DEFAULT 'utf8' CHECK (encoding IN ('utf8', 'windows1250', 'iso8859_2')),
    -- JSON: [{account, currency, line, transactions}] of the statements not in PLN.
    skipped TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO import_batches_new (id, file_name, format, status, file_sha256, created_by_staff_id,
    created_at, committed_by_staff_id, committed_at)
SELECT id, file_name, format, status, file_sha256, created_by_staff_id,
    created_at, committed_by_staff_id, committed_at
FROM import_batches;
DROP TABLE import_batches;
ALTER TABLE import_batches_new RENAME TO import_batches;
CREATE INDEX import_batches_created ON import_batches (created_at);
CREATE INDEX import_batches_file ON import_batches (file_sha256, status);

CREATE TABLE bank_transactions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    -- The bank's reference, or a hash of account + date + amount + payer's reference + title +
    -- repeat within the file.
    idempotency_key TEXT NOT NULL,
    booked_on DATE NOT NULL,
    amount BIGINT NOT NULL,
    title TEXT NOT NULL,
    payer_name TEXT,
    payer_account TEXT,
    account_to TEXT,
    bank_reference TEXT,
    status TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'assigned', 'duplicate', 'debit', 'held')),
    customer_id BIGINT REFERENCES customers (id),
    invoice_id BIGINT REFERENCES invoices (id),
    match_reason TEXT CHECK (match_reason IN ('account', 'invoice_number', 'customer_number', 'manual')),
    payment_id BIGINT REFERENCES payments (id),
    -- Set when the batch is committed: a bank transaction is booked once, however often imported.
    committed_key TEXT UNIQUE,
    assigned_by_staff_id BIGINT REFERENCES staff_users (id),
    assigned_at TIMESTAMP,
    customer_reference TEXT
);
INSERT INTO bank_transactions_new (id, batch_id, line_no, idempotency_key, booked_on, amount, title,
    payer_name, payer_account, account_to, bank_reference, status, customer_id, invoice_id,
    match_reason, payment_id, committed_key, assigned_by_staff_id, assigned_at)
SELECT id, batch_id, line_no, idempotency_key, booked_on, amount, title,
    payer_name, payer_account, account_to, bank_reference, status, customer_id, invoice_id,
    match_reason, payment_id, committed_key, assigned_by_staff_id, assigned_at
FROM bank_transactions;
DROP TABLE bank_transactions;
ALTER TABLE bank_transactions_new RENAME TO bank_transactions;
CREATE INDEX bank_transactions_batch ON bank_transactions (batch_id, line_no);
CREATE INDEX bank_transactions_status ON bank_transactions (status, booked_on);
CREATE INDEX bank_transactions_idempotency ON bank_transactions (idempotency_key);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
