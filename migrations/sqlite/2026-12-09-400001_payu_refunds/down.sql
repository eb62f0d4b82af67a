ALTER TABLE shop_order_lines DROP COLUMN refund_correction_id;
DROP TABLE payu_refunds;
