//! Services a customer uses, and the endpoints (IP, MAC, PPPoE, address) they reach them by.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{ServiceKind, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{endpoints, services};

/// A row of `services`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Service {
    pub id: i64,
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub kind: ServiceKind,
    pub name: String,
    pub status: ServiceStatus,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub monthly_fee: i64,
    pub renewal_price: Option<i64>,
    pub auto_renew: bool,
    pub created_at: NaiveDateTime,
    /// Empty until the row is first changed (then `created_at` stands in).
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = services, treat_none_as_default_value = false)]
pub struct NewService {
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub kind: ServiceKind,
    pub name: String,
    pub status: ServiceStatus,
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
    /// Empty until the row is first changed (then `created_at` stands in).
    pub updated_at: Option<NaiveDateTime>,
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

/// Inserts many services at once; answers (id, customer id, kind) of each.
pub fn insert_many(
    conn: &mut DbConn,
    rows: &[NewService],
) -> QueryResult<Vec<(i64, CustomerId, ServiceKind)>> {
    Ok(insert_batches!(
        conn,
        services::table,
        rows,
        returning(services::id, services::customer_id, services::kind)
    ))
}

pub fn insert_endpoints(conn: &mut DbConn, rows: &[NewEndpoint]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, endpoints::table, rows))
}

pub fn insert_endpoint(conn: &mut DbConn, endpoint: &NewEndpoint) -> QueryResult<i64> {
    diesel::insert_into(endpoints::table)
        .values(endpoint)
        .returning(endpoints::id)
        .get_result(conn)
}

/// The IPv4 addresses assigned to the endpoints of a contract's services.
pub fn ipv4_addresses_of_contract(
    conn: &mut DbConn,
    contract_id: ContractId,
) -> QueryResult<Vec<String>> {
    endpoints::table
        .inner_join(services::table)
        .filter(services::contract_id.eq(contract_id))
        .filter(endpoints::ipv4.is_not_null())
        .select(endpoints::ipv4.assume_not_null())
        .load(conn)
}

/// The customer's services, active first, then by name.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Service>> {
    let mut found: Vec<Service> = concrete!(conn, |c| {
        services::table
            .filter(services::customer_id.eq(customer_id))
            .order((services::name.asc(), services::id.asc()))
            .load(c)
    })?;
    found.sort_by_key(|s| s.status != ServiceStatus::Active);
    Ok(found)
}

/// One service, only if it is the customer's.
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: i64,
) -> QueryResult<Option<Service>> {
    services::table
        .filter(services::id.eq(service_id))
        .filter(services::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// The endpoints of the given services (already scoped to one customer by the caller).
pub fn endpoints_of(conn: &mut DbConn, service_ids: &[i64]) -> QueryResult<Vec<Endpoint>> {
    endpoints::table
        .filter(endpoints::service_id.eq_any(service_ids))
        .order(endpoints::id)
        .load(conn)
}

/// Turns renewal on or off; 0 rows when the service is not the customer's or has no expiry.
pub fn set_auto_renew(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: i64,
    auto_renew: bool,
) -> QueryResult<usize> {
    diesel::update(
        services::table
            .filter(services::id.eq(service_id))
            .filter(services::customer_id.eq(customer_id))
            .filter(services::expires_on.is_not_null()),
    )
    .set(services::auto_renew.eq(auto_renew))
    .execute(conn)
}

/// Endpoints whose PPPoE password does not start with `sealed_prefix`: written before
/// passwords were sealed at rest.
pub fn unsealed_pppoe_passwords(
    conn: &mut DbConn,
    sealed_prefix: &str,
) -> QueryResult<Vec<(i64, String)>> {
    endpoints::table
        .filter(endpoints::pppoe_password.is_not_null())
        .filter(endpoints::pppoe_password.not_like(format!("{sealed_prefix}%")))
        .select((endpoints::id, endpoints::pppoe_password.assume_not_null()))
        .load(conn)
}

/// Replaces the stored PPPoE password text if it is still `before`.
pub fn replace_pppoe_password(
    conn: &mut DbConn,
    id: i64,
    before: &str,
    after: &str,
) -> QueryResult<bool> {
    diesel::update(
        endpoints::table
            .find(id)
            .filter(endpoints::pppoe_password.eq(before)),
    )
    .set(endpoints::pppoe_password.eq(after))
    .execute(conn)
    .map(|n| n == 1)
}
