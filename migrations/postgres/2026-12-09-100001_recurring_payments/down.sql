DROP TABLE recurring_failures;
DROP TABLE recurring_charges;
DROP TABLE recurring_mandates;
DROP TABLE payment_cards;
