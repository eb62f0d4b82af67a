DROP INDEX accounts_one_owner;
ALTER TABLE accounts DROP COLUMN totp_last_step;
