DROP INDEX dunning_steps_letters;
ALTER TABLE dunning_steps DROP COLUMN letter_sent_by_staff_id;
ALTER TABLE dunning_steps DROP COLUMN letter_sent_at;
