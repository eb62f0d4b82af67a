-- Contacts invited by the account owner may have full access, not only billing or technical.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('owner', 'full', 'billing', 'technical'));
