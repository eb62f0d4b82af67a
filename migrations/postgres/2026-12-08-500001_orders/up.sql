-- The catalogue, the cart and orders paid through PayU (issue 18). Kept in step with the SQLite twin.
-- Amounts in grosze.

-- What staff sell in the portal. kind: 'service' (a new service or an installation), 'tariff_change',
-- 'public_ip', 'device', 'domain_registration', 'domain_transfer'. The price is kept both gross and
-- net at vat_rate (FA(3) code); consumers are invoiced from the gross, companies from the net.
-- needs_people: a paid order of it goes to the staff fulfilment queue instead of being
-- activated at once; needs_installation: the subscriber may book a technician visit for it.
-- monthly_fee: what the service it creates costs a month afterwards (0: nothing recurring).
-- Items taken off sale stay for the orders that name them.
CREATE TABLE catalogue_items (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('service', 'tariff_change', 'public_ip', 'device',
        'domain_registration', 'domain_transfer')),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_gross BIGINT NOT NULL CHECK (price_gross > 0),
    price_net BIGINT NOT NULL CHECK (price_net > 0),
    vat_rate TEXT NOT NULL,
    monthly_fee BIGINT NOT NULL CHECK (monthly_fee >= 0),
    tariff_id BIGINT REFERENCES tariffs (id),
    needs_people BOOLEAN NOT NULL,
    needs_installation BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The subscriber's cart: a catalogue item, or the renewal of a service or domain (a renewal
-- notice's "Odnów teraz"). domain_name/auth_code: what a domain item is for.
CREATE TABLE cart_items (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    catalogue_item_id BIGINT REFERENCES catalogue_items (id),
    renewal_service_id BIGINT REFERENCES services (id),
    renewal_domain_id BIGINT REFERENCES domains (id),
    domain_name TEXT,
    auth_code TEXT,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cart_items_customer ON cart_items (customer_id);

-- A placed order: lines and total fixed when placed. status: 'unpaid' → 'paid' (payment_id,
-- invoice_id, once, by a conditional update) or 'cancelled' (cancel_reason 'expired' after two
-- hours unpaid). fulfilment: 'none' (nothing needs people), 'waiting', 'in_progress', 'done'.
-- placement_key: the cart form's key, so a double click places one order.
CREATE TABLE shop_orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    account_id BIGINT REFERENCES accounts (id),
    placement_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'cancelled')),
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('none', 'waiting', 'in_progress', 'done')),
    price_kind TEXT NOT NULL CHECK (price_kind IN ('gross', 'net')),
    total_gross BIGINT NOT NULL CHECK (total_gross > 0),
    fee_total BIGINT NOT NULL CHECK (fee_total >= 0),
    notify_email TEXT NOT NULL,
    language TEXT NOT NULL,
    placed_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    cancel_reason TEXT,
    payment_id BIGINT UNIQUE REFERENCES payments (id),
    invoice_id BIGINT UNIQUE REFERENCES invoices (id),
    staff_note TEXT,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, placement_key)
);
CREATE INDEX shop_orders_customer ON shop_orders (customer_id, placed_at);
CREATE INDEX shop_orders_open ON shop_orders (status, expires_at);
CREATE INDEX shop_orders_fulfilment ON shop_orders (fulfilment, paid_at);

-- One line of an order as it was sold. unit_price is gross or net after the order's
-- price_kind; line_gross what the line adds to the total. kind 'fee' is the online fee,
-- 'renewal_service'/'renewal_domain' a renewal. activated_at: when what it bought took effect.
CREATE TABLE shop_order_lines (
    id BIGSERIAL PRIMARY KEY,
    shop_order_id BIGINT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    catalogue_item_id BIGINT REFERENCES catalogue_items (id),
    renewal_service_id BIGINT REFERENCES services (id),
    renewal_domain_id BIGINT REFERENCES domains (id),
    name TEXT NOT NULL,
    domain_name TEXT,
    auth_code TEXT,
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    vat_rate TEXT NOT NULL,
    line_gross BIGINT NOT NULL,
    monthly_fee BIGINT NOT NULL,
    needs_people BOOLEAN NOT NULL,
    activated_at TIMESTAMP,
    UNIQUE (shop_order_id, line_no)
);

-- Which PayU payment orders (online_payments, purpose 'order') pay which shop order: one per
-- attempt (PayU down, then paid later, makes two).
CREATE TABLE shop_order_payments (
    online_payment_id BIGINT PRIMARY KEY REFERENCES online_payments (id),
    shop_order_id BIGINT NOT NULL REFERENCES shop_orders (id)
);
CREATE INDEX shop_order_payments_order ON shop_order_payments (shop_order_id);

-- The online fee per item the ISP adds to every cart (grosze, gross); 0 disables it.
CREATE TABLE shop_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    online_fee BIGINT NOT NULL CHECK (online_fee >= 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO shop_settings (id, online_fee, updated_at) VALUES (1, 100, CURRENT_TIMESTAMP);
