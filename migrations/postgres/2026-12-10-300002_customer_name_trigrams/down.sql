DROP INDEX IF EXISTS customers_name_trigrams;
