//! Staff edits of contracts, services and endpoints (IP, MAC, PPPoE), and the uniqueness checks
//! that give a field message before the UNIQUE constraint would fail the transaction.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{ContractStatus, ServiceKind, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{contracts, endpoints, services};
use super::services::{Endpoint, Service};

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = contracts, treat_none_as_null = true)]
pub struct ContractChanges {
    pub number: String,
    pub tariff_id: i64,
    pub signed_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub term_months: Option<i32>,
    pub after_term: String,
    pub monthly_fee: i64,
    pub billing_day: i32,
    pub install_address_line: String,
    pub install_postal_code: String,
    pub install_city: String,
    pub status: ContractStatus,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = services, treat_none_as_null = true)]
pub struct ServiceChanges {
    pub contract_id: Option<ContractId>,
    pub kind: ServiceKind,
    pub name: String,
    pub status: ServiceStatus,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub monthly_fee: i64,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = endpoints, treat_none_as_null = true)]
pub struct EndpointChanges {
    pub ipv4: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    pub pppoe_password: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub access_enabled: bool,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update_contract(
    conn: &mut DbConn,
    id: ContractId,
    changes: &ContractChanges,
) -> QueryResult<bool> {
    diesel::update(contracts::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn update_service(conn: &mut DbConn, id: i64, changes: &ServiceChanges) -> QueryResult<bool> {
    diesel::update(services::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn update_endpoint(conn: &mut DbConn, id: i64, changes: &EndpointChanges) -> QueryResult<bool> {
    diesel::update(endpoints::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

/// The contract, if it belongs to `customer_id` (staff URLs carry both, and a mismatch is a 404).
pub fn contract_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: ContractId,
) -> QueryResult<Option<super::contracts::Contract>> {
    contracts::table
        .filter(contracts::id.eq(id))
        .filter(contracts::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

pub fn service_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Service>> {
    services::table
        .filter(services::id.eq(id))
        .filter(services::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

pub fn endpoint_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Endpoint>> {
    endpoints::table
        .inner_join(services::table)
        .filter(endpoints::id.eq(id))
        .filter(services::customer_id.eq(customer_id))
        .select(endpoints::all_columns)
        .get_result(conn)
        .optional()
}

pub fn contract_number_taken(
    conn: &mut DbConn,
    number: &str,
    except: Option<ContractId>,
) -> QueryResult<bool> {
    let mut query = contracts::table
        .filter(contracts::number.eq(number))
        .select(contracts::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(contracts::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

pub fn ipv4_taken(conn: &mut DbConn, ip: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut query = endpoints::table
        .filter(endpoints::ipv4.eq(ip))
        .select(endpoints::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(endpoints::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

pub fn pppoe_login_taken(conn: &mut DbConn, login: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut query = endpoints::table
        .filter(endpoints::pppoe_login.eq(login))
        .select(endpoints::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(endpoints::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

/// The customer's services, newest first.
pub fn services_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<Service>> {
    services::table
        .filter(services::customer_id.eq(customer_id))
        .order((services::activated_on.desc(), services::id.desc()))
        .load(conn)
}

/// The endpoints of the customer's services.
pub fn endpoints_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<Endpoint>> {
    endpoints::table
        .inner_join(services::table)
        .filter(services::customer_id.eq(customer_id))
        .select(endpoints::all_columns)
        .order(endpoints::id)
        .load(conn)
}
