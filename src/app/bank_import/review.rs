//! The review queue: credits no customer was found for wait here until staff assign them by
//! hand (audited); the assignment books the payment like an import would have.

use chrono::NaiveDateTime;
use serde_json::json;

use super::{MatchReason, payment_request};
use crate::app::audit::{self, Actor};
use crate::app::payments::{self, PaymentError, Recorded};
use crate::db::bank_import::BankTransaction;
use crate::db::{self, DbConn};

#[derive(Debug, thiserror::Error)]
pub enum AssignError {
    #[error("there is no such transaction in the review queue")]
    NotInQueue,
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

pub fn assign(
    conn: &mut DbConn,
    transaction_id: i64,
    customer_number: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Recorded, AssignError> {
    db::write_transaction(conn, |conn| {
        let row = db::bank_import::find_transaction(conn, transaction_id)?
            .filter(|r| r.status == "unmatched" && r.committed_key.is_some())
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
