-- A database as wave 1 (schema through 2026-11-21-000010_contact_roles) left it at an ISP: a
-- subscriber whose October was billed twice (the wave-1 defect the subscription facts fix), a
-- payment allocated to the first invoice, and a committed MT940 import. Portable SQL for both
-- backends; ids are explicit so the test can name them.
INSERT INTO sellers (id, name, short_name, nip, regon, address_line, postal_code, city, email, phone,
                     bank_name, bank_account, account_prefix, created_at, updated_at)
VALUES (1, 'Sieć Przykładowa sp. z o.o.', 'Sieć Przykładowa', '5260250274', NULL, 'ul. Długa 1',
        '00-001', 'Warszawa', 'bok@siec.example', '+48 22 000 00 00', 'Bank Przykładowy',
        '61109010140000071219812874', '10901014', '2026-01-01 00:00:00', '2026-01-01 00:00:00');

INSERT INTO tariffs (id, code, name, download_mbps, upload_mbps, monthly_fee, vat_rate, active, created_at)
VALUES (1, 'NET300', 'Internet 300', 300, 50, 6900, '23', TRUE, '2026-01-01 00:00:00');

INSERT INTO customers (id, customer_number, kind, first_name, last_name, address_line, postal_code,
                       city, email, nrb, created_at, updated_at)
VALUES (1, 501, 'person', 'Jan', 'Kowalski', 'ul. Polna 5', '00-950', 'Warszawa',
        'jan.kowalski@example.com', '12109010140000000000000501', '2026-01-02 09:00:00',
        '2026-01-02 09:00:00');

INSERT INTO contracts (id, customer_id, number, tariff_id, signed_on, starts_on, monthly_fee,
                       billing_day, install_address_line, install_postal_code, install_city,
                       status, created_at, updated_at)
VALUES (1, 1, 'UM/2026/00501', 1, '2026-01-02', '2026-01-05', 6900, 1, 'ul. Polna 5', '00-950',
        'Warszawa', 'active', '2026-01-02 09:00:00', '2026-01-02 09:00:00');

INSERT INTO services (id, customer_id, contract_id, kind, name, status, activated_on, monthly_fee,
                      created_at)
VALUES (1, 1, 1, 'internet', 'Internet 300', 'active', '2026-01-05', 6900, '2026-01-02 09:00:00');

INSERT INTO invoice_series (id, code, name, kind, template, reset_period, active, created_at)
VALUES (1, 'FV', 'Faktury', 'invoice', 'FV/{YYYY}/{MM}/{N:06}', 'monthly', TRUE, '2026-01-01 00:00:00');

INSERT INTO invoice_counters (series_id, period_key, last_seq) VALUES (1, '2026-10', 2);

INSERT INTO invoices (id, customer_id, contract_id, kind, status, series_id, period_key, seq, number,
                      issue_date, sale_date, period_start, period_end, due_date, payment_method,
                      seller_name, seller_nip, seller_address_line, seller_postal_code, seller_city,
                      buyer_name, buyer_nip, buyer_address_line, buyer_postal_code, buyer_city,
                      bank_account, total_net, total_vat, total_gross, split_payment, delivery,
                      pdf_path, pdf_sha256, created_at, issued_at, price_kind)
VALUES
  (1, 1, 1, 'invoice', 'issued', 1, '2026-10', 1, 'FV/2026/10/000001', '2026-10-01', '2026-10-31',
   '2026-10-01', '2026-10-31', '2026-10-15', 'transfer', 'Sieć Przykładowa sp. z o.o.',
   '5260250274', 'ul. Długa 1', '00-001', 'Warszawa', 'Jan Kowalski', NULL, 'ul. Polna 5',
   '00-950', 'Warszawa', '12109010140000000000000501', 5610, 1290, 6900, FALSE, 'paper', NULL, NULL,
   '2026-10-01 02:00:00', '2026-10-01 02:00:00', 'gross'),
  (2, 1, 1, 'invoice', 'issued', 1, '2026-10', 2, 'FV/2026/10/000002', '2026-10-03', '2026-10-31',
   '2026-10-01', '2026-10-31', '2026-10-17', 'transfer', 'Sieć Przykładowa sp. z o.o.',
   '5260250274', 'ul. Długa 1', '00-001', 'Warszawa', 'Jan Kowalski', NULL, 'ul. Polna 5',
   '00-950', 'Warszawa', '12109010140000000000000501', 5610, 1290, 6900, FALSE, 'paper', NULL, NULL,
   '2026-10-03 11:00:00', '2026-10-03 11:00:00', 'gross');

INSERT INTO invoice_lines (id, invoice_id, position, name, unit, quantity, unit_price, price_kind,
                           net, vat_rate, vat, gross, service_id, side)
VALUES
  (1, 1, 1, 'Internet 300 (10/2026)', 'usł.', '1', 6900, 'gross', 5610, '23', 1290, 6900, 1, 'line'),
  (2, 2, 1, 'Internet 300 (10/2026)', 'usł.', '1', 6900, 'gross', 5610, '23', 1290, 6900, 1, 'line');

INSERT INTO payments (id, customer_id, amount, received_on, method, source, title, payer_name,
                      bank_reference, created_at, match_reason)
VALUES (1, 1, 6900, '2026-10-10', 'transfer', 'import', 'FV/2026/10/000001', 'JAN KOWALSKI',
        'REF-2026-10-10-1', '2026-10-11 08:00:00', 'account');

INSERT INTO payment_allocations (id, payment_id, invoice_id, amount, created_at)
VALUES (1, 1, 1, 6900, '2026-10-11 08:00:00');

INSERT INTO import_batches (id, file_name, format, status, file_sha256, created_at, committed_at)
VALUES (1, 'wyciag-2026-10-10.sta', 'mt940', 'committed',
        'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', '2026-10-11 07:59:00',
        '2026-10-11 08:00:00');

INSERT INTO bank_transactions (id, batch_id, line_no, idempotency_key, booked_on, amount, title,
                               payer_name, payer_account, account_to, bank_reference, status,
                               customer_id, invoice_id, match_reason, payment_id, committed_key)
VALUES (1, 1, 1, 'REF-2026-10-10-1', '2026-10-10', 6900, 'FV/2026/10/000001', 'JAN KOWALSKI',
        '49102010260000042270201111', '12109010140000000000000501', 'REF-2026-10-10-1', 'matched',
        1, 1, 'account', 1, 'REF-2026-10-10-1');
