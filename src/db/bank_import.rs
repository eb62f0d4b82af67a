//! Imported bank statements: the batch (one file) and its transactions, from preview to booked.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::{BatchStatus, TransactionStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{bank_transactions, customers, import_batches};

/// A row of `import_batches`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ImportBatch {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub status: BatchStatus,
    pub file_sha256: String,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub committed_by_staff_id: Option<i64>,
    pub committed_at: Option<NaiveDateTime>,
    pub layout: Option<String>,
    pub encoding: String,
    /// JSON list of the accounts in other currencies that were skipped.
    pub skipped: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = import_batches, treat_none_as_default_value = false)]
pub struct NewImportBatch {
    pub file_name: String,
    pub format: String,
    pub status: BatchStatus,
    pub file_sha256: String,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub committed_by_staff_id: Option<i64>,
    pub committed_at: Option<NaiveDateTime>,
    pub layout: Option<String>,
    pub encoding: String,
    /// JSON list of the accounts in other currencies that were skipped.
    pub skipped: String,
}

/// A row of `bank_transactions`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct BankTransaction {
    pub id: i64,
    pub batch_id: i64,
    pub line_no: i64,
    pub idempotency_key: String,
    pub booked_on: NaiveDate,
    pub amount: i64,
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub account_to: Option<String>,
    pub bank_reference: Option<String>,
    pub status: TransactionStatus,
    pub customer_id: Option<CustomerId>,
    pub invoice_id: Option<InvoiceId>,
    pub match_reason: Option<String>,
    pub payment_id: Option<i64>,
    pub committed_key: Option<String>,
    pub assigned_by_staff_id: Option<i64>,
    pub assigned_at: Option<NaiveDateTime>,
    pub customer_reference: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = bank_transactions, treat_none_as_default_value = false)]
pub struct NewBankTransaction {
    pub batch_id: i64,
    pub line_no: i64,
    pub idempotency_key: String,
    pub booked_on: NaiveDate,
    pub amount: i64,
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub account_to: Option<String>,
    pub bank_reference: Option<String>,
    pub status: TransactionStatus,
    pub customer_id: Option<CustomerId>,
    pub invoice_id: Option<InvoiceId>,
    pub match_reason: Option<String>,
    pub payment_id: Option<i64>,
    pub committed_key: Option<String>,
    pub assigned_by_staff_id: Option<i64>,
    pub assigned_at: Option<NaiveDateTime>,
    pub customer_reference: Option<String>,
}

pub fn insert_batch(conn: &mut DbConn, batch: &NewImportBatch) -> QueryResult<i64> {
    diesel::insert_into(import_batches::table)
        .values(batch)
        .returning(import_batches::id)
        .get_result(conn)
}

pub fn insert_transaction(conn: &mut DbConn, row: &NewBankTransaction) -> QueryResult<i64> {
    diesel::insert_into(bank_transactions::table)
        .values(row)
        .returning(bank_transactions::id)
        .get_result(conn)
}

pub fn find_batch(conn: &mut DbConn, id: i64) -> QueryResult<Option<ImportBatch>> {
    import_batches::table.find(id).get_result(conn).optional()
}

