DROP TABLE news_confirmations;
ALTER TABLE news DROP COLUMN retired_at;
DROP TABLE offer_banners;
DROP TABLE profile_change_requests;
ALTER TABLE customers DROP COLUMN notify_tickets;
ALTER TABLE customers DROP COLUMN notify_outages;
ALTER TABLE customers DROP COLUMN notify_reminders;
ALTER TABLE customers DROP COLUMN notify_invoices;
