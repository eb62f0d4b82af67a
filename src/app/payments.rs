//! The payment ledger: a payment is allocated to the customer's unpaid invoices, oldest due
//! first, partly if it does not cover one; what is left is credit.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::payments::{NewPayment, NewPaymentAllocation};
use crate::db::{self, DbConn};
use crate::domain::Money;

#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub customer_id: i64,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: &'static str,
    pub source: &'static str,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub payment_id: i64,
    /// (invoice id, amount) in the order allocated.
    pub allocations: Vec<(i64, Money)>,
    pub credit_left: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("a payment must be more than zero")]
    NotPositive,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn record_payment(
    conn: &mut DbConn,
    request: &PaymentRequest,
    now: NaiveDateTime,
) -> Result<Recorded, PaymentError> {
    if request.amount <= Money::zero() {
        return Err(PaymentError::NotPositive);
    }
    db::write_transaction(conn, |conn| {
        let payment_id = db::payments::insert(
            conn,
            &NewPayment {
                customer_id: request.customer_id,
                amount: request.amount.grosze(),
                received_on: request.received_on,
                method: request.method.into(),
                source: request.source.into(),
                title: request.title.clone(),
                payer_name: request.payer_name.clone(),
                bank_reference: request.bank_reference.clone(),
                recorded_by_staff_id: request.recorded_by_staff_id,
                created_at: now,
            },
        )?;
        let mut open: Vec<(i64, NaiveDate, i64, i64)> =
            db::invoices::balances_of_customer(conn, request.customer_id)?
                .into_iter()
                .filter(|(_, _, gross, paid)| gross > paid)
                .collect();
        open.sort_by_key(|(id, due, _, _)| (*due, *id));
        let mut left = request.amount.grosze();
        let mut allocations = Vec::new();
        for (invoice_id, _, gross, paid) in open {
            if left == 0 {
                break;
            }
            let amount = (gross - paid).min(left);
            db::payments::insert_allocation(
                conn,
                &NewPaymentAllocation {
                    payment_id,
                    invoice_id,
                    amount,
                    created_at: now,
                },
            )?;
            allocations.push((invoice_id, Money::from_grosze(amount)));
            left -= amount;
        }
        Ok(Recorded {
            payment_id,
            allocations,
            credit_left: Money::from_grosze(left),
        })
    })
}
