ALTER TABLE ksef_documents DROP COLUMN offline_mode;
