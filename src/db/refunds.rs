//! Refunds chosen on a correction: the overpaid part of a lowered, already paid invoice sent
//! back to the customer's account instead of staying as credit.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::{PayuRefundState, RefundStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{correction_refunds, customers, invoices, payu_refunds};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct Refund {
    pub id: i64,
    pub customer_id: CustomerId,
    pub correction_id: InvoiceId,
    pub amount: i64,
    pub account: String,
    /// `pending` until staff mark the transfer `sent`.
    pub status: RefundStatus,
    pub created_at: NaiveDateTime,
    pub created_by_staff_id: Option<i64>,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by_staff_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = correction_refunds, treat_none_as_default_value = false)]
pub struct NewRefund {
    pub customer_id: CustomerId,
    pub correction_id: InvoiceId,
    pub amount: i64,
    pub account: String,
    pub status: RefundStatus,
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
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Refund>> {
    correction_refunds::table
        .filter(correction_refunds::customer_id.eq(customer_id))
        .order(correction_refunds::id.asc())
        .load(conn)
}

/// Grosze refunded to the customer in all (sent or still to send: either way it is no longer
/// their credit).
pub fn total_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<i64> {
    let amounts: Vec<i64> = concrete!(conn, |c| {
        correction_refunds::table
            .filter(correction_refunds::customer_id.eq(customer_id))
            .select(correction_refunds::amount)
            .load(c)
    })?;
    Ok(amounts.into_iter().sum())
}

/// The refund a correction chose, if any.
pub fn of_correction(conn: &mut DbConn, correction_id: InvoiceId) -> QueryResult<Option<Refund>> {
    correction_refunds::table
        .filter(correction_refunds::correction_id.eq(correction_id))
        .get_result(conn)
        .optional()
}

/// A refund with the correction's number and the customer's number, for the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueuedRefund {
    pub refund: Refund,
    /// Set when the money goes back through PayU (a paid shop order).
    pub payu: Option<PayuRefund>,
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
                    .filter(correction_refunds::status.eq(RefundStatus::Pending))
                    .order(correction_refunds::id.asc())
                    .load(conn)
            } else {
                query
                    .filter(correction_refunds::status.eq(RefundStatus::Sent))
                    .order(correction_refunds::id.desc())
                    .limit(limit)
                    .load(conn)
            }
        };
    let mut out = rows(conn, true)?;
    out.extend(rows(conn, false)?);
    let ids: Vec<i64> = out.iter().map(|(refund, _, _)| refund.id).collect();
    let mut through_payu: std::collections::HashMap<i64, PayuRefund> = payu_refunds::table
        .filter(payu_refunds::correction_refund_id.eq_any(&ids))
        .load::<PayuRefund>(conn)?
        .into_iter()
        .map(|payu| (payu.correction_refund_id, payu))
        .collect();
    Ok(out
        .into_iter()
        .map(
            |(refund, correction_number, customer_number)| QueuedRefund {
                payu: through_payu.remove(&refund.id),
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
            .filter(correction_refunds::status.eq(RefundStatus::Pending)),
    )
    .set((
        correction_refunds::status.eq(RefundStatus::Sent),
        correction_refunds::sent_at.eq(Some(now)),
        correction_refunds::sent_by_staff_id.eq(staff_id),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A refund that goes back through PayU (the order was paid there).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct PayuRefund {
    pub id: i64,
    pub correction_refund_id: i64,
    /// None for a recurring card charge's refund.
    pub shop_order_id: Option<i64>,
    pub payu_order_id: String,
    pub amount: i64,
    pub description: String,
    /// `to_send` → `requested` (PayU took it) → `finalized` or `canceled` (PayU's notification);
    /// `refused` when PayU would not take it at all.
    pub state: PayuRefundState,
    pub payu_refund_id: Option<String>,
    pub failure: Option<String>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payu_refunds)]
pub struct NewPayuRefund {
    pub correction_refund_id: i64,
    /// None for a recurring card charge's refund.
    pub shop_order_id: Option<i64>,
    pub payu_order_id: String,
    pub amount: i64,
    pub description: String,
    pub state: PayuRefundState,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_payu(conn: &mut DbConn, refund: &NewPayuRefund) -> QueryResult<i64> {
    diesel::insert_into(payu_refunds::table)
        .values(refund)
        .returning(payu_refunds::id)
        .get_result(conn)
}

pub fn find_payu(conn: &mut DbConn, id: i64) -> QueryResult<Option<PayuRefund>> {
    payu_refunds::table.find(id).get_result(conn).optional()
}

/// The PayU refund standing for a correction's refund, if the money goes back through PayU.
pub fn payu_of(conn: &mut DbConn, correction_refund_id: i64) -> QueryResult<Option<PayuRefund>> {
    payu_refunds::table
        .filter(payu_refunds::correction_refund_id.eq(correction_refund_id))
        .get_result(conn)
        .optional()
}

/// PayU refunds still to hand to PayU, oldest first.
pub fn payu_to_send(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<PayuRefund>> {
    payu_refunds::table
        .filter(payu_refunds::state.eq(PayuRefundState::ToSend))
        .order(payu_refunds::id.asc())
        .limit(limit)
        .load(conn)
}

/// The refunds of a shop order, oldest first.
pub fn payu_of_order(conn: &mut DbConn, shop_order_id: i64) -> QueryResult<Vec<PayuRefund>> {
    payu_refunds::table
        .filter(payu_refunds::shop_order_id.eq(shop_order_id))
        .order(payu_refunds::id.asc())
        .load(conn)
}

/// Moves a PayU refund `from` → `to` (with PayU's refund id or why it failed); false when it
/// was no longer `from`, so two senders or two notifications move it once.
pub fn move_payu(
    conn: &mut DbConn,
    id: i64,
    from: &[PayuRefundState],
    to: PayuRefundState,
    payu_refund_id: Option<&str>,
    failure: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        payu_refunds::table
            .find(id)
            .filter(payu_refunds::state.eq_any(from)),
    )
    .set((
        payu_refunds::state.eq(to),
        payu_refunds::payu_refund_id.eq(payu_refund_id),
        payu_refunds::failure.eq(failure),
        payu_refunds::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Counts a failed attempt to reach PayU (the refund stays `to_send` for the next pass).
pub fn note_payu_attempt(
    conn: &mut DbConn,
    id: i64,
    failure: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(payu_refunds::table.find(id))
        .set((
            payu_refunds::attempts.eq(payu_refunds::attempts + 1),
            payu_refunds::failure.eq(Some(failure)),
            payu_refunds::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The PayU refund PayU's notification names: by our extRefundId (`ebok-refund-{id}`) or by
/// PayU's refund id.
pub fn payu_for_notification(
    conn: &mut DbConn,
    ext_refund_id: Option<&str>,
    payu_refund_id: &str,
) -> QueryResult<Option<PayuRefund>> {
    if let Some(id) = ext_refund_id
        .and_then(|ext| ext.strip_prefix(PAYU_EXT_PREFIX))
        .and_then(|id| id.parse::<i64>().ok())
        && let Some(found) = find_payu(conn, id)?
    {
        return Ok(Some(found));
    }
    payu_refunds::table
        .filter(payu_refunds::payu_refund_id.eq(payu_refund_id))
        .get_result(conn)
        .optional()
}

/// How our refunds are named to PayU: `extRefundId` = prefix + `payu_refunds.id`, so a second
/// request for the same refund is refused by PayU instead of paid twice.
pub const PAYU_EXT_PREFIX: &str = "ebok-refund-";
