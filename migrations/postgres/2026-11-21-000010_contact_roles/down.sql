UPDATE accounts SET role = 'technical' WHERE role = 'full';
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('owner', 'billing', 'technical'));
