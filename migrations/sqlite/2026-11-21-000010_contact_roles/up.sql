-- Contacts invited by the account owner may have full access, not only billing or technical.
-- SQLite cannot alter a CHECK, so `accounts` is rebuilt (the documented 12-step way: foreign keys
-- off, so dropping the old table neither cascades to sessions nor breaks references).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE accounts_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    login TEXT NOT NULL,
    login_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'full', 'billing', 'technical')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    language TEXT NOT NULL DEFAULT 'pl' CHECK (language IN ('pl', 'en')),
    totp_secret TEXT,
    terms_version TEXT,
    created_at TIMESTAMP NOT NULL,
    activated_at TIMESTAMP,
    last_login_at TIMESTAMP,
    totp_last_step BIGINT
);
INSERT INTO accounts_new (id, customer_id, login, login_key, email, password_hash, role, status,
    language, totp_secret, terms_version, created_at, activated_at, last_login_at, totp_last_step)
SELECT id, customer_id, login, login_key, email, password_hash, role, status,
    language, totp_secret, terms_version, created_at, activated_at, last_login_at, totp_last_step
FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_customer ON accounts (customer_id);
CREATE INDEX accounts_email ON accounts (email);
CREATE UNIQUE INDEX accounts_one_owner ON accounts (customer_id) WHERE role = 'owner';
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
