DROP TABLE correction_refunds;
