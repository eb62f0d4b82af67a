//! Bank statement import: a file (MT940, MT942, a bank's CSV export, the documented CSV or
//! Elixir-0) is read into a batch in `preview`, each line matched to a customer or marked
//! duplicate / held / debit; staff look at the preview and commit it, which books the payments.
//! Each bank transaction is booked once, however often its file is imported: its idempotency key
//! (see `keys`) is UNIQUE among committed lines. A line that only looks like one booked before
//! (no bank reference to prove it) is never dropped: it is held for staff to book anyway.

mod decode;
mod keys;
mod matching;
mod review;
mod view;

use crate::domain::CustomerId;
use crate::domain::{BatchStatus, TransactionStatus};
use chrono::NaiveDateTime;
use serde_json::json;
use sha2::{Digest, Sha256};

pub use crate::domain::bank_statement::Statement;
pub use decode::{DecodeError, Encoding, decode};
pub use keys::idempotency_keys;
pub use matching::{Match, MatchReason, find_customer};
pub use review::{AssignError, HeldOutcome, ReviewQueue, assign, book_held, queue, review_queue};
pub use view::{BatchRow, BatchView, HeldRow, batch_view, held, recent_batches};

use crate::app::audit::{self, Actor};
use crate::app::payments::{self, PaymentError, PaymentRequest};
use crate::db::bank_import::{BankTransaction, NewBankTransaction, NewImportBatch};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::bank_statement::{self, StatementError};

