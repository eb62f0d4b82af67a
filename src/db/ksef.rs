//! KSeF documents (an invoice's FA(3) XML and its way to KSeF), online sessions, and the seller's
//! KSeF settings. Every change of a document's state is a conditional update on the state it
//! leaves, so two senders never both move the same invoice.

use crate::domain::{InvoiceId, InvoiceStatus, KsefState};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    invoices, ksef_documents, ksef_offline_certificate, ksef_sessions, ksef_settings,
};

/// A row of `ksef_documents`.
#[derive(Debug, Clone, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = ksef_documents, treat_none_as_default_value = false)]
pub struct KsefDocument {
    pub invoice_id: InvoiceId,
    pub xml: Option<String>,
    pub xml_sha256: Option<String>,
    pub state: KsefState,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub session_reference: Option<String>,
    pub invoice_reference: Option<String>,
    pub ksef_number: Option<String>,
    pub acquired_at: Option<NaiveDateTime>,
    pub upo: Option<String>,
    pub error_code: Option<i64>,
    pub error_text: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The visualisation rendered once more with the KSeF number (see the migration).
    pub numbered_pdf_path: Option<String>,
    pub numbered_pdf_sha256: Option<String>,
    /// A correction's lowering that became credit when it was issued.
    pub correction_credit: Option<i64>,
    /// Issued in offline mode: the issue-time PDF carries KOD II (see the migration).
    pub offline_mode: bool,
}

pub fn find(conn: &mut DbConn, invoice_id: InvoiceId) -> QueryResult<Option<KsefDocument>> {
    ksef_documents::table
        .find(invoice_id)
        .get_result(conn)
        .optional()
}

/// Inserts the document unless the invoice has one already (its XML is never replaced).
pub fn insert_if_absent(conn: &mut DbConn, document: &KsefDocument) -> QueryResult<bool> {
    if find(conn, document.invoice_id)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(ksef_documents::table)
        .values(document)
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Inserts the documents of a batch of new invoices (the billing run's chunk), in a few
/// statements; none of them can have one yet.
pub fn insert_many(conn: &mut DbConn, documents: &[KsefDocument]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, ksef_documents::table, documents))
}

