//! Top-up packages, the packages customers bought, and credit that lapses. A lapse is written
//! once, by a conditional update on `expired_amount IS NULL`, so two instances (the job and an
//! invoice being issued) never record it twice.

use crate::domain::CustomerId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{expiring_credits, top_up_packages, top_ups};

/// A row of `top_up_packages`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct TopUpPackage {
    pub id: i64,
    pub name: String,
    pub price: i64,
    pub value: i64,
    pub validity_days: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = top_up_packages)]
pub struct NewTopUpPackage {
    pub name: String,
    pub price: i64,
    pub value: i64,
    pub validity_days: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A row of `top_ups`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct TopUp {
    pub id: i64,
    pub online_payment_id: i64,
    pub customer_id: CustomerId,
    pub package_id: i64,
    pub name: String,
    pub price: i64,
    pub value: i64,
    pub validity_days: i32,
    pub payment_id: Option<i64>,
    pub bonus_payment_id: Option<i64>,
    pub expires_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = top_ups)]
pub struct NewTopUp {
    pub online_payment_id: i64,
    pub customer_id: CustomerId,
    pub package_id: i64,
    pub name: String,
    pub price: i64,
    pub value: i64,
    pub validity_days: i32,
    pub created_at: NaiveDateTime,
}

/// A row of `expiring_credits`.
#[derive(Debug, Clone, Copy, Queryable, serde::Serialize)]
pub struct ExpiringCredit {
    pub payment_id: i64,
    pub customer_id: CustomerId,
    pub expires_on: NaiveDate,
    pub expired_amount: Option<i64>,
    pub expired_at: Option<NaiveDateTime>,
}

pub fn insert_package(conn: &mut DbConn, package: &NewTopUpPackage) -> QueryResult<i64> {
    diesel::insert_into(top_up_packages::table)
        .values(package)
        .returning(top_up_packages::id)
        .get_result(conn)
}

/// Every package, the ones on sale first, cheapest first.
pub fn all_packages(conn: &mut DbConn) -> QueryResult<Vec<TopUpPackage>> {
    top_up_packages::table
        .order((
            top_up_packages::active.desc(),
            top_up_packages::price,
            top_up_packages::id,
        ))
        .load(conn)
}

/// The packages on sale, cheapest first.
pub fn active_packages(conn: &mut DbConn) -> QueryResult<Vec<TopUpPackage>> {
    top_up_packages::table
        .filter(top_up_packages::active.eq(true))
        .order((top_up_packages::price, top_up_packages::id))
        .load(conn)
}

pub fn find_package(conn: &mut DbConn, id: i64) -> QueryResult<Option<TopUpPackage>> {
    top_up_packages::table.find(id).get_result(conn).optional()
}

/// Puts a package on sale or takes it off; false when there is no such package.
pub fn set_package_active(
    conn: &mut DbConn,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(top_up_packages::table.find(id))
        .set((
            top_up_packages::active.eq(active),
            top_up_packages::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn insert_top_up(conn: &mut DbConn, top_up: &NewTopUp) -> QueryResult<i64> {
    diesel::insert_into(top_ups::table)
        .values(top_up)
        .returning(top_ups::id)
        .get_result(conn)
}

pub fn of_order(conn: &mut DbConn, online_payment_id: i64) -> QueryResult<Option<TopUp>> {
    top_ups::table
        .filter(top_ups::online_payment_id.eq(online_payment_id))
        .first(conn)
        .optional()
}

/// The customer's paid top-ups, newest first.
pub fn credited_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<TopUp>> {
    top_ups::table
        .filter(top_ups::customer_id.eq(customer_id))
        .filter(top_ups::payment_id.is_not_null())
        .order((top_ups::created_at.desc(), top_ups::id.desc()))
        .load(conn)
}

/// Records the payments a paid top-up booked, once: false when it was recorded already.
pub fn record_credited(
    conn: &mut DbConn,
    id: i64,
    payment_id: i64,
    bonus_payment_id: Option<i64>,
    expires_on: NaiveDate,
) -> QueryResult<bool> {
    diesel::update(
        top_ups::table
            .filter(top_ups::id.eq(id))
            .filter(top_ups::payment_id.is_null()),
    )
    .set((
        top_ups::payment_id.eq(payment_id),
        top_ups::bonus_payment_id.eq(bonus_payment_id),
        top_ups::expires_on.eq(expires_on),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn insert_expiring(
    conn: &mut DbConn,
    payment_id: i64,
    customer_id: CustomerId,
    expires_on: NaiveDate,
) -> QueryResult<usize> {
    diesel::insert_into(expiring_credits::table)
        .values((
            expiring_credits::payment_id.eq(payment_id),
            expiring_credits::customer_id.eq(customer_id),
            expiring_credits::expires_on.eq(expires_on),
        ))
        .execute(conn)
}

/// The customer's lapsing credit, lapsed or not.
pub fn expiring_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<ExpiringCredit>> {
    expiring_credits::table
        .filter(expiring_credits::customer_id.eq(customer_id))
        .order((expiring_credits::expires_on, expiring_credits::payment_id))
        .load(conn)
}

/// Records that a payment's unused `amount` lapsed; false when that was recorded already.
pub fn mark_expired(
    conn: &mut DbConn,
    payment_id: i64,
    amount: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        expiring_credits::table
            .filter(expiring_credits::payment_id.eq(payment_id))
            .filter(expiring_credits::expired_amount.is_null()),
    )
    .set((
        expiring_credits::expired_amount.eq(amount),
        expiring_credits::expired_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Customers with credit whose last day was before `today` and whose lapse is not recorded.
pub fn customers_with_lapsed_credit(
    conn: &mut DbConn,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<CustomerId>> {
    expiring_credits::table
        .filter(expiring_credits::expires_on.lt(today))
        .filter(expiring_credits::expired_amount.is_null())
        .select(expiring_credits::customer_id)
        .distinct()
        .order(expiring_credits::customer_id)
        .limit(limit)
        .load(conn)
}

/// Grosze of the customer's credit recorded as lapsed.
pub fn expired_total_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<i64> {
    let amounts: Vec<Option<i64>> = expiring_credits::table
        .filter(expiring_credits::customer_id.eq(customer_id))
        .filter(expiring_credits::expired_amount.is_not_null())
        .select(expiring_credits::expired_amount)
        .load(conn)?;
    Ok(amounts.into_iter().flatten().sum())
}
