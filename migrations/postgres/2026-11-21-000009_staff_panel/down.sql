DROP INDEX endpoints_mac;
DROP INDEX customers_company_name;
DROP INDEX customers_phone;
DROP INDEX customers_email;
