-- The monthly billing run (issue "Billing staff", part "Billing run"). Kept in step with the
-- SQLite twin.

-- One row per run, from `ebok billing run` or the staff panel: its progress while it runs
-- (heartbeat_at moves with every chunk, so a run killed mid-way is recognised as interrupted)
-- and its summary when it ends.
CREATE TABLE billing_runs (
    id BIGSERIAL PRIMARY KEY,
    -- The billing period, 'YYYY-MM'.
    period TEXT NOT NULL,
    issue_date DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    source TEXT NOT NULL CHECK (source IN ('cli', 'panel')),
    started_by_staff_id BIGINT REFERENCES staff_users (id),
    started_at TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    customers_total BIGINT NOT NULL DEFAULT 0,
    customers_done BIGINT NOT NULL DEFAULT 0,
    issued BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    total_gross BIGINT NOT NULL DEFAULT 0,
    -- Skips by reason as a JSON object {"reason": count}.
    skip_reasons TEXT NOT NULL DEFAULT '{}',
    pdf_ms BIGINT NOT NULL DEFAULT 0,
    db_ms BIGINT NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX billing_runs_period ON billing_runs (period, started_at);

-- The idempotency key of the billing run: at most one periodic invoice per customer and period,
-- written in the same transaction as the invoice.
CREATE TABLE billed_periods (
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    run_id BIGINT NOT NULL REFERENCES billing_runs (id),
    PRIMARY KEY (customer_id, period)
);
CREATE INDEX billed_periods_run ON billed_periods (run_id);

-- Discounts on a service's monthly fee: 'percent' in basis points (1500 = 15 %) or 'amount' in
-- grosze off the gross monthly fee, from starts_on until ends_on (NULL: open-ended).
CREATE TABLE service_discounts (
    id BIGSERIAL PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value BIGINT NOT NULL CHECK (value > 0),
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX service_discounts_service ON service_discounts (service_id);

-- One-off charges (installation, a lost router) queued for a billing period; the first periodic
-- invoice of that period consumes them (invoice_id is set once, in the issuing transaction).
-- amount is the gross price in grosze, as the ISP's price list states it.
CREATE TABLE pending_charges (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    service_id BIGINT REFERENCES services (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    vat_rate TEXT NOT NULL,
    period TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_charges_period ON pending_charges (period, customer_id);
