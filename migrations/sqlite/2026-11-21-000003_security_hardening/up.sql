-- Hardening after review. Kept in step with the PostgreSQL twin.

-- The last TOTP time step accepted, so a code cannot be used twice.
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT;

-- A customer has at most one owner account, even when two registrations race.
CREATE UNIQUE INDEX accounts_one_owner ON accounts (customer_id) WHERE role = 'owner';
