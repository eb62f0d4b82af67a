-- Throttling and two-factor recovery (subscriber accounts issue). Kept in step with the SQLite twin.

-- One row per attempt that counts against a limit (failed logins, registrations, resends,
-- reset requests). Kept in the database so limits hold across several app instances.
CREATE TABLE rate_limit_events (
    id BIGSERIAL PRIMARY KEY,
    bucket TEXT NOT NULL,
    subject TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX rate_limit_events_lookup ON rate_limit_events (bucket, subject, at);

-- One-time recovery codes for two-factor login; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, code_hash)
);

CREATE INDEX audit_log_actor_account ON audit_log (actor_account_id, at);
CREATE INDEX one_time_tokens_staff_user ON one_time_tokens (staff_user_id, purpose);
