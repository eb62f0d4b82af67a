//! The review queue: credits no customer was found for wait here until staff assign them by
//! hand (audited); the assignment books the payment like an import would have. Credits held
//! back as possible duplicates wait here too, until staff book them anyway (audited).

use chrono::NaiveDateTime;
use serde_json::json;

use super::{HeldRow, MatchReason, held, payment_request};
use crate::app::audit::{self, Actor};
use crate::app::payments::{self, PaymentError, Recorded};
use crate::db::bank_import::BankTransaction;
use crate::db::{self, DbConn};
use crate::domain::TransactionStatus;

#[derive(Debug, thiserror::Error)]
pub enum AssignError {
    #[error("there is no such transaction in the review queue")]
    NotInQueue,
    #[error("the transaction is no longer held as a possible duplicate")]
    NotHeld,
    #[error("there is no customer with that number")]
    UnknownCustomer,
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The oldest waiting credits first.
pub fn queue(conn: &mut DbConn) -> diesel::QueryResult<Vec<BankTransaction>> {
    db::bank_import::unassigned(conn, 500)
}

/// The review page: credits to assign, their total, and the possible duplicates held.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewQueue {
    pub rows: Vec<BankTransaction>,
    pub total: i64,
    pub held: Vec<HeldRow>,
}

pub fn review_queue(conn: &mut DbConn) -> diesel::QueryResult<ReviewQueue> {
    let rows = queue(conn)?;
    Ok(ReviewQueue {
        total: rows.iter().map(|r| r.amount).sum(),
        rows,
        held: held(conn)?,
    })
}

pub fn assign(
    conn: &mut DbConn,
    transaction_id: i64,
    customer_number: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Recorded, AssignError> {
    db::write_transaction(conn, |conn| {
        let row = db::bank_import::find_transaction(conn, transaction_id)?
            .filter(|r| r.status == TransactionStatus::Unmatched && r.committed_key.is_some())
            .ok_or(AssignError::NotInQueue)?;
        let customer = match customer_number.trim().parse::<i64>() {
            Ok(number) => db::customers::find_by_number(conn, number)?,
            Err(_) => None,
        }
        .ok_or(AssignError::UnknownCustomer)?;
        let recorded = payments::record_payment(
            conn,
            &payment_request(&row, customer.id, MatchReason::Manual, actor.staff_id),
            now,
        )?;
        if !db::bank_import::assign(
            conn,
            transaction_id,
            customer.id,
            recorded.payment_id,
            actor.staff_id,
            now,
        )? {
            return Err(AssignError::NotInQueue);
        }
        let actor = Actor {
            customer_id: Some(customer.id),
            ..actor.clone()
        };
        audit::record(
            conn,
            &actor,
            "bank_transaction_assigned",
            json!({
                "transaction": transaction_id,
                "payment": recorded.payment_id,
                "customer_number": customer.customer_number,
                "amount": row.amount,
                "title": row.title,
            }),
            now,
        )?;
        Ok(recorded)
    })
}

/// What booking a held transaction did.
#[derive(Debug, Clone, PartialEq)]
pub enum HeldOutcome {
    /// Booked for the customer it matched.
    Booked(Recorded),
    /// No customer matched: it joined the review queue.
    Queued,
}

/// Books a credit held as a possible duplicate after all, for the customer it matched, or
/// puts it in the review queue when none did.
pub fn book_held(
    conn: &mut DbConn,
    transaction_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<HeldOutcome, AssignError> {
    db::write_transaction(conn, |conn| {
        let row = db::bank_import::find_transaction(conn, transaction_id)?
            .filter(|r| r.status == TransactionStatus::Held && r.amount > 0)
            .ok_or(AssignError::NotHeld)?;
        // Its own key: the one it resembled is taken by the transaction booked before.
        let key = format!("{}#{}", row.idempotency_key, row.id);
        let (status, outcome) = match row.customer_id {
            Some(customer_id) => {
                let reason = MatchReason::stored(row.match_reason.as_deref());
                let mut request = payment_request(&row, customer_id, reason, actor.staff_id);
                request.bank_reference = Some(key.clone());
                let recorded = payments::record_payment(conn, &request, now)?;
                (TransactionStatus::Matched, HeldOutcome::Booked(recorded))
            }
            None => (TransactionStatus::Unmatched, HeldOutcome::Queued),
        };
        let payment_id = match &outcome {
            HeldOutcome::Booked(recorded) => Some(recorded.payment_id),
            HeldOutcome::Queued => None,
        };
        if !db::bank_import::release_held(
            conn,
            transaction_id,
            status,
            &key,
            payment_id,
            actor.staff_id,
            now,
        )? {
            return Err(AssignError::NotHeld);
        }
        let actor = Actor {
            customer_id: row.customer_id,
            ..actor.clone()
        };
        audit::record(
            conn,
            &actor,
            "bank_transaction_booked_anyway",
            json!({
                "transaction": transaction_id,
                "payment": payment_id,
                "amount": row.amount,
                "title": row.title,
            }),
            now,
        )?;
        Ok(outcome)
    })
}
