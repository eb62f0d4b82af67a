DROP TABLE mailing_list_tokens;
ALTER TABLE outbox DROP COLUMN list_unsubscribe;