/// More lines than a month of a large ISP's statement is a wrong file, not a statement.
pub const MAX_LINES: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Mt940,
    Mt942,
    /// A bank's CSV export (recognised by its header) or the documented layout.
    Csv,
    Elixir0,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "mt940" | "sta" => Some(Format::Mt940),
            "mt942" => Some(Format::Mt942),
            "csv" => Some(Format::Csv),
            "elixir" | "elixir0" | "elixiro" | "pli" => Some(Format::Elixir0),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Mt940 => "mt940",
            Format::Mt942 => "mt942",
            Format::Csv => "csv",
            Format::Elixir0 => "elixir0",
        }
    }

    /// SWIFT files start with a tag (`:20:`) or an envelope (SOH, `{1:`); MT942 has a floor
    /// limit `:34F:` or says so in its header; Elixir-0 starts with a payment type and a date;
    /// everything else is taken as CSV.
    pub fn detect(text: &str) -> Format {
        let start = text.trim_start_matches(['\u{feff}', '\u{1}']).trim_start();
        let swift = start.starts_with(":20:") || start.starts_with('{') || text.contains("\n:61:");
        let interim =
            text.contains(":34F:") || text.contains("{2:O942") || text.contains("{2:I942");
        if swift && interim {
            Format::Mt942
        } else if swift {
            Format::Mt940
        } else if bank_statement::elixir::looks_like(text) {
            Format::Elixir0
        } else {
            Format::Csv
        }
    }

    fn read(self, text: &str) -> Result<Statement, StatementError> {
        match self {
            Format::Mt940 | Format::Mt942 => bank_statement::mt940::parse(text),
            Format::Csv => bank_statement::csv::parse(text),
            Format::Elixir0 => bank_statement::elixir::parse(text),
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
    /// None: recognised from the bytes.
    pub encoding: Option<Encoding>,
}

/// A file read: its transactions, and how it was read.
#[derive(Debug, Clone)]
pub struct Read {
    pub statement: Statement,
    pub format: Format,
    pub encoding: Encoding,
}

/// Reads an upload into transactions without touching the database.
pub fn read(upload: &Upload<'_>) -> Result<Read, ImportError> {
    let (text, encoding) = decode(upload.bytes, upload.encoding)?;
    let format = upload.format.unwrap_or_else(|| Format::detect(&text));
    let statement = format.read(&text)?;
    if statement.lines.len() > MAX_LINES {
        return Err(ImportError::TooLarge);
    }
    Ok(Read {
        statement,
        format,
        encoding,
    })
}

/// Reads the file, matches each line and stores the batch in `preview`; nothing is booked.
pub fn preview(
    conn: &mut DbConn,
    upload: &Upload<'_>,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, ImportError> {
    let read = read(upload)?;
    let (statement, format, encoding) = (read.statement, read.format, read.encoding);
    let file_sha256 = hex(&Sha256::digest(upload.bytes));
    let file_name: String = upload.file_name.chars().take(200).collect();
    let skipped = serde_json::to_string(&statement.skipped).unwrap_or_else(|_| "[]".into());
    db::write_transaction(conn, |conn| {
        let classes = keys::classify(conn, &statement.lines, &file_sha256)?;
        let batch_id = db::bank_import::insert_batch(
            conn,
            &NewImportBatch {
                file_name: file_name.clone(),
                format: format.as_str().into(),
                status: BatchStatus::Preview,
                file_sha256: file_sha256.clone(),
                created_by_staff_id: actor.staff_id,
                created_at: now,
                committed_by_staff_id: None,
                committed_at: None,
                layout: statement.layout.map(str::to_owned),
                encoding: encoding.as_str().into(),
                skipped: skipped.clone(),
            },
        )?;
        for (line, (key, seen)) in statement.lines.iter().zip(classes) {
            let (status, found) = match seen {
                keys::Seen::Duplicate => (TransactionStatus::Duplicate, None),
                _ if !line.is_credit() => (TransactionStatus::Debit, None),
                keys::Seen::Possibly => (TransactionStatus::Held, find_customer(conn, line)?),
                keys::Seen::New => match find_customer(conn, line)? {
                    Some(found) => (TransactionStatus::Matched, Some(found)),
                    None => (TransactionStatus::Unmatched, None),
                },
            };
            db::bank_import::insert_transaction(
                conn,
                &NewBankTransaction {
                    batch_id,
                    line_no: line.line_no as i64,
                    idempotency_key: key,
                    booked_on: line.booked_on,
                    amount: line.amount.grosze(),
                    title: line.title.clone(),
                    payer_name: line.payer_name.clone(),
                    payer_account: line.payer_account.clone(),
                    account_to: line.account_to.clone(),
                    bank_reference: line.bank_reference.clone(),
                    status,
                    customer_id: found.map(|m| m.customer_id),
                    invoice_id: found.and_then(|m| m.invoice_id),
                    match_reason: found.map(|m| m.reason.as_str().to_owned()),
                    payment_id: None,
                    committed_key: None,
                    assigned_by_staff_id: None,
                    assigned_at: None,
                    customer_reference: line.customer_reference.clone(),
                },
            )?;
        }
        Ok(batch_id)
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
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
    /// Possible duplicates waiting for staff to book them anyway.
    pub held: usize,
    pub debits: usize,
}

/// Books the preview: matched credits become payments (allocated at once), unmatched ones go
/// to the review queue, possible duplicates are held for staff, debits and duplicates are only
/// listed. All or nothing.
pub fn commit(
    conn: &mut DbConn,
    batch_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CommitSummary, ImportError> {
    db::write_transaction(conn, |conn| {
        db::bank_import::find_batch(conn, batch_id)?.ok_or(ImportError::NotFound)?;
        if !db::bank_import::close_batch(
            conn,
            batch_id,
            BatchStatus::Committed,
            actor.staff_id,
            now,
        )? {
            return Err(ImportError::NotInPreview);
        }
        let rows: Vec<BankTransaction> = db::bank_import::transactions_of_batch(conn, batch_id)?
            .into_iter()
            .map(|(row, _)| row)
            .collect();
        // Another import may have booked some of these lines since the preview was made.
        let pending: Vec<String> = rows
            .iter()
            .filter(|r| r.status != TransactionStatus::Duplicate)
            .map(|r| r.idempotency_key.clone())
            .collect();
        let booked_meanwhile: std::collections::HashSet<String> =
            db::bank_import::committed_keys(conn, &pending)?
                .into_iter()
                .collect();
        let mut summary = CommitSummary::default();
        for row in rows {
            let key = row.idempotency_key.as_str();
            let seen_before = booked_meanwhile.contains(key);
            let certain = keys::is_bank_reference(key) || row.amount <= 0;
            if row.status == TransactionStatus::Duplicate || (seen_before && certain) {
                let duplicate = TransactionStatus::Duplicate;
                db::bank_import::mark_committed(conn, row.id, duplicate, None, None)?;
                summary.duplicates += 1;
                continue;
            }
            // Never dropped: a credit that only looks booked before waits for staff.
            if row.status == TransactionStatus::Held || seen_before {
                db::bank_import::mark_committed(conn, row.id, TransactionStatus::Held, None, None)?;
                summary.held += 1;
                continue;
            }
            match (row.status, row.customer_id) {
                (TransactionStatus::Matched, Some(customer_id)) => {
                    let reason = MatchReason::stored(row.match_reason.as_deref());
                    let recorded = payments::record_payment(
                        conn,
                        &payment_request(&row, customer_id, reason, actor.staff_id),
                        now,
                    )?;
                    db::bank_import::mark_committed(
                        conn,
                        row.id,
                        TransactionStatus::Matched,
                        Some(key),
                        Some(recorded.payment_id),
                    )?;
                    summary.booked += 1;
                    summary.booked_amount += row.amount;
                }
                (TransactionStatus::Debit, _) => {
                    let debit = TransactionStatus::Debit;
                    db::bank_import::mark_committed(conn, row.id, debit, Some(key), None)?;
                    summary.debits += 1;
                }
                _ => {
                    let unmatched = TransactionStatus::Unmatched;
                    db::bank_import::mark_committed(conn, row.id, unmatched, Some(key), None)?;
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
    customer_id: CustomerId,
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
        if !db::bank_import::close_batch(
            conn,
            batch_id,
            BatchStatus::Discarded,
            actor.staff_id,
            now,
        )? {
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
