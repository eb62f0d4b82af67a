//! Services a customer uses, and the endpoints (IP, MAC, PPPoE, address) they reach them by.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{endpoints, services};

/// A row of `services`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Service {
    pub id: i64,
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub monthly_fee: i64,
    pub renewal_price: Option<i64>,
    pub auto_renew: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = services, treat_none_as_default_value = false)]
pub struct NewService {
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub monthly_fee: i64,
    pub renewal_price: Option<i64>,
    pub auto_renew: bool,
    pub created_at: NaiveDateTime,
}

/// A row of `endpoints`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Endpoint {
    pub id: i64,
    pub service_id: i64,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    pub pppoe_password: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub access_enabled: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = endpoints, treat_none_as_default_value = false)]
pub struct NewEndpoint {
    pub service_id: i64,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    pub pppoe_password: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub access_enabled: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, service: &NewService) -> QueryResult<i64> {
    diesel::insert_into(services::table)
        .values(service)
        .returning(services::id)
        .get_result(conn)
}

pub fn insert_endpoint(conn: &mut DbConn, endpoint: &NewEndpoint) -> QueryResult<i64> {
    diesel::insert_into(endpoints::table)
        .values(endpoint)
        .returning(endpoints::id)
        .get_result(conn)
}

/// The IPv4 addresses assigned to the endpoints of a contract's services.
pub fn ipv4_addresses_of_contract(conn: &mut DbConn, contract_id: i64) -> QueryResult<Vec<String>> {
    endpoints::table
        .inner_join(services::table)
        .filter(services::contract_id.eq(contract_id))
        .filter(endpoints::ipv4.is_not_null())
        .select(endpoints::ipv4.assume_not_null())
        .load(conn)
}

pub fn count_active(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    services::table
        .filter(services::customer_id.eq(customer_id))
        .filter(services::status.eq("active"))
        .count()
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Service>> {
    services::table.find(id).first(conn).optional()
}

/// The customer's services, for choosing which one a ticket concerns.
pub fn of_customer(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<Service>> {
    services::table
        .filter(services::customer_id.eq(customer_id))
        .order((
            services::status.asc(),
            services::name.asc(),
            services::id.asc(),
        ))
        .load(conn)
}
