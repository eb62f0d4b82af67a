-- Renewal and expiry notices by e-mail, and outage notices mailed to the customers of the area.
-- Kept in step with the SQLite twin.

-- One row per notice mailed: the UNIQUE key (customer, kind, the thing, its end date) is the
-- claim, written in the transaction that queues the mail, so two instances or a re-run never
-- mail a notice twice. A thing renewed to a new end date is a new notice.
CREATE TABLE notice_mails (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('service_expiring', 'domain_expiring', 'contract_ending')),
    subject_id BIGINT NOT NULL,
    ends_on DATE NOT NULL,
    mailed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX notice_mails_once ON notice_mails (customer_id, kind, subject_id, ends_on);

-- An outage or maintenance notice is mailed once, when it is published: the row is the claim,
-- written in the transaction that queues the mail for every recipient.
CREATE TABLE outage_mailings (
    news_id BIGINT PRIMARY KEY NOT NULL REFERENCES news (id),
    recipients BIGINT NOT NULL,
    mailed_at TIMESTAMP NOT NULL
);
-- Notices published before this version were never mailed and are old news now.
INSERT INTO outage_mailings (news_id, recipients, mailed_at)
    SELECT id, 0, created_at FROM news WHERE kind IN ('outage', 'maintenance');
