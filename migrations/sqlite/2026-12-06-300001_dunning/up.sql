-- Dunning: the statutory interest rates, the plan billing staff set, pauses per customer, the
-- steps taken per invoice, and the flags the network side reads. Kept in step with the PostgreSQL
-- twin.

-- Statutory interest rates in basis points (925 = 9.25 %), each in force from valid_from until
-- the next row. Seeded with the rates of shared/reference/pl-invoicing.md §7.1; admins add a
-- row when the NBP reference rate changes.
CREATE TABLE statutory_interest_rates (
    valid_from DATE PRIMARY KEY NOT NULL,
    reference_bp BIGINT NOT NULL CHECK (reference_bp >= 0),
    consumer_bp BIGINT NOT NULL CHECK (consumer_bp >= 0),
    commercial_bp BIGINT NOT NULL CHECK (commercial_bp >= 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO statutory_interest_rates (valid_from, reference_bp, consumer_bp, commercial_bp, updated_at) VALUES
    ('2025-10-09', 450, 1000, 1450, '2026-12-06 00:00:00'),
    ('2025-11-06', 425, 975, 1425, '2026-12-06 00:00:00'),
    ('2025-12-04', 400, 950, 1400, '2026-12-06 00:00:00'),
    ('2026-03-05', 375, 925, 1375, '2026-12-06 00:00:00');

-- One row (id = 1): nothing happens to a customer whose overdue debt is below minimum_debt.
CREATE TABLE dunning_settings (
    id BIGINT PRIMARY KEY NOT NULL,
    minimum_debt BIGINT NOT NULL CHECK (minimum_debt >= 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO dunning_settings (id, minimum_debt, updated_at) VALUES (1, 1000, '2026-12-06 00:00:00');

-- The plan: one row per kind of step, offset_days after the due date. No fee column: flat
-- reminder fees for consumers are abusive clauses (SA Warszawa VI ACa 695/10).
CREATE TABLE dunning_plan_steps (
    kind TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('reminder', 'formal_demand', 'warning_page', 'limitation', 'pre_court_demand')),
    offset_days BIGINT NOT NULL,
    deadline_days BIGINT,
    by_email BOOLEAN NOT NULL,
    in_portal BOOLEAN NOT NULL,
    by_letter BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO dunning_plan_steps (kind, offset_days, deadline_days, by_email, in_portal, by_letter, active, updated_at) VALUES
    ('reminder', 3, NULL, TRUE, TRUE, FALSE, TRUE, '2026-12-06 00:00:00'),
    ('formal_demand', 14, 7, TRUE, TRUE, FALSE, TRUE, '2026-12-06 00:00:00'),
    ('warning_page', 21, NULL, TRUE, TRUE, FALSE, TRUE, '2026-12-06 00:00:00'),
    ('limitation', 28, NULL, TRUE, TRUE, FALSE, TRUE, '2026-12-06 00:00:00'),
    ('pre_court_demand', 45, 7, TRUE, TRUE, TRUE, TRUE, '2026-12-06 00:00:00');

-- Customers staff took out of dunning (a payment plan, a complaint), with the reason.
CREATE TABLE dunning_pauses (
    customer_id BIGINT PRIMARY KEY NOT NULL REFERENCES customers (id),
    reason TEXT NOT NULL,
    paused_by_staff_id BIGINT REFERENCES staff_users (id),
    paused_at TIMESTAMP NOT NULL
);

-- Every step taken for an invoice, once: the unique index is what keeps two job instances (or
-- a run after a crash) from taking it twice. Written in the transaction that re-reads what the
-- invoice owes and queues its mail, so a paid invoice is never dunned and a recorded step's mail
-- is never lost. status: 'sent', or 'skipped' (its day passed while a later step was due).
-- The figures are the ones the document states; its PDF is rendered from them on request.
CREATE TABLE dunning_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    step TEXT NOT NULL CHECK (step IN ('reminder', 'formal_demand', 'warning_page', 'limitation', 'pre_court_demand')),
    status TEXT NOT NULL CHECK (status IN ('sent', 'skipped')),
    taken_on DATE NOT NULL,
    outstanding BIGINT NOT NULL,
    interest BIGINT NOT NULL,
    interest_kind TEXT NOT NULL CHECK (interest_kind IN ('consumer', 'commercial')),
    deadline DATE,
    by_email BOOLEAN NOT NULL,
    in_portal BOOLEAN NOT NULL,
    by_letter BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX dunning_steps_once ON dunning_steps (invoice_id, step);
CREATE INDEX dunning_steps_customer ON dunning_steps (customer_id, taken_on);

-- Endpoints the network side must warn or limit; deleted when the customer pays.
CREATE TABLE endpoint_flags (
    endpoint_id BIGINT PRIMARY KEY NOT NULL REFERENCES endpoints (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    flag TEXT NOT NULL CHECK (flag IN ('warning', 'block')),
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    set_at TIMESTAMP NOT NULL
);
CREATE INDEX endpoint_flags_customer ON endpoint_flags (customer_id);
