-- The KSeF-numbered visualisation of an invoice. The PDF made at issue time carries KOD I
-- labelled "OFFLINE" (KSeF has not numbered it yet) and stays as issued; once KSeF accepts the
-- invoice, its visualisation is rendered once more with the KSeF number under KOD I, stored as a
-- separate file with its own hash, and served from then on. It is never rendered again.
ALTER TABLE ksef_documents ADD COLUMN numbered_pdf_path TEXT;
ALTER TABLE ksef_documents ADD COLUMN numbered_pdf_sha256 TEXT;
-- For a correction: the part of a lowering that became the customer's credit when it was
-- issued, as its PDF states (what it took off the amount due is the rest). The numbered
-- visualisation must say the same, and the balance has moved on since.
ALTER TABLE ksef_documents ADD COLUMN correction_credit BIGINT;
