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
