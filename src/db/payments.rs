//! Payments received and their allocation to invoices.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{payment_allocations, payments};

/// A row of `payments`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Payment {
    pub id: i64,
    pub customer_id: CustomerId,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub method: String,
    pub source: String,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub match_reason: Option<String>,
    pub reversed_at: Option<NaiveDateTime>,
    pub reversed_by_staff_id: Option<i64>,
    pub reversal_reason: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payments, treat_none_as_default_value = false)]
pub struct NewPayment {
    pub customer_id: CustomerId,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub method: String,
    pub source: String,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub match_reason: Option<String>,
}

/// A row of `payment_allocations`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct PaymentAllocation {
    pub id: i64,
    pub payment_id: i64,
    pub invoice_id: InvoiceId,
    pub amount: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_allocations, treat_none_as_default_value = false)]
pub struct NewPaymentAllocation {
    pub payment_id: i64,
    pub invoice_id: InvoiceId,
    pub amount: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, payment: &NewPayment) -> QueryResult<i64> {
    diesel::insert_into(payments::table)
        .values(payment)
        .returning(payments::id)
        .get_result(conn)
}

pub fn insert_allocation(conn: &mut DbConn, allocation: &NewPaymentAllocation) -> QueryResult<i64> {
    diesel::insert_into(payment_allocations::table)
        .values(allocation)
        .returning(payment_allocations::id)
        .get_result(conn)
}

/// Inserts many payments at once; answers (id, title) of each.
pub fn insert_many(
    conn: &mut DbConn,
    rows: &[NewPayment],
) -> QueryResult<Vec<(i64, Option<String>)>> {
    Ok(insert_batches!(
        conn,
        payments::table,
        rows,
        returning(payments::id, payments::title)
    ))
}

pub fn insert_allocations(conn: &mut DbConn, rows: &[NewPaymentAllocation]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, payment_allocations::table, rows))
}

/// The customer's payments that count (not reversed), newest first.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Payment>> {
    concrete!(conn, |c| {
        payments::table
            .filter(payments::customer_id.eq(customer_id))
            .filter(payments::reversed_at.is_null())
            .order((payments::received_on.desc(), payments::id.desc()))
            .load(c)
    })
}

/// Every payment of the customer, reversed ones too (staff see the whole history), newest first.
pub fn history_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::customer_id.eq(customer_id))
        .order((payments::received_on.desc(), payments::id.desc()))
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Payment>> {
    payments::table.find(id).get_result(conn).optional()
}

/// The most recently recorded payments of all customers, with the customer's number.
pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<(Payment, i64)>> {
    use super::schema::customers;
    payments::table
        .inner_join(customers::table)
        .order((payments::created_at.desc(), payments::id.desc()))
        .limit(limit)
        .select((payments::all_columns, customers::customer_number))
        .load(conn)
}

/// (payment id, received on, amount, allocated so far) of the customer's payments that count,
/// oldest first: what is not allocated yet is credit. Sums in Rust (see `balances_of_customer`).
pub fn allocation_state_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, NaiveDate, i64, i64)>> {
    let active: Vec<(i64, NaiveDate, i64)> = payments::table
        .filter(payments::customer_id.eq(customer_id))
        .filter(payments::reversed_at.is_null())
        .order((payments::received_on, payments::id))
        .select((payments::id, payments::received_on, payments::amount))
        .load(conn)?;
    let allocated: Vec<(i64, i64)> = payment_allocations::table
        .inner_join(payments::table)
        .filter(payments::customer_id.eq(customer_id))
        .select((payment_allocations::payment_id, payment_allocations::amount))
        .load(conn)?;
    // What paid interest notes is spent too: it is not credit.
    let on_notes = super::interest_notes::by_payment_of_customer(conn, customer_id)?;
    let mut by_payment = std::collections::HashMap::<i64, i64>::new();
    for (payment_id, amount) in allocated.into_iter().chain(on_notes) {
        *by_payment.entry(payment_id).or_default() += amount;
    }
    Ok(active
        .into_iter()
        .map(|(id, on, amount)| (id, on, amount, by_payment.get(&id).copied().unwrap_or(0)))
        .collect())
}

