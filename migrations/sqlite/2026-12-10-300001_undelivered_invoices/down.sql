DROP INDEX invoices_undelivered;