/// Records what a lowering correction turned into credit, as its issue-time PDF states.
pub fn record_correction_credit(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    credit: i64,
) -> QueryResult<bool> {
    diesel::update(ksef_documents::table.find(invoice_id))
        .set(ksef_documents::correction_credit.eq(Some(credit)))
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Accepted documents whose KSeF-numbered visualisation is not made yet, oldest first.
/// A correction whose effect on the customer's money was not recorded (issued before it was)
/// cannot be printed again the same way, and is left out.
pub fn accepted_without_numbered_pdf(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<KsefDocument>> {
    ksef_documents::table
        .inner_join(invoices::table)
        .filter(ksef_documents::state.eq(KsefState::Accepted))
        .filter(ksef_documents::ksef_number.is_not_null())
        .filter(ksef_documents::numbered_pdf_path.is_null())
        .filter(
            invoices::corrects_invoice_id
                .is_null()
                .or(ksef_documents::correction_credit.is_not_null()),
        )
        .select(ksef_documents::all_columns)
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .load(conn)
}

/// The paths of an invoice's KSeF-numbered visualisation, when it has one.
pub fn numbered_pdf(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
) -> QueryResult<Option<(String, String)>> {
    let found: Option<(Option<String>, Option<String>)> = ksef_documents::table
        .find(invoice_id)
        .select((
            ksef_documents::numbered_pdf_path,
            ksef_documents::numbered_pdf_sha256,
        ))
        .get_result(conn)
        .optional()?;
    Ok(found.and_then(|(path, sha)| path.zip(sha)))
}

/// Records the KSeF-numbered visualisation, once: a second writer finds it recorded and
/// changes nothing.
pub fn attach_numbered_pdf(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    path: &str,
    sha256: &str,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::numbered_pdf_path.is_null()),
    )
    .set((
        ksef_documents::numbered_pdf_path.eq(Some(path)),
        ksef_documents::numbered_pdf_sha256.eq(Some(sha256)),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// What a subscriber's list shows of some invoices' way to KSeF.
#[derive(Debug, Clone)]
pub struct KsefMark {
    pub invoice_id: InvoiceId,
    pub state: KsefState,
    pub attempts: i64,
    pub ksef_number: Option<String>,
}

pub fn marks_of(conn: &mut DbConn, invoice_ids: &[InvoiceId]) -> QueryResult<Vec<KsefMark>> {
    let rows: Vec<(InvoiceId, KsefState, i64, Option<String>)> = ksef_documents::table
        .filter(ksef_documents::invoice_id.eq_any(invoice_ids))
        .select((
            ksef_documents::invoice_id,
            ksef_documents::state,
            ksef_documents::attempts,
            ksef_documents::ksef_number,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(invoice_id, state, attempts, ksef_number)| KsefMark {
            invoice_id,
            state,
            attempts,
            ksef_number,
        })
        .collect())
}

/// Issued invoices that have no document yet (issued before KSeF was set up, or by a path that
/// leaves it to the sender), oldest first.
pub fn invoices_without_document(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<InvoiceId>> {
    invoices::table
        .left_join(ksef_documents::table)
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .filter(ksef_documents::invoice_id.nullable().is_null())
        .select(invoices::id)
        .order(invoices::id)
        .limit(limit)
        .load(conn)
}

/// Documents a sender may take at `now`: queued and due, or claimed by a sender whose lease ran
/// out (it crashed; the claim is reconciled before anything is sent again).
///
/// Each kind is read on its own from the `ksef_documents_claim` index (state, invoice_id), in
/// invoice order, so millions of accepted documents are never walked past.
pub fn due_ids(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<InvoiceId>> {
    let due = ksef_documents::table
        .filter(ksef_documents::xml.is_not_null())
        .filter(ksef_documents::state.eq(KsefState::Queued))
        .filter(ksef_documents::next_attempt_at.le(now))
        .select(ksef_documents::invoice_id)
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .load(conn)?;
    let lease_expired = ksef_documents::table
        .filter(ksef_documents::xml.is_not_null())
        .filter(ksef_documents::state.eq(KsefState::Sending))
        .filter(ksef_documents::locked_until.lt(now))
        .select(ksef_documents::invoice_id)
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .load(conn)?;
    Ok(super::lowest_ids(due, lease_expired, limit))
}

/// Queued documents still without XML (corrections waiting for their original's number).
pub fn waiting_without_xml(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<InvoiceId>> {
    ksef_documents::table
        .filter(ksef_documents::state.eq(KsefState::Queued))
        .filter(ksef_documents::xml.is_null())
        .select(ksef_documents::invoice_id)
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .load(conn)
}

/// Claims a due document for one sender until `lease_until`. `None`: someone else has it.
pub fn claim(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<Option<KsefDocument>> {
    diesel::update(
        ksef_documents::table
            .filter(ksef_documents::invoice_id.eq(invoice_id))
            .filter(
                ksef_documents::state
                    .eq(KsefState::Queued)
                    .and(ksef_documents::next_attempt_at.le(now))
                    .or(ksef_documents::state
                        .eq(KsefState::Sending)
                        .and(ksef_documents::locked_until.lt(now))),
            ),
    )
    .set((
        ksef_documents::state.eq(KsefState::Sending),
        ksef_documents::locked_until.eq(Some(lease_until)),
        ksef_documents::attempts.eq(ksef_documents::attempts + 1),
        ksef_documents::updated_at.eq(now),
    ))
    .get_result(conn)
    .optional()
}

/// Stores XML made after issue (a correction waiting for its original's KSeF number).
pub fn attach_xml(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    xml: &str,
    sha256: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::xml.is_null()),
    )
    .set((
        ksef_documents::xml.eq(Some(xml)),
        ksef_documents::xml_sha256.eq(Some(sha256)),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// KSeF took the invoice into a session (`sending` → `sent`).
pub fn record_sent(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    session_reference: &str,
    invoice_reference: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::state.eq(KsefState::Sending)),
    )
    .set((
        ksef_documents::state.eq(KsefState::Sent),
        ksef_documents::session_reference.eq(Some(session_reference)),
        ksef_documents::invoice_reference.eq(Some(invoice_reference)),
        ksef_documents::locked_until.eq(None::<NaiveDateTime>),
        ksef_documents::error_code.eq(None::<i64>),
        ksef_documents::error_text.eq(None::<String>),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// KSeF gave the invoice its number (from `sending` when reconciled, or `sent`).
pub fn record_accepted(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    ksef_number: &str,
    acquired_at: NaiveDateTime,
    upo: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::state.eq_any([KsefState::Sending, KsefState::Sent])),
    )
    .set((
        ksef_documents::state.eq(KsefState::Accepted),
        ksef_documents::ksef_number.eq(Some(ksef_number)),
        ksef_documents::acquired_at.eq(Some(acquired_at)),
        ksef_documents::upo.eq(upo),
        ksef_documents::locked_until.eq(None::<NaiveDateTime>),
        ksef_documents::error_code.eq(None::<i64>),
        ksef_documents::error_text.eq(None::<String>),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// KSeF refused the invoice; staff see the code and text and may send it again.
pub fn record_rejected(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    code: i64,
    text: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::state.eq_any([KsefState::Sending, KsefState::Sent])),
    )
    .set((
        ksef_documents::state.eq(KsefState::Rejected),
        ksef_documents::error_code.eq(Some(code)),
        ksef_documents::error_text.eq(Some(text)),
        ksef_documents::locked_until.eq(None::<NaiveDateTime>),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// KSeF could not be reached, answered nonsense, or cancelled the invoice (550): back to the
/// queue for `next_attempt_at`.
pub fn release_for_retry(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    next_attempt_at: NaiveDateTime,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::state.eq_any([KsefState::Sending, KsefState::Sent])),
    )
    .set((
        ksef_documents::state.eq(KsefState::Queued),
        ksef_documents::next_attempt_at.eq(next_attempt_at),
        ksef_documents::locked_until.eq(None::<NaiveDateTime>),
        ksef_documents::error_text.eq(Some(error)),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// A rejected invoice goes back to the queue (staff fixed the cause, e.g. the token).
pub fn requeue_rejected(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::state.eq(KsefState::Rejected)),
    )
    .set((
        ksef_documents::state.eq(KsefState::Queued),
        ksef_documents::next_attempt_at.eq(now),
        ksef_documents::attempts.eq(0_i64),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Documents KSeF took but has not decided on yet, oldest first.
pub fn awaiting_verdict(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<KsefDocument>> {
    ksef_documents::table
        .filter(ksef_documents::state.eq(KsefState::Sent))
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .load(conn)
}

/// (state, count) over all documents.
pub fn counts_by_state(conn: &mut DbConn) -> QueryResult<Vec<(KsefState, i64)>> {
    ksef_documents::table
        .group_by(ksef_documents::state)
        .select((ksef_documents::state, diesel::dsl::count_star()))
        .load(conn)
}

/// Documents in one of `states` with their invoice's number and issue date, oldest first.
///
/// Each state is read on its own from the `ksef_documents_claim` index (state, invoice_id), in
/// invoice order, and the first `limit` of all are kept: one `IN` over the states made SQLite
/// read and sort every matching row with its XML (1.0 s for the staff KSeF page with 300 000
/// documents queued; 4 ms this way).
pub fn list_in_states(
    conn: &mut DbConn,
    states: &[KsefState],
    limit: i64,
) -> QueryResult<Vec<(KsefDocument, Option<String>, chrono::NaiveDate)>> {
    let mut found = Vec::new();
    for state in states {
        let rows: Vec<(KsefDocument, Option<String>, chrono::NaiveDate)> = ksef_documents::table
            .inner_join(invoices::table)
            .filter(ksef_documents::state.eq(*state))
            .select((
                ksef_documents::all_columns,
                invoices::number,
                invoices::issue_date,
            ))
            .order(ksef_documents::invoice_id)
            .limit(limit)
            .load(conn)?;
        found.extend(rows);
    }
    found.sort_by_key(|(document, _, _)| document.invoice_id);
    found.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(found)
}

/// The latest documents in `state` with their invoice's number and issue date, newest first.
pub fn latest_in_state(
    conn: &mut DbConn,
    state: KsefState,
    limit: i64,
) -> QueryResult<Vec<(KsefDocument, Option<String>, chrono::NaiveDate)>> {
    ksef_documents::table
        .inner_join(invoices::table)
        .filter(ksef_documents::state.eq(state))
        .select((
            ksef_documents::all_columns,
            invoices::number,
            invoices::issue_date,
        ))
        .order(ksef_documents::invoice_id.desc())
        .limit(limit)
        .load(conn)
}

/// KSeF numbers of some invoices, for lists (invoice id → number).
pub fn numbers_of(
    conn: &mut DbConn,
    invoice_ids: &[InvoiceId],
) -> QueryResult<Vec<(InvoiceId, String)>> {
    ksef_documents::table
        .filter(ksef_documents::invoice_id.eq_any(invoice_ids))
        .filter(ksef_documents::ksef_number.is_not_null())
        .select((
            ksef_documents::invoice_id,
            ksef_documents::ksef_number.assume_not_null(),
        ))
        .load(conn)
}

/// A row of `ksef_sessions`.
#[derive(Debug, Clone, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = ksef_sessions, treat_none_as_default_value = false)]
pub struct KsefSession {
    pub reference_number: String,
    pub environment: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub invoices_sent: i64,
    pub status_code: Option<i64>,
    pub status_text: Option<String>,
    pub upo: Option<String>,
}

pub fn insert_session(conn: &mut DbConn, session: &KsefSession) -> QueryResult<()> {
    diesel::insert_into(ksef_sessions::table)
        .values(session)
        .execute(conn)
        .map(|_| ())
}

pub fn count_sent_in_session(conn: &mut DbConn, reference: &str) -> QueryResult<()> {
    diesel::update(ksef_sessions::table.find(reference))
        .set(ksef_sessions::invoices_sent.eq(ksef_sessions::invoices_sent + 1))
        .execute(conn)
        .map(|_| ())
}

pub fn close_session(
    conn: &mut DbConn,
    reference: &str,
    closed_at: NaiveDateTime,
    status: Option<(i64, &str)>,
    upo: Option<&str>,
) -> QueryResult<()> {
    diesel::update(ksef_sessions::table.find(reference))
        .set((
            ksef_sessions::closed_at.eq(Some(closed_at)),
            ksef_sessions::status_code.eq(status.map(|s| s.0)),
            ksef_sessions::status_text.eq(status.map(|s| s.1)),
            ksef_sessions::upo.eq(upo),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_session(conn: &mut DbConn, reference: &str) -> QueryResult<Option<KsefSession>> {
    ksef_sessions::table
        .find(reference)
        .get_result(conn)
        .optional()
}

pub fn recent_sessions(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<KsefSession>> {
    ksef_sessions::table
        .order(ksef_sessions::opened_at.desc())
        .limit(limit)
        .load(conn)
}

/// The seller's KSeF settings (row id 1).
#[derive(Debug, Clone, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = ksef_settings, treat_none_as_default_value = false)]
pub struct KsefSettingsRow {
    pub id: i64,
    pub environment: String,
    pub token_ciphertext: Option<String>,
    pub send_consumer_invoices: bool,
    pub updated_at: NaiveDateTime,
}

pub fn settings(conn: &mut DbConn) -> QueryResult<Option<KsefSettingsRow>> {
    ksef_settings::table.find(1_i64).get_result(conn).optional()
}

pub fn save_settings(conn: &mut DbConn, row: &KsefSettingsRow) -> QueryResult<()> {
    let updated = diesel::update(ksef_settings::table.find(1_i64))
        .set((
            ksef_settings::environment.eq(&row.environment),
            ksef_settings::token_ciphertext.eq(&row.token_ciphertext),
            ksef_settings::send_consumer_invoices.eq(row.send_consumer_invoices),
            ksef_settings::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(ksef_settings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The seller's KSeF Offline certificate (row id 1), its key sealed.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = ksef_offline_certificate)]
pub struct OfflineCertificateRow {
    pub id: i64,
    pub certificate_pem: String,
    pub serial: String,
    pub key_ciphertext: String,
    pub valid_to: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn offline_certificate(conn: &mut DbConn) -> QueryResult<Option<OfflineCertificateRow>> {
    ksef_offline_certificate::table
        .find(1_i64)
        .get_result(conn)
        .optional()
}

/// Replaces the stored Offline certificate (a renewed one takes the old one's place).
pub fn save_offline_certificate(conn: &mut DbConn, row: &OfflineCertificateRow) -> QueryResult<()> {
    let updated = diesel::update(ksef_offline_certificate::table.find(1_i64))
        .set((
            ksef_offline_certificate::certificate_pem.eq(&row.certificate_pem),
            ksef_offline_certificate::serial.eq(&row.serial),
            ksef_offline_certificate::key_ciphertext.eq(&row.key_ciphertext),
            ksef_offline_certificate::valid_to.eq(row.valid_to),
            ksef_offline_certificate::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(ksef_offline_certificate::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The XML of a waiting document could not be made after all.
pub fn record_xml_failure(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ksef_documents::table
            .find(invoice_id)
            .filter(ksef_documents::xml.is_null()),
    )
    .set((
        ksef_documents::state.eq(KsefState::XmlFailed),
        ksef_documents::error_text.eq(Some(error)),
        ksef_documents::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}
