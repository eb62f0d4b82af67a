-- Back to MT940 and CSV only: the other formats' batches and held transactions cannot stay.
DELETE FROM bank_transactions WHERE status = 'held'
    OR batch_id IN (SELECT id FROM import_batches WHERE format NOT IN ('mt940', 'csv'));
DELETE FROM import_batches WHERE format NOT IN ('mt940', 'csv');
ALTER TABLE bank_transactions DROP COLUMN customer_reference;
ALTER TABLE bank_transactions DROP CONSTRAINT bank_transactions_status_check;
ALTER TABLE bank_transactions ADD CONSTRAINT bank_transactions_status_check
    CHECK (status IN ('matched', 'unmatched', 'assigned', 'duplicate', 'debit'));
DROP INDEX import_batches_file;
ALTER TABLE import_batches DROP COLUMN skipped;
ALTER TABLE import_batches DROP COLUMN encoding;
ALTER TABLE import_batches DROP COLUMN layout;
ALTER TABLE import_batches DROP CONSTRAINT import_batches_format_check;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_format_check
    CHECK (format IN ('mt940', 'csv'));
