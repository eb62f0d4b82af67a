//! `ebok verify`: every stored invoice PDF and ticket attachment against the SHA-256 recorded
//! when it was written, every FA(3) document against its hash, and every numbering series for
//! gaps. Read-only; run it after a restore, or any time, while the portal serves.

use crate::domain::InvoiceId;
use std::collections::HashMap;

use super::BackupError;
use super::files::{hash_file, inside};
use crate::app::ksef::xml_sha256_base64;
use crate::config::StoragePlaces;
use crate::db::{self, DbConn};

const PAGE: i64 = 1000;
/// Problems listed one by one; past this many only counted, so a lost disk does not print
/// 100 000 lines.
const LISTED: usize = 50;

#[derive(Debug, Default)]
pub struct VerifyReport {
    pub invoices_checked: usize,
    /// Issued without a stored file (e.g. a demo seeded without PDFs).
    pub invoices_without_file: usize,
    pub attachments_checked: usize,
    pub xml_checked: usize,
    pub interest_notes_checked: usize,
    pub sequences_checked: usize,
    pub problem_count: usize,
    /// The first problems, one sentence each.
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.problem_count == 0
    }

    fn problem(&mut self, text: String) {
        self.problem_count += 1;
        if self.problems.len() < LISTED {
            self.problems.push(text);
        }
    }
}

pub fn verify(conn: &mut DbConn, places: &StoragePlaces) -> Result<VerifyReport, BackupError> {
    let mut report = VerifyReport::default();
    check_invoices(conn, places, &mut report)?;
    check_attachments(conn, places, &mut report)?;
    check_ksef_documents(conn, places, &mut report)?;
    check_numbering(conn, &mut report)?;
    check_interest_notes(conn, places, &mut report)?;
    Ok(report)
}

/// A file's state against its recorded hash: `None` when it matches.
fn file_problem(root: &std::path::Path, relative: &str, recorded: &str) -> Option<&'static str> {
    let Some(path) = inside(root, relative) else {
        return Some("has a stored path outside its folder");
    };
    if !path.is_file() {
        return Some("is missing");
    }
    match hash_file(&path) {
        Ok((_, sha256)) if sha256 == recorded => None,
        Ok(_) => Some("does not match its recorded SHA-256"),
        Err(_) => Some("cannot be read"),
    }
}

fn check_invoices(
    conn: &mut DbConn,
    places: &StoragePlaces,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut after = 0;
    loop {
        let page = db::backup::invoice_files(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for invoice in page {
            let number = invoice.number.unwrap_or_default();
            match (invoice.pdf_path, invoice.pdf_sha256) {
                (Some(path), Some(sha256)) => {
                    report.invoices_checked += 1;
                    if let Some(problem) = file_problem(&places.invoices_dir, &path, &sha256) {
                        report.problem(format!("invoice {number}: the PDF {path} {problem}"));
                    }
                }
                _ => report.invoices_without_file += 1,
            }
        }
    }
    Ok(())
}

fn check_attachments(
    conn: &mut DbConn,
    places: &StoragePlaces,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut after = 0;
    loop {
        let page = db::backup::attachment_files(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for attachment in page {
            report.attachments_checked += 1;
            if let Some(problem) = file_problem(
                &places.attachments_dir,
                &attachment.storage_path,
                &attachment.sha256,
            ) {
                report.problem(format!(
                    "ticket attachment {}: {} {problem}",
                    attachment.id, attachment.storage_path
                ));
            }
        }
    }
    Ok(())
}

fn check_ksef_documents(
    conn: &mut DbConn,
    places: &StoragePlaces,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut after = InvoiceId(0);
    loop {
        let page = db::backup::ksef_xml(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.invoice_id;
        for document in page {
            if let (Some(xml), Some(recorded)) = (document.xml, document.xml_sha256) {
                report.xml_checked += 1;
                if xml_sha256_base64(xml.as_bytes()) != recorded {
                    report.problem(format!(
                        "the FA(3) XML of invoice id {} does not match its recorded SHA-256",
                        document.invoice_id
                    ));
                }
            }
            if let (Some(path), Some(sha256)) =
                (document.numbered_pdf_path, document.numbered_pdf_sha256)
            {
                report.invoices_checked += 1;
                if let Some(problem) = file_problem(&places.invoices_dir, &path, &sha256) {
                    report.problem(format!(
                        "invoice id {}: the PDF with its KSeF number {path} {problem}",
                        document.invoice_id
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_numbering(conn: &mut DbConn, report: &mut VerifyReport) -> Result<(), BackupError> {
    let counters: HashMap<(i64, String), i64> = db::backup::counters(conn)?
        .into_iter()
        .map(|(series, period, last)| ((series, period), last))
        .collect();
    let codes: HashMap<i64, String> = db::backup::series_codes(conn)?.into_iter().collect();
    for sequence in db::backup::sequences(conn)? {
        report.sequences_checked += 1;
        let series_id = sequence.series_id.unwrap_or_default();
        let period = sequence.period_key.clone().unwrap_or_default();
        let code = codes.get(&series_id).map(String::as_str).unwrap_or("?");
        let name = format!("series {code} period {period}");
        let gapless = sequence.lowest == Some(1) && sequence.highest == Some(sequence.count);
        if !gapless {
            report.problem(format!(
                "{name}: {} numbers issued but they run from {} to {} (a gap or a repeat)",
                sequence.count,
                sequence.lowest.unwrap_or(0),
                sequence.highest.unwrap_or(0)
            ));
        }
        match counters.get(&(series_id, period)) {
            Some(&last) if last != sequence.count => report.problem(format!(
                "{name}: the counter stands at {last} but {} numbers were issued",
                sequence.count
            )),
            _ => {}
        }
    }
    Ok(())
}

/// Interest notes: each stored PDF against its hash (they live beside the invoices), and each
/// year of their own series for gaps.
fn check_interest_notes(
    conn: &mut DbConn,
    places: &StoragePlaces,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut after = 0;
    loop {
        let page = db::interest_notes::files(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (_, number, path, sha256) in page {
            report.interest_notes_checked += 1;
            if let Some(problem) = file_problem(&places.invoices_dir, &path, &sha256) {
                report.problem(format!("interest note {number}: the PDF {path} {problem}"));
            }
        }
    }
    for sequence in db::interest_notes::sequences(conn)? {
        let db::interest_notes::NoteSequence {
            year,
            issued,
            lowest,
            highest,
            counter,
        } = sequence;
        report.sequences_checked += 1;
        if lowest != 1 || highest != issued {
            report.problem(format!(
                "interest notes of {year}: {issued} numbers issued but they run from {lowest} to \
                 {highest} (a gap or a repeat)"
            ));
        }
        if let Some(last) = counter.filter(|last| *last != issued) {
            report.problem(format!(
                "interest notes of {year}: the counter stands at {last} but {issued} numbers \
                 were issued"
            ));
        }
    }
    Ok(())
}
