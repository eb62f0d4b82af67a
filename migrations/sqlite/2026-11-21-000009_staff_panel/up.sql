-- Staff customer search (/staff/klienci): each kind of query the box detects looks up one
-- indexed column instead of scanning 100 000 customers.
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_company_name ON customers (company_name);
CREATE INDEX endpoints_mac ON endpoints (mac);
