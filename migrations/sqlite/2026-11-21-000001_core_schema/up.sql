-- Core schema of e-BOK (SQLite). Its PostgreSQL twin (migrations/postgres/…) must keep the same
-- tables, columns and constraints; only the id column type differs (INTEGER PRIMARY KEY
-- AUTOINCREMENT, the rowid alias, vs BIGSERIAL). A test compares both shapes.
-- Money is BIGINT grosze, times are UTC TIMESTAMP, dates are DATE, VAT rates are FA(3) codes.

-- The ISP running this installation ("sprzedawca" on invoices).
CREATE TABLE sellers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    nip TEXT NOT NULL,
    regon TEXT,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country_code TEXT NOT NULL DEFAULT 'PL',
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    website TEXT,
    bank_name TEXT NOT NULL,
    bank_account TEXT NOT NULL,
    -- Sort code + bank-assigned client prefix; a customer's individual NRB appends the customer number.
    account_prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_number BIGINT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    first_name TEXT,
    last_name TEXT,
    company_name TEXT,
    -- PESEL is never stored in clear: HMAC-SHA256 under a server key, plus the last four digits.
    pesel_hash TEXT,
    pesel_last4 TEXT,
    nip TEXT,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country_code TEXT NOT NULL DEFAULT 'PL',
    correspondence_address_line TEXT,
    correspondence_postal_code TEXT,
    correspondence_city TEXT,
    email TEXT NOT NULL,
    phone TEXT,
    language TEXT NOT NULL DEFAULT 'pl' CHECK (language IN ('pl', 'en')),
    nrb TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'person' AND last_name IS NOT NULL) OR (kind = 'company' AND company_name IS NOT NULL AND nip IS NOT NULL))
);
CREATE INDEX customers_pesel_hash ON customers (pesel_hash);
CREATE INDEX customers_nip ON customers (nip);
CREATE INDEX customers_last_name ON customers (last_name);

-- Logins of subscribers; several per customer, each with a role.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    login TEXT NOT NULL,
    -- Lower-cased login: logins are unique case-insensitively on both backends.
    login_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'billing', 'technical')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    language TEXT NOT NULL DEFAULT 'pl' CHECK (language IN ('pl', 'en')),
    totp_secret TEXT,
    terms_version TEXT,
    created_at TIMESTAMP NOT NULL,
    activated_at TIMESTAMP,
    last_login_at TIMESTAMP
);
CREATE INDEX accounts_customer ON accounts (customer_id);
CREATE INDEX accounts_email ON accounts (email);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL,
    login_key TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'billing', 'support')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    totp_secret TEXT,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE tariffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    download_mbps INTEGER NOT NULL CHECK (download_mbps > 0),
    upload_mbps INTEGER NOT NULL CHECK (upload_mbps > 0),
    monthly_fee BIGINT NOT NULL CHECK (monthly_fee >= 0),
    vat_rate TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,
    tariff_id BIGINT NOT NULL REFERENCES tariffs (id),
    signed_on DATE NOT NULL,
    starts_on DATE NOT NULL,
    -- NULL for a contract of indefinite duration.
    ends_on DATE,
    term_months INTEGER,
    after_term TEXT NOT NULL DEFAULT 'indefinite' CHECK (after_term IN ('indefinite', 'terminate')),
    monthly_fee BIGINT NOT NULL CHECK (monthly_fee >= 0),
    -- 1..28 so that every month has the day.
    billing_day INTEGER NOT NULL CHECK (billing_day BETWEEN 1 AND 28),
    install_address_line TEXT NOT NULL,
    install_postal_code TEXT NOT NULL,
    install_city TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'terminated')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contracts_customer ON contracts (customer_id);
CREATE INDEX contracts_ends_on ON contracts (ends_on);

CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contract_id BIGINT REFERENCES contracts (id),
    kind TEXT NOT NULL CHECK (kind IN ('internet', 'tv', 'phone', 'hosting', 'static_ip', 'other')),
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    activated_on DATE NOT NULL,
    expires_on DATE,
    monthly_fee BIGINT NOT NULL DEFAULT 0 CHECK (monthly_fee >= 0),
    renewal_price BIGINT,
    auto_renew BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX services_customer ON services (customer_id, status);
CREATE INDEX services_contract ON services (contract_id);
CREATE INDEX services_expires_on ON services (expires_on);

-- Where a service reaches the subscriber: address, IP, MAC, PPPoE credentials.
CREATE TABLE endpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    ipv4 TEXT UNIQUE,
    ipv6_prefix TEXT,
    mac TEXT,
    pppoe_login TEXT UNIQUE,
    -- Shown to the subscriber on request, so it cannot be a one-way hash.
    pppoe_password TEXT,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    access_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX endpoints_service ON endpoints (service_id);

