DROP TABLE subscription_periods;
