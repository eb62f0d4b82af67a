DROP INDEX payments_reversed;
DROP TABLE bank_transactions;
DROP TABLE import_batches;
ALTER TABLE payments DROP COLUMN reversal_reason;
ALTER TABLE payments DROP COLUMN reversed_by_staff_id;
ALTER TABLE payments DROP COLUMN reversed_at;
ALTER TABLE payments DROP COLUMN match_reason;
