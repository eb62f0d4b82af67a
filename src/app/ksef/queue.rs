//! The sender's database side: documents made for invoices that have none yet, claims on due
//! documents, and the outcomes KSeF gives. Every state change is conditional (see `db::ksef`),
//! so several senders never send the same invoice twice.

use chrono::{Duration, NaiveDateTime};

use super::documents::{
    DocumentError, issued_invoice, original_on_its_way, prepare_document, xml_sha256_base64,
};
use crate::db::ksef::KsefDocument;
use crate::db::{self, DbConn};
use crate::domain::issued_invoice::IssuedKind;
use crate::ksef::fa3;

/// How long a claim is the claimant's before another sender may reconcile it.
pub const LEASE: Duration = Duration::minutes(5);

/// When to try again after `attempts` tries: 30 s, 1 min, 2 min … at most an hour apart, so an
/// invoice still reaches KSeF well within the offline24 deadline (the next working day) once
/// KSeF is back.
pub fn next_attempt(attempts: i64, now: NaiveDateTime) -> NaiveDateTime {
    let seconds = (30_i64 << attempts.clamp(0, 20)).min(3600);
    now + Duration::seconds(seconds)
}

/// Makes the documents that are missing: for invoices issued by a path that left it to the
/// sender (or before KSeF was set up), and the XML of corrections whose original has since got
/// its KSeF number. Returns how many documents it made.
pub fn prepare_pending(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    let mut made = 0;
    for invoice_id in db::ksef::invoices_without_document(conn, 1000)? {
        db::write_transaction(conn, |conn| prepare_document(conn, invoice_id, now))?;
        made += 1;
    }
    for invoice_id in db::ksef::waiting_without_xml(conn, 1000)? {
        let invoice = match issued_invoice(conn, invoice_id) {
            Ok(invoice) => invoice,
            Err(DocumentError::Database(e)) => return Err(e),
            Err(other) => {
                db::ksef::record_xml_failure(conn, invoice_id, &other.to_string(), now)?;
                continue;
            }
        };
        if let IssuedKind::Correction { corrected, .. } = &invoice.kind
            && corrected.ksef_number.is_none()
            && original_on_its_way(conn, invoice_id)?
        {
            continue;
        }
        match fa3::build(&invoice) {
            Ok(xml) => {
                let hash = xml_sha256_base64(xml.as_bytes());
                db::ksef::attach_xml(conn, invoice_id, &xml, &hash, now)?;
                made += 1;
            }
            Err(error) => {
                db::ksef::record_xml_failure(conn, invoice_id, &error.to_string(), now)?;
            }
        }
    }
    Ok(made)
}

/// Claims up to `limit` due documents for this sender.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> diesel::QueryResult<Vec<KsefDocument>> {
    let mut claimed = Vec::new();
    for id in db::ksef::due_ids(conn, now, limit)? {
        if let Some(document) = db::ksef::claim(conn, id, now, now + LEASE)? {
            claimed.push(document);
        }
    }
    Ok(claimed)
}

/// The seller's NIP, KSeF's context for every invoice.
pub fn seller_nip(conn: &mut DbConn) -> diesel::QueryResult<Option<String>> {
    Ok(db::seller::find(conn)?.map(|s| s.nip))
}
