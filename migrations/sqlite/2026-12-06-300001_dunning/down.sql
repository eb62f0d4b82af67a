DROP TABLE endpoint_flags;
DROP TABLE dunning_steps;
DROP TABLE dunning_pauses;
DROP TABLE dunning_plan_steps;
DROP TABLE dunning_settings;
DROP TABLE statutory_interest_rates;
