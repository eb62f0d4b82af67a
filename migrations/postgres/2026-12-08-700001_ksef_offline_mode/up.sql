-- Whether an invoice was issued in KSeF's offline mode: its issue-time PDF, handed to the
-- customer before KSeF numbered it, carries KOD II (the seller had an Offline certificate).
-- Such an invoice is sent with offlineMode=true, so KSeF records invoicingMode "Offline" and
-- takes its date of issue from the XML (art. 106nda). Kept in step with the SQLite twin.
ALTER TABLE ksef_documents ADD COLUMN offline_mode BOOLEAN NOT NULL DEFAULT FALSE;
