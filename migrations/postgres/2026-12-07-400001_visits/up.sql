-- Technician visits (issue 22): technicians with their areas, working hours and days off; the
-- kinds of visit with duration, price and the late-cancellation rule; the visits booked; and the
-- slot holds whose primary key is what keeps two bookings out of one technician's slot.
-- Kept in step with the PostgreSQL twin. Times of visits are UTC; working hours are wall-clock
-- minutes in Europe/Warsaw.

CREATE TABLE technicians (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A town ("Kalisz") or the start of a postcode ("62-8"), as outages are scoped by town.
CREATE TABLE technician_areas (
    technician_id BIGINT NOT NULL REFERENCES technicians (id),
    area TEXT NOT NULL,
    PRIMARY KEY (technician_id, area)
);

-- weekday 1 = Monday … 7 = Sunday; minutes after local midnight.
CREATE TABLE technician_hours (
    technician_id BIGINT NOT NULL REFERENCES technicians (id),
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts_minute BIGINT NOT NULL CHECK (starts_minute BETWEEN 0 AND 1440),
    ends_minute BIGINT NOT NULL CHECK (ends_minute BETWEEN 0 AND 1440),
    PRIMARY KEY (technician_id, weekday),
    CHECK (starts_minute < ends_minute)
);

CREATE TABLE technician_days_off (
    technician_id BIGINT NOT NULL REFERENCES technicians (id),
    day DATE NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (technician_id, day)
);

-- fee_rule: 'charge' (a one-off charge on the next invoice) or 'shorten' (a prepaid package's
-- validity is shortened in proportion; a visit on no prepaid package is charged instead).
CREATE TABLE visit_kinds (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0 AND duration_minutes % 30 = 0),
    price BIGINT NOT NULL CHECK (price >= 0),
    vat_rate TEXT NOT NULL,
    late_fee_percent BIGINT NOT NULL CHECK (late_fee_percent BETWEEN 0 AND 100),
    late_cancel_hours BIGINT NOT NULL CHECK (late_cancel_hours >= 0),
    free_notice_hours BIGINT NOT NULL CHECK (free_notice_hours >= 0),
    fee_rule TEXT NOT NULL CHECK (fee_rule IN ('charge', 'shorten')),
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE visits (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    technician_id BIGINT NOT NULL REFERENCES technicians (id),
    kind_id BIGINT NOT NULL REFERENCES visit_kinds (id),
    ticket_id BIGINT REFERENCES tickets (id),
    service_id BIGINT REFERENCES services (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'done', 'missed', 'cancelled')),
    phone TEXT NOT NULL,
    access_notes TEXT NOT NULL,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    price BIGINT NOT NULL,
    -- Bumped on every change, for the calendar entry's SEQUENCE.
    revision BIGINT NOT NULL,
    fee_amount BIGINT,
    fee_reason TEXT,
    fee_charge_id BIGINT REFERENCES pending_charges (id),
    fee_shortened_days BIGINT,
    fee_waived_at TIMESTAMP,
    fee_waived_by_staff_id BIGINT REFERENCES staff_users (id),
    fee_waive_reason TEXT,
    cancelled_at TIMESTAMP,
    cancelled_by TEXT CHECK (cancelled_by IN ('customer', 'staff')),
    reminder_claimed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX visits_customer ON visits (customer_id, starts_at);
CREATE INDEX visits_technician ON visits (technician_id, starts_at);
CREATE INDEX visits_reminders ON visits (status, starts_at);

-- Each 30-minute cell of a technician's day a booked visit occupies. The primary key is the
-- guarantee: two transactions booking overlapping slots cannot both commit.
CREATE TABLE visit_slot_holds (
    technician_id BIGINT NOT NULL REFERENCES technicians (id),
    slot_start TIMESTAMP NOT NULL,
    visit_id BIGINT NOT NULL REFERENCES visits (id),
    PRIMARY KEY (technician_id, slot_start)
);
CREATE INDEX visit_slot_holds_visit ON visit_slot_holds (visit_id);
