-- The paper post queue (db::invoices::awaiting_paper: the oldest invoices of one delivery kind
-- not yet delivered) read in issue order straight from an index. With only
-- (delivery, delivered_at), a million undelivered paper invoices were read and sorted for each
-- look at the queue (1.9 s at a million customers). Partial, so that delivered invoices (nearly
-- all of them, in time) are not in it; delivery stays a column, as the query binds it.
CREATE INDEX invoices_undelivered ON invoices (delivery, issue_date, id) WHERE delivered_at IS NULL;
