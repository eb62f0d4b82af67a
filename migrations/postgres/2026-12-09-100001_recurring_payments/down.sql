DROP TABLE recurring_failures;
DROP TABLE recurring_charges;
DROP TABLE recurring_mandates;
DROP TABLE payment_cards;
DELETE FROM consents WHERE kind = 'recurring_payments';
ALTER TABLE consents DROP CONSTRAINT consents_kind_check;
ALTER TABLE consents ADD CONSTRAINT consents_kind_check CHECK (kind IN ('einvoice', 'marketing'));
