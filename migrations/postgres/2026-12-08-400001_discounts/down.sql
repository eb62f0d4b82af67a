DROP TABLE discount_applications;
DROP TABLE discount_types;
