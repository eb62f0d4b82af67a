-- The outbox sender and the KSeF sender take what is due in id order (db::outbox::due_ids,
-- db::ksef::due_ids). Read as one OR over two states, that walked the primary key past every
-- sent message or accepted document: 5.4 s a pass over a million customers' outbox. Each state
-- is now read on its own from these, in id order: 0.15 ms.
CREATE INDEX outbox_claim ON outbox (status, id);
CREATE INDEX ksef_documents_claim ON ksef_documents (state, invoice_id);
