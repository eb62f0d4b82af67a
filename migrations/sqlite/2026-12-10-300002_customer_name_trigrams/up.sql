-- PostgreSQL gets a trigram index for staff search inside names (see its migration of the same
-- name). SQLite has no trigram index; its name search stays a scan bounded by the result limit,
-- as measured at 100 000 customers (the backend recommended at a million is PostgreSQL).
SELECT 1;
