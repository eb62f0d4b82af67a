DROP INDEX invoices_delivery;
DROP TABLE consents;
ALTER TABLE invoices DROP COLUMN delivered_at;
ALTER TABLE invoices DROP COLUMN price_kind;
ALTER TABLE invoice_lines DROP COLUMN side;