/// The latest batches, newest first.
pub fn recent_batches(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<ImportBatch>> {
    import_batches::table
        .order((import_batches::created_at.desc(), import_batches::id.desc()))
        .limit(limit)
        .load(conn)
}

/// Moves a batch out of preview, once: false when someone else committed or dropped it first.
pub fn close_batch(
    conn: &mut DbConn,
    id: i64,
    status: BatchStatus,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        import_batches::table
            .find(id)
            .filter(import_batches::status.eq(BatchStatus::Preview)),
    )
    .set((
        import_batches::status.eq(status),
        import_batches::committed_by_staff_id.eq(staff_id),
        import_batches::committed_at.eq(Some(now)),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The batch's transactions with the matched customer, in file order.
pub fn transactions_of_batch(
    conn: &mut DbConn,
    batch_id: i64,
) -> QueryResult<Vec<(BankTransaction, Option<Customer>)>> {
    bank_transactions::table
        .left_join(customers::table)
        .filter(bank_transactions::batch_id.eq(batch_id))
        .order((bank_transactions::line_no, bank_transactions::id))
        .select((
            bank_transactions::all_columns,
            customers::all_columns.nullable(),
        ))
        .load(conn)
}

/// Whether a committed import read this very file (same bytes) before.
pub fn file_committed_before(conn: &mut DbConn, file_sha256: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        import_batches::table
            .filter(import_batches::file_sha256.eq(file_sha256))
            .filter(import_batches::status.eq(BatchStatus::Committed)),
    ))
    .get_result(conn)
}

/// Which of these keys were booked already by a committed import.
pub fn committed_keys(conn: &mut DbConn, keys: &[String]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    // Bounded IN lists: SQLite caps bound parameters per statement.
    for chunk in keys.chunks(500) {
        let rows: Vec<Option<String>> = bank_transactions::table
            .filter(bank_transactions::committed_key.eq_any(chunk))
            .select(bank_transactions::committed_key)
            .load(conn)?;
        found.extend(rows.into_iter().flatten());
    }
    Ok(found)
}

/// Records the outcome of committing one transaction.
pub fn mark_committed(
    conn: &mut DbConn,
    id: i64,
    status: TransactionStatus,
    committed_key: Option<&str>,
    payment_id: Option<i64>,
) -> QueryResult<()> {
    diesel::update(bank_transactions::table.find(id))
        .set((
            bank_transactions::status.eq(status),
            bank_transactions::committed_key.eq(committed_key),
            bank_transactions::payment_id.eq(payment_id),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The review queue: committed credits no customer was found for, oldest first.
pub fn unassigned(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<BankTransaction>> {
    bank_transactions::table
        .filter(bank_transactions::status.eq(TransactionStatus::Unmatched))
        .filter(bank_transactions::committed_key.is_not_null())
        .order((bank_transactions::booked_on, bank_transactions::id))
        .limit(limit)
        .load(conn)
}

/// Credits of committed imports held back as possible duplicates, oldest first, with the
/// customer they would go to.
pub fn held(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<(BankTransaction, Option<Customer>)>> {
    bank_transactions::table
        .inner_join(import_batches::table)
        .left_join(customers::table)
        .filter(bank_transactions::status.eq(TransactionStatus::Held))
        .filter(import_batches::status.eq(BatchStatus::Committed))
        .order((bank_transactions::booked_on, bank_transactions::id))
        .select((
            bank_transactions::all_columns,
            customers::all_columns.nullable(),
        ))
        .limit(limit)
        .load(conn)
}

/// Books a held transaction after all, once: false when it is no longer held. The key is the
/// transaction's own (its idempotency key and row id), so it can never collide with the one it
/// resembled.
pub fn release_held(
    conn: &mut DbConn,
    id: i64,
    status: TransactionStatus,
    committed_key: &str,
    payment_id: Option<i64>,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        bank_transactions::table
            .find(id)
            .filter(bank_transactions::status.eq(TransactionStatus::Held)),
    )
    .set((
        bank_transactions::status.eq(status),
        bank_transactions::committed_key.eq(Some(committed_key)),
        bank_transactions::payment_id.eq(payment_id),
        bank_transactions::assigned_by_staff_id.eq(staff_id),
        bank_transactions::assigned_at.eq(Some(now)),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn find_transaction(conn: &mut DbConn, id: i64) -> QueryResult<Option<BankTransaction>> {
    bank_transactions::table
        .find(id)
        .get_result(conn)
        .optional()
}

/// Assigns a queued transaction by hand, once: false when it is no longer in the queue.
pub fn assign(
    conn: &mut DbConn,
    id: i64,
    customer_id: CustomerId,
    payment_id: i64,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        bank_transactions::table
            .find(id)
            .filter(bank_transactions::status.eq(TransactionStatus::Unmatched))
            .filter(bank_transactions::committed_key.is_not_null()),
    )
    .set((
        bank_transactions::status.eq(TransactionStatus::Assigned),
        bank_transactions::customer_id.eq(Some(customer_id)),
        bank_transactions::match_reason.eq(Some("manual")),
        bank_transactions::payment_id.eq(Some(payment_id)),
        bank_transactions::assigned_by_staff_id.eq(staff_id),
        bank_transactions::assigned_at.eq(Some(now)),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// A reversed payment's bank transaction goes back to the review queue to be assigned again.
pub fn return_to_queue(conn: &mut DbConn, payment_id: i64) -> QueryResult<usize> {
    diesel::update(bank_transactions::table.filter(bank_transactions::payment_id.eq(payment_id)))
        .set((
            bank_transactions::status.eq(TransactionStatus::Unmatched),
            bank_transactions::customer_id.eq(None::<i64>),
            bank_transactions::invoice_id.eq(None::<i64>),
            bank_transactions::match_reason.eq(None::<String>),
            bank_transactions::payment_id.eq(None::<i64>),
            bank_transactions::assigned_by_staff_id.eq(None::<i64>),
            bank_transactions::assigned_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}
