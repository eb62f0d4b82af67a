-- RADIUS accounting finds a session's endpoint by its login whatever the case the subscriber
-- typed it in (app::radius::ingest): looked up by the batch's logins instead of reading every
-- endpoint, which needs this index at a million lines. (ipv4 and pppoe_login are UNIQUE, so
-- indexed already.)
CREATE INDEX endpoints_pppoe_login_lower ON endpoints (lower(pppoe_login));
