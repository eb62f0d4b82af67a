-- Paying an interest note online (issue 20). Kept in step with the SQLite twin.
-- online_payments.purpose gains 'interest_note'.
ALTER TABLE online_payments DROP CONSTRAINT online_payments_purpose_check;
ALTER TABLE online_payments ADD CONSTRAINT online_payments_purpose_check
    CHECK (purpose IN ('invoice', 'overdue', 'top_up', 'order', 'interest_note'));

-- The interest note an order of purpose 'interest_note' pays, with the grosze it put on it (the
-- note's outstanding amount when the order was placed): the twin of online_payment_invoices.
-- Once the order is paid, the ledger lays its payment (online_payments.payment_id) on this note
-- before anything else, also when it lays the customer's payments out afresh.
CREATE TABLE online_payment_notes (
    online_payment_id BIGINT NOT NULL REFERENCES online_payments (id) ON DELETE CASCADE,
    note_id BIGINT NOT NULL REFERENCES interest_notes (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (online_payment_id, note_id)
);
CREATE INDEX online_payment_notes_note ON online_payment_notes (note_id);
