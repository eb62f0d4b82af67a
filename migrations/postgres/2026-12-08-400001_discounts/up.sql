-- Discounts by eligibility, "ulgi" (issue 19). Kept in step with the SQLite twin.

-- What the ISP grants on proof: who qualifies, what proof it needs, how much (a percentage in
-- basis points, or grosze off the gross monthly fee), for one tariff or every tariff (NULL),
-- offered from valid_from to valid_until. Retired types stay for the applications that name them.
CREATE TABLE discount_types (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    who_qualifies TEXT NOT NULL,
    proof_required TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value BIGINT NOT NULL CHECK (value > 0),
    tariff_id BIGINT REFERENCES tariffs (id),
    valid_from DATE NOT NULL,
    valid_until DATE,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A subscriber's application for one discount on one contract, with its proof (a file in the
-- attachments store, checked by content like ticket attachments). Approved: it applies from
-- starts_on (the first day of the billing period after the approval) to ends_on (the proof's
-- last day, or the day before another approved discount of the contract starts: discounts
-- never stack). expiry_notice_at is set once, by a conditional update, when the notice that
-- the discount ends is queued.
CREATE TABLE discount_applications (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    discount_type_id BIGINT NOT NULL REFERENCES discount_types (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'ended')),
    proof_file_name TEXT NOT NULL,
    proof_content_type TEXT NOT NULL,
    proof_size_bytes BIGINT NOT NULL,
    proof_sha256 TEXT NOT NULL,
    proof_storage_path TEXT NOT NULL,
    proof_valid_until DATE,
    starts_on DATE,
    ends_on DATE,
    decided_by_staff_id BIGINT REFERENCES staff_users (id),
    decided_at TIMESTAMP,
    refusal_reason TEXT,
    expiry_notice_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX discount_applications_contract ON discount_applications (contract_id, status);
CREATE INDEX discount_applications_status ON discount_applications (status, created_at);
-- One application waiting for a decision per contract.
CREATE UNIQUE INDEX discount_applications_one_pending ON discount_applications (contract_id)
    WHERE status = 'pending';
