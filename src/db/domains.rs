//! Internet domains a customer holds through the ISP.

use crate::domain::CustomerId;
use crate::domain::DomainStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::domains;

/// A row of `domains`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Domain {
    pub id: i64,
    pub customer_id: CustomerId,
    pub name: String,
    pub status: DomainStatus,
    pub registered_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub auto_renew: bool,
    pub renewal_price: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = domains, treat_none_as_default_value = false)]
pub struct NewDomain {
    pub customer_id: CustomerId,
    pub name: String,
    pub status: DomainStatus,
    pub registered_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub auto_renew: bool,
    pub renewal_price: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, domain: &NewDomain) -> QueryResult<i64> {
    diesel::insert_into(domains::table)
        .values(domain)
        .returning(domains::id)
        .get_result(conn)
}

pub fn insert_many(conn: &mut DbConn, rows: &[NewDomain]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, domains::table, rows))
}

/// The customer's domains, soonest expiry first.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Domain>> {
    concrete!(conn, |c| {
        domains::table
            .filter(domains::customer_id.eq(customer_id))
            .order((domains::expires_on.asc(), domains::name.asc()))
            .load(c)
    })
}

/// Turns renewal on or off; 0 rows when the domain is not the customer's.
pub fn set_auto_renew(
    conn: &mut DbConn,
    customer_id: CustomerId,
    domain_id: i64,
    auto_renew: bool,
) -> QueryResult<usize> {
    diesel::update(
        domains::table
            .filter(domains::id.eq(domain_id))
            .filter(domains::customer_id.eq(customer_id)),
    )
    .set(domains::auto_renew.eq(auto_renew))
    .execute(conn)
}
