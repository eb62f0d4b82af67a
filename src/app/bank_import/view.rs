//! What staff see of an import: its lines with who sent the money and who it goes to, the
//! totals, the accounts skipped; and the credits held as possible duplicates.

use crate::app::staff::customer_card::display_name;
use crate::db::bank_import::{BankTransaction, ImportBatch};
use crate::db::customers::Customer;
use crate::db::{self, DbConn};
use crate::domain::TransactionStatus;
use crate::domain::bank_statement::SkippedAccount;

/// One line of the preview (or of a committed import) as staff see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchRow {
    pub transaction: BankTransaction,
    pub customer_number: Option<i64>,
    pub customer_name: Option<String>,
    pub invoice_number: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchView {
    pub batch: ImportBatch,
    pub rows: Vec<BatchRow>,
    pub skipped: Vec<SkippedAccount>,
    pub matched: usize,
    pub matched_amount: i64,
    pub unmatched: usize,
    pub unmatched_amount: i64,
    pub duplicates: usize,
    pub held: usize,
    pub held_amount: i64,
    pub debits: usize,
}

pub fn batch_view(conn: &mut DbConn, batch_id: i64) -> diesel::QueryResult<Option<BatchView>> {
    let Some(batch) = db::bank_import::find_batch(conn, batch_id)? else {
        return Ok(None);
    };
    // Written by `preview` from a Vec of the same type; an unreadable one lists nothing.
    let skipped = serde_json::from_str(&batch.skipped).unwrap_or_default();
    let mut view = BatchView {
        batch,
        rows: Vec::new(),
        skipped,
        matched: 0,
        matched_amount: 0,
        unmatched: 0,
        unmatched_amount: 0,
        duplicates: 0,
        held: 0,
        held_amount: 0,
        debits: 0,
    };
    for (transaction, customer) in db::bank_import::transactions_of_batch(conn, batch_id)? {
        match transaction.status {
            TransactionStatus::Matched | TransactionStatus::Assigned => {
                view.matched += 1;
                view.matched_amount += transaction.amount;
            }
            TransactionStatus::Unmatched => {
                view.unmatched += 1;
                view.unmatched_amount += transaction.amount;
            }
            TransactionStatus::Held => {
                view.held += 1;
                view.held_amount += transaction.amount;
            }
            TransactionStatus::Duplicate => view.duplicates += 1,
            TransactionStatus::Debit => view.debits += 1,
        }
        let invoice_number = match transaction.invoice_id {
            Some(id) => db::invoices::find(conn, id)?.and_then(|i| i.number),
            None => None,
        };
        view.rows.push(BatchRow {
            customer_number: customer.as_ref().map(|c| c.customer_number),
            customer_name: customer.as_ref().map(display_name),
            transaction,
            invoice_number,
        });
    }
    Ok(Some(view))
}

pub fn recent_batches(conn: &mut DbConn) -> diesel::QueryResult<Vec<ImportBatch>> {
    db::bank_import::recent_batches(conn, 10)
}

/// A credit held back as a possible duplicate, with the customer it would be booked for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeldRow {
    pub transaction: BankTransaction,
    pub customer_number: Option<i64>,
    pub customer_name: Option<String>,
}

impl HeldRow {
    fn new(transaction: BankTransaction, customer: Option<Customer>) -> HeldRow {
        HeldRow {
            transaction,
            customer_number: customer.as_ref().map(|c| c.customer_number),
            customer_name: customer.as_ref().map(display_name),
        }
    }
}

/// The possible duplicates of committed imports, oldest first.
pub fn held(conn: &mut DbConn) -> diesel::QueryResult<Vec<HeldRow>> {
    Ok(db::bank_import::held(conn, 500)?
        .into_iter()
        .map(|(transaction, customer)| HeldRow::new(transaction, customer))
        .collect())
}
