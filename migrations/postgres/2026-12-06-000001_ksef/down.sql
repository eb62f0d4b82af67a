DROP TABLE ksef_settings;
DROP TABLE ksef_sessions;
DROP TABLE ksef_documents;
