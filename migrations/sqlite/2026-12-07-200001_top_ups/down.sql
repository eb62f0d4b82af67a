DROP TABLE expiring_credits;
DROP TABLE top_ups;
DROP TABLE top_up_packages;
-- online_payments keeps the wider purpose check (narrowing it could refuse existing rows) and
-- the flag resolution columns (SQLite drops a column only by rebuilding the table).
