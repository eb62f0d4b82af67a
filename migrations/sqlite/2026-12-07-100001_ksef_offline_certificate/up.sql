-- The seller's KSeF certificate of type Offline (one row, id 1): KOD II on offline invoices is
-- signed with its private key, kept sealed under EBOK_ENCRYPTION_KEY like the KSeF token.
CREATE TABLE ksef_offline_certificate (
    id BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
    certificate_pem TEXT NOT NULL,
    serial TEXT NOT NULL,
    key_ciphertext TEXT NOT NULL,
    valid_to TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
