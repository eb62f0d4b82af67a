DROP INDEX outbox_claim;
DROP INDEX ksef_documents_claim;
