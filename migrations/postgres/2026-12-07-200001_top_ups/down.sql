DROP TABLE expiring_credits;
DROP TABLE top_ups;
DROP TABLE top_up_packages;
ALTER TABLE online_payments DROP COLUMN flag_resolution;
ALTER TABLE online_payments DROP COLUMN flag_resolved_by_staff_id;
ALTER TABLE online_payments DROP COLUMN flag_resolved_at;
ALTER TABLE online_payments DROP CONSTRAINT online_payments_purpose_check;
ALTER TABLE online_payments ADD CONSTRAINT online_payments_purpose_check
    CHECK (purpose IN ('invoice', 'overdue'));
