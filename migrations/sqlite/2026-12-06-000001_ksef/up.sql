-- KSeF: the FA(3) XML of every issued invoice, its way to KSeF, the online sessions, and the
-- seller's KSeF settings. Kept in step with the PostgreSQL twin.

-- One row per issued invoice whose FA(3) XML was made. The XML is stored byte for byte (UTF-8)
-- and never written again: KSeF's invoiceHash and the KOD I link are over exactly these bytes.
-- state: 'local' (not for KSeF: a consumer invoice while the seller keeps those out),
-- 'xml_failed' (the XML could not be made; error_text says why), 'queued', 'sending' (claimed
-- by a sender until locked_until), 'sent' (KSeF took it; waiting for its verdict), 'accepted'
-- (ksef_number), 'rejected' (error_code and error_text from KSeF).
CREATE TABLE ksef_documents (
    invoice_id BIGINT PRIMARY KEY NOT NULL REFERENCES invoices (id),
    xml TEXT,
    -- Standard Base64 of the SHA-256 of the XML bytes (KSeF's Sha256HashBase64).
    xml_sha256 TEXT,
    state TEXT NOT NULL CHECK (state IN ('local', 'xml_failed', 'queued', 'sending', 'sent', 'accepted', 'rejected')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    session_reference TEXT,
    invoice_reference TEXT,
    ksef_number TEXT UNIQUE,
    acquired_at TIMESTAMP,
    upo TEXT,
    error_code BIGINT,
    error_text TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ksef_documents_due ON ksef_documents (state, next_attempt_at);

-- Online sessions opened with KSeF, for the staff page and the session UPO.
CREATE TABLE ksef_sessions (
    reference_number TEXT PRIMARY KEY NOT NULL,
    environment TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    invoices_sent BIGINT NOT NULL DEFAULT 0,
    status_code BIGINT,
    status_text TEXT,
    upo TEXT
);
CREATE INDEX ksef_sessions_opened ON ksef_sessions (opened_at);

-- The seller's KSeF settings: one row (id = 1). The token is kept encrypted with the server's
-- key and never shown again.
CREATE TABLE ksef_settings (
    id BIGINT PRIMARY KEY NOT NULL,
    environment TEXT NOT NULL CHECK (environment IN ('local', 'test', 'demo', 'production')),
    token_ciphertext TEXT,
    send_consumer_invoices BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
