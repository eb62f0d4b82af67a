ALTER TABLE ksef_documents DROP COLUMN correction_credit;
ALTER TABLE ksef_documents DROP COLUMN numbered_pdf_sha256;
ALTER TABLE ksef_documents DROP COLUMN numbered_pdf_path;
