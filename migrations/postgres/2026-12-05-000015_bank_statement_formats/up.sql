-- Bank statements as Polish banks write them (issue 15): MT942 and Elixir-0 besides MT940 and
-- CSV; which bank layout and text encoding a file was read as; the accounts in other currencies
-- that were skipped; the payer's own reference apart from the bank's; and 'held', a credit that
-- looks like one booked before but carries no bank reference to prove it, waiting for staff.
-- Kept in step with the SQLite twin.
ALTER TABLE import_batches DROP CONSTRAINT import_batches_format_check;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_format_check
    CHECK (format IN ('mt940', 'mt942', 'csv', 'elixir0'));
-- The bank whose CSV layout was recognised ("mBank", "PKO BP"…), NULL for MT940/942/Elixir.
ALTER TABLE import_batches ADD COLUMN layout TEXT;
ALTER TABLE import_batches ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf8'
    CHECK (encoding IN ('utf8', 'windows1250', 'iso8859_2'));
-- JSON: [{account, currency, line, transactions}] of the statements not in PLN.
ALTER TABLE import_batches ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';
CREATE INDEX import_batches_file ON import_batches (file_sha256, status);

ALTER TABLE bank_transactions DROP CONSTRAINT bank_transactions_status_check;
ALTER TABLE bank_transactions ADD CONSTRAINT bank_transactions_status_check
    CHECK (status IN ('matched', 'unmatched', 'assigned', 'duplicate', 'debit', 'held'));
ALTER TABLE bank_transactions ADD COLUMN customer_reference TEXT;