/// Which of `customer_ids` have money paid but not yet allocated (credit that a new invoice
/// would use up). Two queries for a whole billing chunk instead of two per customer.
pub fn customers_with_credit(
    conn: &mut DbConn,
    customer_ids: &[CustomerId],
) -> QueryResult<std::collections::HashSet<CustomerId>> {
    let paid: Vec<(i64, CustomerId, i64)> = payments::table
        .filter(payments::customer_id.eq_any(customer_ids))
        .filter(payments::reversed_at.is_null())
        .select((payments::id, payments::customer_id, payments::amount))
        .load(conn)?;
    let allocated: Vec<(i64, i64)> = payment_allocations::table
        .inner_join(payments::table)
        .filter(payments::customer_id.eq_any(customer_ids))
        .select((payment_allocations::payment_id, payment_allocations::amount))
        .load(conn)?;
    let mut free = std::collections::HashMap::<i64, i64>::new();
    for (payment_id, amount) in allocated {
        *free.entry(payment_id).or_default() -= amount;
    }
    Ok(paid
        .into_iter()
        .filter(|(id, _, amount)| amount + free.get(id).copied().unwrap_or(0) > 0)
        .map(|(_, customer_id, _)| customer_id)
        .collect())
}

/// Marks a payment reversed, once: false when it already was.
pub fn mark_reversed(
    conn: &mut DbConn,
    id: i64,
    staff_id: Option<i64>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        payments::table
            .find(id)
            .filter(payments::reversed_at.is_null()),
    )
    .set((
        payments::reversed_at.eq(Some(now)),
        payments::reversed_by_staff_id.eq(staff_id),
        payments::reversal_reason.eq(Some(reason)),
        // The idempotency key moves back to the bank transaction alone, so the same money
        // can be booked again for the right customer.
        payments::bank_reference.eq(None::<String>),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// (payment, amount allocated to this invoice) for one invoice of the customer.
pub fn allocations_to_invoice(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
) -> QueryResult<Vec<(Payment, i64)>> {
    payment_allocations::table
        .inner_join(payments::table)
        .filter(payment_allocations::invoice_id.eq(invoice_id))
        .filter(payments::reversed_at.is_null())
        .filter(payments::customer_id.eq(customer_id))
        .order(payments::received_on)
        .select((payments::all_columns, payment_allocations::amount))
        .load(conn)
}

/// (payment id, invoice number, amount) of every allocation of the customer's payments.
pub fn allocations_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, Option<String>, i64)>> {
    use super::schema::invoices;
    payment_allocations::table
        .inner_join(payments::table)
        .inner_join(invoices::table)
        .filter(payments::customer_id.eq(customer_id))
        .select((
            payment_allocations::payment_id,
            invoices::number,
            payment_allocations::amount,
        ))
        .load(conn)
}

/// Adds to the allocation of a payment to an invoice (a payment's remainder can reach an invoice
/// it already partly paid, after another payment to it was reversed).
pub fn add_allocation(
    conn: &mut DbConn,
    payment_id: i64,
    invoice_id: InvoiceId,
    amount: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(
        payment_allocations::table
            .filter(payment_allocations::payment_id.eq(payment_id))
            .filter(payment_allocations::invoice_id.eq(invoice_id)),
    )
    .set(payment_allocations::amount.eq(payment_allocations::amount + amount))
    .execute(conn)?;
    if updated == 0 {
        insert_allocation(
            conn,
            &NewPaymentAllocation {
                payment_id,
                invoice_id,
                amount,
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// Removes every allocation of the customer's payments (to invoices and to interest notes), so
/// they can be laid out afresh: invoices first, then notes.
pub fn delete_allocations_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<usize> {
    super::interest_notes::delete_allocations_of_customer(conn, customer_id)?;
    let ids = payments::table
        .filter(payments::customer_id.eq(customer_id))
        .select(payments::id);
    diesel::delete(payment_allocations::table.filter(payment_allocations::payment_id.eq_any(ids)))
        .execute(conn)
}
