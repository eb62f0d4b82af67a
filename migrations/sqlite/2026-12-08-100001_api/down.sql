ALTER TABLE endpoints DROP COLUMN updated_at;
ALTER TABLE services DROP COLUMN updated_at;
DROP TABLE api_idempotency;
DROP TABLE api_tokens;
