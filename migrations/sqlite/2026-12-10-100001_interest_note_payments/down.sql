DROP TABLE online_payment_notes;
-- online_payments keeps the wider purpose check (narrowing it could refuse existing rows).
