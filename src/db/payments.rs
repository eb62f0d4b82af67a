//! Payments received and their allocation to invoices.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{payment_allocations, payments};

/// A row of `payments`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Payment {
    pub id: i64,
    pub customer_id: i64,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub method: String,
    pub source: String,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payments, treat_none_as_default_value = false)]
pub struct NewPayment {
    pub customer_id: i64,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub method: String,
    pub source: String,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A row of `payment_allocations`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct PaymentAllocation {
    pub id: i64,
    pub payment_id: i64,
    pub invoice_id: i64,
    pub amount: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_allocations, treat_none_as_default_value = false)]
pub struct NewPaymentAllocation {
    pub payment_id: i64,
    pub invoice_id: i64,
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

/// The customer's payments, newest first.
pub fn of_customer(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::customer_id.eq(customer_id))
        .order((payments::received_on.desc(), payments::id.desc()))
        .load(conn)
}

/// (payment, amount allocated to this invoice) for one invoice of the customer.
pub fn allocations_to_invoice(
    conn: &mut DbConn,
    customer_id: i64,
    invoice_id: i64,
) -> QueryResult<Vec<(Payment, i64)>> {
    payment_allocations::table
        .inner_join(payments::table)
        .filter(payment_allocations::invoice_id.eq(invoice_id))
        .filter(payments::customer_id.eq(customer_id))
        .order(payments::received_on)
        .select((payments::all_columns, payment_allocations::amount))
        .load(conn)
}

/// (payment id, invoice number, amount) of every allocation of the customer's payments.
pub fn allocations_of_customer(
    conn: &mut DbConn,
    customer_id: i64,
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

/// The customer's latest payments.
pub fn recent_of_customer(
    conn: &mut DbConn,
    customer_id: i64,
    limit: i64,
) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::customer_id.eq(customer_id))
        .order((payments::received_on.desc(), payments::id.desc()))
        .limit(limit)
        .load(conn)
}

/// Money paid but not yet allocated to any invoice: the customer's credit, in grosze. Summed in
/// Rust (SUM(BIGINT) is NUMERIC on PostgreSQL).
pub fn unallocated_of_customer(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    let paid: Vec<i64> = payments::table
        .filter(payments::customer_id.eq(customer_id))
        .select(payments::amount)
        .load(conn)?;
    let allocated: Vec<i64> = payment_allocations::table
        .inner_join(payments::table)
        .filter(payments::customer_id.eq(customer_id))
        .select(payment_allocations::amount)
        .load(conn)?;
    Ok(paid.iter().sum::<i64>() - allocated.iter().sum::<i64>())
}
