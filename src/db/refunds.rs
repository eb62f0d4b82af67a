//! Refunds chosen on a correction: the overpaid part of a lowered, already paid invoice sent
//! back to the customer's account instead of staying as credit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{correction_refunds, customers, invoices};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct Refund {
    pub id: i64,
    pub customer_id: i64,
    pub correction_id: i64,
    pub amount: i64,
    pub account: String,
    /// `pending` until staff mark the transfer `sent`.
    pub status: String,
    pub created_at: NaiveDateTime,
    pub created_by_staff_id: Option<i64>,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by_staff_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = correction_refunds, treat_none_as_default_value = false)]
pub struct NewRefund {
    pub customer_id: i64,
    pub correction_id: i64,
    pub amount: i64,
    pub account: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub created_by_staff_id: Option<i64>,
}

pub fn insert(conn: &mut DbConn, refund: &NewRefund) -> QueryResult<i64> {
    diesel::insert_into(correction_refunds::table)
        .values(refund)
        .returning(correction_refunds::id)
        .get_result(conn)
}

/// The customer's refunds, oldest first.
pub fn of_customer(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<Refund>> {
    correction_refunds::table
        .filter(correction_refunds::customer_id.eq(customer_id))
        .order(correction_refunds::id.asc())
        .load(conn)
}

/// Grosze refunded to the customer in all (sent or still to send: either way it is no longer
/// their credit).
pub fn total_of_customer(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    let amounts: Vec<i64> = concrete!(conn, |c| {
        correction_refunds::table
            .filter(correction_refunds::customer_id.eq(customer_id))
            .select(correction_refunds::amount)
            .load(c)
    })?;
    Ok(amounts.into_iter().sum())
}

/// The refund a correction chose, if any.
pub fn of_correction(conn: &mut DbConn, correction_id: i64) -> QueryResult<Option<Refund>> {
    correction_refunds::table
        .filter(correction_refunds::correction_id.eq(correction_id))
        .get_result(conn)
        .optional()
}

/// A refund with the correction's number and the customer's number, for the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueuedRefund {
    pub refund: Refund,
    pub correction_number: Option<String>,
    pub customer_number: i64,
}

/// Refunds still to send first (oldest first), then the `limit` most recently sent.
pub fn queue(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<QueuedRefund>> {
    let rows =
        |conn: &mut DbConn, pending: bool| -> QueryResult<Vec<(Refund, Option<String>, i64)>> {
            let query = correction_refunds::table
                .inner_join(invoices::table)
                .inner_join(customers::table)
                .select((
                    correction_refunds::all_columns,
                    invoices::number,
                    customers::customer_number,
                ));
            if pending {
                query
                    .filter(correction_refunds::status.eq("pending"))
                    .order(correction_refunds::id.asc())
                    .load(conn)
            } else {
                query
                    .filter(correction_refunds::status.eq("sent"))
                    .order(correction_refunds::id.desc())
                    .limit(limit)
                    .load(conn)
            }
        };
    let mut out = rows(conn, true)?;
    out.extend(rows(conn, false)?);
    Ok(out
        .into_iter()
        .map(
            |(refund, correction_number, customer_number)| QueuedRefund {
                refund,
                correction_number,
                customer_number,
            },
        )
        .collect())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Refund>> {
    correction_refunds::table
        .find(id)
        .get_result(conn)
        .optional()
}

/// Marks a pending refund sent, once: false when it was not pending.
pub fn mark_sent(
    conn: &mut DbConn,
    id: i64,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        correction_refunds::table
            .find(id)
            .filter(correction_refunds::status.eq("pending")),
    )
    .set((
        correction_refunds::status.eq("sent"),
        correction_refunds::sent_at.eq(Some(now)),
        correction_refunds::sent_by_staff_id.eq(staff_id),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
