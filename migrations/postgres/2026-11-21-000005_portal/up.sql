-- The subscriber's portal and what staff manage for it. Kept in step with the SQLite twin.

-- E-mail notification preferences (invoices, payment reminders, outages, ticket replies).
ALTER TABLE customers ADD COLUMN notify_invoices BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE customers ADD COLUMN notify_reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE customers ADD COLUMN notify_outages BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE customers ADD COLUMN notify_tickets BOOLEAN NOT NULL DEFAULT TRUE;

-- Changes the ISP must verify before they apply (name, PESEL, NIP, legal address).
CREATE TABLE profile_change_requests (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    field TEXT NOT NULL CHECK (field IN ('name', 'pesel', 'nip', 'address')),
    -- The requested values as a JSON object; a PESEL only as its keyed hash and last four digits.
    requested TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    ip TEXT,
    requested_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by_staff_id BIGINT REFERENCES staff_users (id),
    decision_note TEXT
);
CREATE INDEX profile_change_requests_status ON profile_change_requests (status, requested_at);
CREATE INDEX profile_change_requests_customer ON profile_change_requests (customer_id, status);

-- The ISP's current offer shown as a banner on the dashboard; area NULL means everyone.
CREATE TABLE offer_banners (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link_url TEXT,
    area TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    retired_at TIMESTAMP,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX offer_banners_window ON offer_banners (starts_at, ends_at);

-- News and outage notices can be withdrawn by staff.
ALTER TABLE news ADD COLUMN retired_at TIMESTAMP;

-- Urgent notices stay on top until the customer confirms them; recorded per customer.
CREATE TABLE news_confirmations (
    news_id BIGINT NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    confirmed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (news_id, customer_id)
);
