-- The JSON API (/api/v1): tokens made by admins in the staff panel, and the stored answers of
-- writes sent with an Idempotency-Key. Kept in step with the PostgreSQL twin.

-- Only the SHA-256 of a token is stored; the token itself is shown once. Scopes are a
-- space-separated list; allowed_networks a space-separated list of CIDRs (empty: anywhere).
-- The rate limit is a fixed one-minute window counted on the row itself.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    allowed_networks TEXT NOT NULL DEFAULT '',
    expires_at TIMESTAMP,
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    window_started_at TIMESTAMP,
    window_count INTEGER NOT NULL DEFAULT 0,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name);

-- One stored answer per token and key: a repeat with the same request gets it back, a repeat
-- with another request is refused. request_hash covers method, path and body.
CREATE TABLE api_idempotency (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id BIGINT NOT NULL REFERENCES api_tokens (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX api_idempotency_once ON api_idempotency (token_id, idempotency_key);

-- Lists with updated_since need to know when services and endpoints last changed (empty for
-- rows older than this column: their created_at stands in).
ALTER TABLE services ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE endpoints ADD COLUMN updated_at TIMESTAMP;
