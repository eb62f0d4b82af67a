-- The printed-letter queue: a dunning step sent "by letter" waits for staff to print its PDF
-- and post it; marking it sent records when and who (audited too). No REFERENCES on the staff
-- column: SQLite cannot drop a column that carries one, and down.sql must work.
ALTER TABLE dunning_steps ADD COLUMN letter_sent_at TIMESTAMP;
ALTER TABLE dunning_steps ADD COLUMN letter_sent_by_staff_id BIGINT;
CREATE INDEX dunning_steps_letters ON dunning_steps (by_letter, letter_sent_at);
