DROP TABLE pending_charges;
DROP TABLE service_discounts;
DROP TABLE billed_periods;
DROP TABLE billing_runs;
