-- Interest notes ("nota odsetkowa"): statutory interest billed after a late payment. Not a VAT
-- invoice, so not in `invoices`: its own gapless yearly series (NO/{YYYY}/{N:05}) from its own
-- counter, its PDF stored once with its SHA-256 like an invoice's, and never changed. Kept in
-- step with the PostgreSQL twin.
CREATE TABLE interest_note_counters (
    year BIGINT PRIMARY KEY NOT NULL,
    last_seq BIGINT NOT NULL CHECK (last_seq >= 0)
);

CREATE TABLE interest_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    number TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq > 0),
    issue_date DATE NOT NULL,
    due_date DATE NOT NULL,
    interest_kind TEXT NOT NULL CHECK (interest_kind IN ('consumer', 'commercial')),
    total BIGINT NOT NULL CHECK (total > 0),
    pdf_path TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    issued_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX interest_notes_number ON interest_notes (number);
CREATE UNIQUE INDEX interest_notes_seq ON interest_notes (year, seq);
CREATE INDEX interest_notes_customer ON interest_notes (customer_id);

-- The late-paid invoices a note bills, each once ever (the unique index: two staff members
-- issuing at once cannot bill one invoice twice).
CREATE TABLE interest_note_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    note_id BIGINT NOT NULL REFERENCES interest_notes (id),
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    principal BIGINT NOT NULL,
    due_date DATE NOT NULL,
    paid_on DATE NOT NULL,
    days BIGINT NOT NULL,
    interest BIGINT NOT NULL CHECK (interest >= 0),
    -- Businesses only (art. 10 of the late-payments act): 40/70/100 EUR and its złoty value at
    -- the NBP rate of eur_rate_on; 0 and NULL for consumers.
    compensation_eur BIGINT NOT NULL CHECK (compensation_eur IN (0, 40, 70, 100)),
    compensation BIGINT NOT NULL CHECK (compensation >= 0),
    eur_rate_on DATE,
    eur_rate_e4 BIGINT
);
CREATE UNIQUE INDEX interest_note_items_once ON interest_note_items (invoice_id);
CREATE INDEX interest_note_items_note ON interest_note_items (note_id);

-- What payments paid of a note: the ledger lays a customer's money on invoices first, then on
-- notes (app::payments::settle); removed with the invoice allocations when the ledger is laid
-- out again.
CREATE TABLE interest_note_allocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id BIGINT NOT NULL REFERENCES payments (id),
    note_id BIGINT NOT NULL REFERENCES interest_notes (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX interest_note_allocations_payment ON interest_note_allocations (payment_id);
CREATE INDEX interest_note_allocations_note ON interest_note_allocations (note_id);

-- NBP average EUR rates (× 10 000: 4,2290 → 42290) for the compensation, one per day, editable by
-- admins. The seeded values are DEMO figures in the usual range, not NBP's: enter the real table
-- A rates (nbp.pl) before issuing notes to businesses.
CREATE TABLE eur_exchange_rates (
    valid_on DATE PRIMARY KEY NOT NULL,
    pln_per_eur_e4 BIGINT NOT NULL CHECK (pln_per_eur_e4 > 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO eur_exchange_rates (valid_on, pln_per_eur_e4, updated_at) VALUES
    ('2026-06-30', 42410, '2026-12-07 00:00:00'),
    ('2026-07-31', 42385, '2026-12-07 00:00:00'),
    ('2026-08-31', 42290, '2026-12-07 00:00:00'),
    ('2026-09-30', 42345, '2026-12-07 00:00:00'),
    ('2026-10-30', 42270, '2026-12-07 00:00:00'),
    ('2026-11-30', 42215, '2026-12-07 00:00:00');
