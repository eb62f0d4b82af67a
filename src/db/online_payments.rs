//! Online payment orders (PayU) and the invoices or the interest note each pays. Every change of an order's state is
//! a conditional update on the states it leaves, so a notification processed twice, or by two
//! instances at once, moves an order once: on PostgreSQL the second update waits for the first
//! transaction's row lock and then finds the state gone; SQLite's write lock serialises them.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::online_payment::{OrderState, PaymentPurpose};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{online_payment_invoices, online_payment_notes, online_payments};

/// A row of `online_payments`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct OnlinePayment {
    pub id: i64,
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    pub ext_order_id: String,
    pub payu_order_id: Option<String>,
    pub purpose: PaymentPurpose,
    pub description: String,
    pub total_amount: i64,
    pub currency: String,
    pub state: OrderState,
    pub redirect_uri: Option<String>,
    pub notify_email: String,
    pub language: String,
    pub flag: Option<String>,
    pub payment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub canceled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub flag_resolved_at: Option<NaiveDateTime>,
    pub flag_resolved_by_staff_id: Option<i64>,
    pub flag_resolution: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = online_payments, treat_none_as_default_value = false)]
pub struct NewOnlinePayment {
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    pub ext_order_id: String,
    pub purpose: PaymentPurpose,
    pub description: String,
    pub total_amount: i64,
    pub currency: String,
    pub state: OrderState,
    pub notify_email: String,
    pub language: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    order: &NewOnlinePayment,
    invoices: &[(InvoiceId, i64)],
) -> QueryResult<i64> {
    let id = diesel::insert_into(online_payments::table)
        .values(order)
        .returning(online_payments::id)
        .get_result(conn)?;
    for (invoice_id, amount) in invoices {
        diesel::insert_into(online_payment_invoices::table)
            .values((
                online_payment_invoices::online_payment_id.eq(id),
                online_payment_invoices::invoice_id.eq(invoice_id),
                online_payment_invoices::amount.eq(amount),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The customer's own order; another customer's id finds nothing.
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<OnlinePayment>> {
    online_payments::table
        .filter(online_payments::id.eq(id))
        .filter(online_payments::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// The order PayU's notification names: by PayU's id, else by our `extOrderId`.
pub fn find_for_notification(
    conn: &mut DbConn,
    payu_order_id: &str,
    ext_order_id: Option<&str>,
) -> QueryResult<Option<OnlinePayment>> {
    let by_payu = online_payments::table
        .filter(online_payments::payu_order_id.eq(payu_order_id))
        .get_result(conn)
        .optional()?;
    match (by_payu, ext_order_id) {
        (Some(order), _) => Ok(Some(order)),
        (None, Some(ext)) => online_payments::table
            .filter(online_payments::ext_order_id.eq(ext))
            .get_result(conn)
            .optional(),
        (None, None) => Ok(None),
    }
}

/// (invoice id, amount) the order pays.
pub fn invoices_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<(InvoiceId, i64)>> {
    online_payment_invoices::table
        .filter(online_payment_invoices::online_payment_id.eq(id))
        .order(online_payment_invoices::invoice_id)
        .select((
            online_payment_invoices::invoice_id,
            online_payment_invoices::amount,
        ))
        .load(conn)
}

/// Records the interest note an order pays and the grosze it puts on it.
pub fn insert_note_line(conn: &mut DbConn, id: i64, note_id: i64, amount: i64) -> QueryResult<()> {
    diesel::insert_into(online_payment_notes::table)
        .values((
            online_payment_notes::online_payment_id.eq(id),
            online_payment_notes::note_id.eq(note_id),
            online_payment_notes::amount.eq(amount),
        ))
        .execute(conn)
        .map(|_| ())
}

/// (note id, amount) the order pays.
pub fn notes_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<(i64, i64)>> {
    online_payment_notes::table
        .filter(online_payment_notes::online_payment_id.eq(id))
        .order(online_payment_notes::note_id)
        .select((online_payment_notes::note_id, online_payment_notes::amount))
        .load(conn)
}

/// (ledger payment id, note id, amount) of the customer's paid orders for interest notes: the
/// money each payment was meant to put on its note.
pub fn note_earmarks_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(Option<i64>, i64, i64)> = online_payment_notes::table
        .inner_join(online_payments::table)
        .filter(online_payments::customer_id.eq(customer_id))
        .filter(online_payments::payment_id.is_not_null())
        .order((online_payments::payment_id, online_payment_notes::note_id))
        .select((
            online_payments::payment_id,
            online_payment_notes::note_id,
            online_payment_notes::amount,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(payment_id, note_id, amount)| Some((payment_id?, note_id, amount)))
        .collect())
}

/// The customer's open orders placed after `since` (a double click finds the first one).
pub fn open_of_customer_since(
    conn: &mut DbConn,
    customer_id: CustomerId,
    since: NaiveDateTime,
) -> QueryResult<Vec<OnlinePayment>> {
    online_payments::table
        .filter(online_payments::customer_id.eq(customer_id))
        .filter(online_payments::state.eq_any(OrderState::OPEN))
        .filter(online_payments::created_at.ge(since))
        .filter(online_payments::payu_order_id.is_not_null())
        .order(online_payments::id.desc())
        .load(conn)
}

/// PayU took the order: its id and the payment page.
pub fn record_placed(
    conn: &mut DbConn,
    id: i64,
    payu_order_id: &str,
    redirect_uri: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::payu_order_id.is_null()),
    )
    .set((
        online_payments::payu_order_id.eq(Some(payu_order_id)),
        online_payments::redirect_uri.eq(Some(redirect_uri)),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// `new` → `pending`.
pub fn mark_pending(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::state.eq(OrderState::New)),
    )
    .set((
        online_payments::state.eq(OrderState::Pending),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// `new`/`pending` → `completed`, once, and only for an order not flagged for staff. True: this
/// caller won and must book the payment in the same transaction.
pub fn claim_completion(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::state.eq_any(OrderState::OPEN))
            .filter(online_payments::flag.is_null()),
    )
    .set((
        online_payments::state.eq(OrderState::Completed),
        online_payments::completed_at.eq(Some(now)),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn attach_payment(conn: &mut DbConn, id: i64, payment_id: i64) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::payment_id.is_null()),
    )
    .set(online_payments::payment_id.eq(Some(payment_id)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// `new`/`pending` → `canceled` with why; false when it was final already.
pub fn cancel(conn: &mut DbConn, id: i64, reason: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::state.eq_any(OrderState::OPEN)),
    )
    .set((
        online_payments::state.eq(OrderState::Canceled),
        online_payments::cancel_reason.eq(Some(reason)),
        online_payments::canceled_at.eq(Some(now)),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// An order the expiry job cancelled at PayU whose CANCELED notification got here first: it
/// counts as expired, once (the job tells the subscriber when this returns true).
pub fn relabel_as_expired(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::state.eq(OrderState::Canceled))
            .filter(online_payments::cancel_reason.eq("payu")),
    )
    .set((
        online_payments::cancel_reason.eq(Some("expired")),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Flags the order for staff, keeping the first reason.
pub fn flag(conn: &mut DbConn, id: i64, reason: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::flag.is_null()),
    )
    .set((
        online_payments::flag.eq(Some(reason)),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Open orders whose time ran out at `now`, oldest first.
pub fn expired_ids(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    online_payments::table
        .filter(online_payments::state.eq_any(OrderState::OPEN))
        .filter(online_payments::expires_at.le(now))
        .order(online_payments::expires_at)
        .select(online_payments::id)
        .limit(limit)
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OnlinePayment>> {
    online_payments::table.find(id).get_result(conn).optional()
}

/// The newest orders of all customers with the customer's number, for staff.
pub fn recent_with_customer(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<(OnlinePayment, i64)>> {
    use super::schema::customers;
    online_payments::table
        .inner_join(customers::table)
        .order((
            online_payments::created_at.desc(),
            online_payments::id.desc(),
        ))
        .limit(limit)
        .select((online_payments::all_columns, customers::customer_number))
        .load(conn)
}

/// Flagged orders staff have not resolved yet, oldest first, with the customer's number.
pub fn flagged_unresolved(conn: &mut DbConn) -> QueryResult<Vec<(OnlinePayment, i64)>> {
    use super::schema::customers;
    online_payments::table
        .inner_join(customers::table)
        .filter(online_payments::flag.is_not_null())
        .filter(online_payments::flag_resolved_at.is_null())
        .order((online_payments::updated_at, online_payments::id))
        .select((online_payments::all_columns, customers::customer_number))
        .load(conn)
}

/// Records staff's resolution of a flagged order, once: false when the order is not flagged
/// or was resolved already.
pub fn resolve_flag(
    conn: &mut DbConn,
    id: i64,
    staff_id: Option<i64>,
    resolution: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        online_payments::table
            .filter(online_payments::id.eq(id))
            .filter(online_payments::flag.is_not_null())
            .filter(online_payments::flag_resolved_at.is_null()),
    )
    .set((
        online_payments::flag_resolved_at.eq(Some(now)),
        online_payments::flag_resolved_by_staff_id.eq(staff_id),
        online_payments::flag_resolution.eq(Some(resolution)),
        online_payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}