CREATE TABLE domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'pending', 'transferred_out')),
    registered_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    auto_renew BOOLEAN NOT NULL DEFAULT FALSE,
    renewal_price BIGINT NOT NULL CHECK (renewal_price >= 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX domains_customer ON domains (customer_id, expires_on);

-- Numbering series, e.g. FV/{YYYY}/{MM}/{N:06} reset monthly; corrections have their own.
CREATE TABLE invoice_series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'correction')),
    template TEXT NOT NULL,
    reset_period TEXT NOT NULL CHECK (reset_period IN ('monthly', 'yearly', 'never')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

-- One row per (series, period): the number is taken by incrementing last_seq inside the
-- issuing transaction, so numbers are gapless and never handed out twice.
CREATE TABLE invoice_counters (
    series_id BIGINT NOT NULL REFERENCES invoice_series (id),
    period_key TEXT NOT NULL,
    last_seq BIGINT NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (series_id, period_key)
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT REFERENCES contracts (id),
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'correction')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'issued')),
    series_id BIGINT REFERENCES invoice_series (id),
    period_key TEXT,
    seq BIGINT,
    number TEXT UNIQUE,
    corrects_invoice_id BIGINT REFERENCES invoices (id),
    correction_reason TEXT,
    issue_date DATE NOT NULL,
    sale_date DATE,
    period_start DATE,
    period_end DATE,
    due_date DATE NOT NULL,
    payment_method TEXT NOT NULL DEFAULT 'transfer' CHECK (payment_method IN ('transfer', 'cash', 'card', 'online')),
    -- Snapshots: an issued invoice shows the parties as they were on the issue date.
    seller_name TEXT NOT NULL,
    seller_nip TEXT NOT NULL,
    seller_address_line TEXT NOT NULL,
    seller_postal_code TEXT NOT NULL,
    seller_city TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    buyer_nip TEXT,
    buyer_address_line TEXT NOT NULL,
    buyer_postal_code TEXT NOT NULL,
    buyer_city TEXT NOT NULL,
    bank_account TEXT NOT NULL,
    total_net BIGINT NOT NULL,
    total_vat BIGINT NOT NULL,
    total_gross BIGINT NOT NULL,
    split_payment BOOLEAN NOT NULL DEFAULT FALSE,
    delivery TEXT NOT NULL DEFAULT 'paper' CHECK (delivery IN ('email', 'paper')),
    pdf_path TEXT,
    pdf_sha256 TEXT,
    created_at TIMESTAMP NOT NULL,
    issued_at TIMESTAMP,
    UNIQUE (series_id, period_key, seq),
    CHECK (total_net + total_vat = total_gross),
    CHECK (status = 'draft' OR (number IS NOT NULL AND issued_at IS NOT NULL)),
    CHECK (kind = 'invoice' OR corrects_invoice_id IS NOT NULL)
);
CREATE INDEX invoices_customer ON invoices (customer_id, status, due_date);
CREATE INDEX invoices_issue_date ON invoices (issue_date);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- Decimal quantity as text (e.g. "1", "0.5"), parsed into rust_decimal.
    quantity TEXT NOT NULL,
    unit_price BIGINT NOT NULL,
    price_kind TEXT NOT NULL CHECK (price_kind IN ('net', 'gross')),
    net BIGINT NOT NULL,
    vat_rate TEXT NOT NULL,
    vat BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    service_id BIGINT REFERENCES services (id),
    UNIQUE (invoice_id, position),
    CHECK (net + vat = gross)
);

-- The payment ledger: what came in, and which invoices each payment settled.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    received_on DATE NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('transfer', 'cash', 'card', 'online')),
    source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'online', 'demo')),
    title TEXT,
    payer_name TEXT,
    -- The bank's transaction reference; unique so a re-imported statement adds nothing twice.
    bank_reference TEXT UNIQUE,
    recorded_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, received_on);

CREATE TABLE payment_allocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id BIGINT NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (payment_id, invoice_id)
);
CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    opened_by_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    service_id BIGINT REFERENCES services (id),
    subject TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('fault', 'billing', 'contract', 'other')),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting_customer', 'answered', 'closed')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assigned_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX tickets_customer ON tickets (customer_id, status, updated_at);
CREATE INDEX tickets_status ON tickets (status, updated_at);

CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    author_staff_id BIGINT REFERENCES staff_users (id),
    body TEXT NOT NULL,
    -- Staff-only notes never shown to the subscriber.
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    CHECK (author_account_id IS NULL OR author_staff_id IS NULL)
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, created_at);

-- ISP news and network outage notices; area NULL means every subscriber.
CREATE TABLE news (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('news', 'outage', 'maintenance')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    area TEXT,
    published_at TIMESTAMP NOT NULL,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    author_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX news_published ON news (published_at);
CREATE INDEX news_kind_window ON news (kind, starts_at, ends_at);

-- Mail written in the same transaction as its cause; a sender delivers it with retries.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    attachment_path TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Activation, reset, e-mail change and invite links: only the SHA-256 of the token is kept.
CREATE TABLE one_time_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL CHECK (purpose IN ('activation', 'password_reset', 'email_change', 'invite')),
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    staff_user_id BIGINT REFERENCES staff_users (id) ON DELETE CASCADE,
    customer_id BIGINT REFERENCES customers (id) ON DELETE CASCADE,
    payload TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX one_time_tokens_account ON one_time_tokens (account_id, purpose);

-- Server-side sessions: the cookie holds a random id, the row holds its hash.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    staff_user_id BIGINT REFERENCES staff_users (id) ON DELETE CASCADE,
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    CHECK ((account_id IS NULL) <> (staff_user_id IS NULL))
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_staff_user ON sessions (staff_user_id);

-- Security events and staff actions. No foreign keys: the trail outlives what it describes.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('customer', 'staff', 'system', 'anonymous')),
    actor_account_id BIGINT,
    actor_staff_id BIGINT,
    customer_id BIGINT,
    ip TEXT,
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);

-- Operator settings edited by staff (offer banner, thresholds); key/value with JSON text.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
