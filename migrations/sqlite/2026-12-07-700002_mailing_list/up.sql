-- The mailing list: marketing mail goes only to customers whose marketing consent is in force,
-- each message with a one-click way out (RFC 8058). Kept in step with the PostgreSQL twin.

-- The one-click address of a marketing message, sent as its List-Unsubscribe header; cleared
-- with the body once delivered, because it carries a one-time token.
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;

-- One token per marketing message: only its SHA-256 is stored; single use.
CREATE TABLE mailing_list_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE UNIQUE INDEX mailing_list_tokens_hash ON mailing_list_tokens (token_hash);
