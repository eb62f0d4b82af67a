//! Bank statement import: a file (MT940 or the documented CSV) is read into a batch in
//! `preview`, each line matched to a customer or marked duplicate / debit; staff look at the
//! preview and commit it, which books the payments. Each bank transaction is booked once,
//! however often its file is imported: its idempotency key (the bank's reference, or a hash of
//! account, date, amount, title and repeat within the file) is UNIQUE among committed lines.

mod decode;
mod matching;
mod review;

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde_json::json;
use sha2::{Digest, Sha256};

pub use decode::{DecodeError, Encoding, decode};
pub use matching::{Match, MatchReason, find_customer};
pub use review::{AssignError, assign, queue};

use crate::app::audit::{self, Actor};
use crate::app::payments::{self, PaymentError, PaymentRequest};
use crate::db::bank_import::{BankTransaction, ImportBatch, NewBankTransaction, NewImportBatch};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::bank_statement::{self, StatementError, StatementLine};

/// More lines than a month of a large ISP's statement is a wrong file, not a statement.
pub const MAX_LINES: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Mt940,
    Csv,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mt940" | "sta" => Some(Format::Mt940),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Mt940 => "mt940",
            Format::Csv => "csv",
        }
    }

    /// MT940 files start with a tag (`:20:`) or a SWIFT envelope; everything else is taken as CSV.
    pub fn detect(text: &str) -> Format {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with(":20:") || start.starts_with('{') || text.contains("\n:61:") {
            Format::Mt940
        } else {
            Format::Csv
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Statement(#[from] StatementError),
    #[error("the file has more than {MAX_LINES} transactions")]
    TooLarge,
    #[error("there is no such import")]
    NotFound,
    #[error("the import was committed or discarded already")]
    NotInPreview,
    #[error("another import booked some of the same transactions meanwhile; upload the file again")]
    Conflict,
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for ImportError {
    fn from(error: diesel::result::Error) -> ImportError {
        if db::is_unique_violation(&error) {
            ImportError::Conflict
        } else {
            ImportError::Database(error)
        }
    }
}

/// An uploaded file to preview.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// None: recognised from the content.
    pub format: Option<Format>,
}

/// Reads the file, matches each line and stores the batch in `preview`; nothing is booked.
pub fn preview(
    conn: &mut DbConn,
    upload: &Upload<'_>,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, ImportError> {
    let (text, _) = decode(upload.bytes)?;
    let format = upload.format.unwrap_or_else(|| Format::detect(&text));
    let lines = match format {
        Format::Mt940 => bank_statement::mt940::parse(&text)?,
        Format::Csv => bank_statement::csv::parse(&text)?,
    };
    if lines.len() > MAX_LINES {
        return Err(ImportError::TooLarge);
    }
    let keys = idempotency_keys(&lines);
    let file_sha256 = hex(&Sha256::digest(upload.bytes));
    let file_name: String = upload.file_name.chars().take(200).collect();
    db::write_transaction(conn, |conn| {
        let booked: std::collections::HashSet<String> =
            db::bank_import::committed_keys(conn, &keys)?
                .into_iter()
                .collect();
        let batch_id = db::bank_import::insert_batch(
            conn,
            &NewImportBatch {
                file_name: file_name.clone(),
                format: format.as_str().into(),
                status: "preview".into(),
                file_sha256: file_sha256.clone(),
                created_by_staff_id: actor.staff_id,
                created_at: now,
                committed_by_staff_id: None,
                committed_at: None,
            },
        )?;
        let mut seen = std::collections::HashSet::new();
        for (line, key) in lines.iter().zip(&keys) {
            let first_time = seen.insert(key.clone());
            let (status, found) = if !first_time || booked.contains(key) {
                ("duplicate", None)
            } else if !line.is_credit() {
                ("debit", None)
            } else {
                match find_customer(conn, line)? {
                    Some(found) => ("matched", Some(found)),
                    None => ("unmatched", None),
                }
            };
            db::bank_import::insert_transaction(
                conn,
                &NewBankTransaction {
                    batch_id,
                    line_no: line.line_no as i64,
                    idempotency_key: key.clone(),
                    booked_on: line.booked_on,
                    amount: line.amount.grosze(),
                    title: line.title.clone(),
                    payer_name: line.payer_name.clone(),
                    payer_account: line.payer_account.clone(),
                    account_to: line.account_to.clone(),
                    bank_reference: line.bank_reference.clone(),
                    status: status.into(),
                    customer_id: found.map(|m| m.customer_id),
                    invoice_id: found.and_then(|m| m.invoice_id),
                    match_reason: found.map(|m| m.reason.as_str().to_owned()),
                    payment_id: None,
                    committed_key: None,
                    assigned_by_staff_id: None,
                    assigned_at: None,
                },
            )?;
        }
        Ok(batch_id)
    })
}

/// The key that makes a bank transaction unique across imports. The bank's own reference when
/// there is one; otherwise a hash of what the line says plus how many identical lines came
/// before it in the file, so two real transfers of the same amount and title on one day stay
/// two, while the same statement imported again gives the same keys.
pub fn idempotency_keys(lines: &[StatementLine]) -> Vec<String> {
    let mut repeats: HashMap<String, usize> = HashMap::new();
    lines
        .iter()
        .map(|line| match &line.bank_reference {
            Some(reference) => format!("ref:{reference}"),
            None => {
                let material = format!(
                    "{}|{}|{}|{}",
                    line.account_to.as_deref().unwrap_or(""),
                    line.booked_on,
                    line.amount.grosze(),
                    line.title
                );
                let n = repeats.entry(material.clone()).or_default();
                let key = format!("{material}|{n}");
                *n += 1;
                format!("sha256:{}", hex(&Sha256::digest(key.as_bytes())))
            }
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What committing booked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CommitSummary {
    pub booked: usize,
    pub booked_amount: i64,
    pub unmatched: usize,
    pub unmatched_amount: i64,
    pub duplicates: usize,
    pub debits: usize,
}

/// Books the preview: matched credits become payments (allocated at once), unmatched ones go
/// to the review queue, debits and duplicates are only listed. All or nothing.
pub fn commit(
    conn: &mut DbConn,
    batch_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CommitSummary, ImportError> {
    db::write_transaction(conn, |conn| {
        db::bank_import::find_batch(conn, batch_id)?.ok_or(ImportError::NotFound)?;
        if !db::bank_import::close_batch(conn, batch_id, "committed", actor.staff_id, now)? {
            return Err(ImportError::NotInPreview);
        }
        let rows: Vec<BankTransaction> = db::bank_import::transactions_of_batch(conn, batch_id)?
            .into_iter()
            .map(|(row, _)| row)
            .collect();
        // Another import may have booked some of these lines since the preview was made.
        let keys: Vec<String> = rows
            .iter()
            .filter(|r| r.status != "duplicate")
            .map(|r| r.idempotency_key.clone())
            .collect();
        let booked_meanwhile: std::collections::HashSet<String> =
            db::bank_import::committed_keys(conn, &keys)?
                .into_iter()
                .collect();
        let mut summary = CommitSummary::default();
        for row in rows {
            let key = row.idempotency_key.as_str();
            if row.status == "duplicate" || booked_meanwhile.contains(key) {
                db::bank_import::mark_committed(conn, row.id, "duplicate", None, None)?;
                summary.duplicates += 1;
                continue;
            }
            match (row.status.as_str(), row.customer_id) {
                ("matched", Some(customer_id)) => {
                    let reason = match row.match_reason.as_deref() {
                        Some("account") => MatchReason::Account,
                        Some("invoice_number") => MatchReason::InvoiceNumber,
                        _ => MatchReason::CustomerNumber,
                    };
                    let recorded = payments::record_payment(
                        conn,
                        &payment_request(&row, customer_id, reason, actor.staff_id),
                        now,
                    )?;
                    db::bank_import::mark_committed(
                        conn,
                        row.id,
                        "matched",
                        Some(key),
                        Some(recorded.payment_id),
                    )?;
                    summary.booked += 1;
                    summary.booked_amount += row.amount;
                }
                ("debit", _) => {
                    db::bank_import::mark_committed(conn, row.id, "debit", Some(key), None)?;
                    summary.debits += 1;
                }
                _ => {
                    db::bank_import::mark_committed(conn, row.id, "unmatched", Some(key), None)?;
                    summary.unmatched += 1;
                    summary.unmatched_amount += row.amount;
                }
            }
        }
        audit::record(
            conn,
            actor,
            "bank_import_committed",
            json!({ "batch": batch_id, "summary": summary }),
            now,
        )?;
        Ok(summary)
    })
}

pub(crate) fn payment_request(
    row: &BankTransaction,
    customer_id: i64,
    reason: MatchReason,
    staff_id: Option<i64>,
) -> PaymentRequest {
    PaymentRequest {
        customer_id,
        amount: Money::from_grosze(row.amount),
        received_on: row.booked_on,
        method: "transfer",
        source: "import",
        title: Some(row.title.clone()).filter(|t| !t.is_empty()),
        payer_name: row.payer_name.clone(),
        bank_reference: Some(row.idempotency_key.clone()),
        recorded_by_staff_id: staff_id,
        match_reason: Some(reason.as_str()),
    }
}

/// Drops a preview; nothing was booked.
pub fn discard(
    conn: &mut DbConn,
    batch_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ImportError> {
    db::write_transaction(conn, |conn| {
        db::bank_import::find_batch(conn, batch_id)?.ok_or(ImportError::NotFound)?;
        if !db::bank_import::close_batch(conn, batch_id, "discarded", actor.staff_id, now)? {
            return Err(ImportError::NotInPreview);
        }
        audit::record(
            conn,
            actor,
            "bank_import_discarded",
            json!({ "batch": batch_id }),
            now,
        )?;
        Ok(())
    })
}

/// One line of the preview (or of a committed import) as staff see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchRow {
    pub transaction: BankTransaction,
    pub customer_number: Option<i64>,
    pub invoice_number: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchView {
    pub batch: ImportBatch,
    pub rows: Vec<BatchRow>,
    pub matched: usize,
    pub matched_amount: i64,
    pub unmatched: usize,
    pub unmatched_amount: i64,
    pub duplicates: usize,
    pub debits: usize,
}

pub fn batch_view(conn: &mut DbConn, batch_id: i64) -> diesel::QueryResult<Option<BatchView>> {
    let Some(batch) = db::bank_import::find_batch(conn, batch_id)? else {
        return Ok(None);
    };
    let mut view = BatchView {
        batch,
        rows: Vec::new(),
        matched: 0,
        matched_amount: 0,
        unmatched: 0,
        unmatched_amount: 0,
        duplicates: 0,
        debits: 0,
    };
    for (transaction, customer_number) in db::bank_import::transactions_of_batch(conn, batch_id)? {
        match transaction.status.as_str() {
            "matched" | "assigned" => {
                view.matched += 1;
                view.matched_amount += transaction.amount;
            }
            "unmatched" => {
                view.unmatched += 1;
                view.unmatched_amount += transaction.amount;
            }
            "duplicate" => view.duplicates += 1,
            _ => view.debits += 1,
        }
        let invoice_number = match transaction.invoice_id {
            Some(id) => db::invoices::find(conn, id)?.and_then(|i| i.number),
            None => None,
        };
        view.rows.push(BatchRow {
            transaction,
            customer_number,
            invoice_number,
        });
    }
    Ok(Some(view))
}

pub fn recent_batches(conn: &mut DbConn) -> diesel::QueryResult<Vec<ImportBatch>> {
    db::bank_import::recent_batches(conn, 10)
}
