DROP TABLE online_payment_invoices;
DROP TABLE online_payments;
