//! Contracts between the ISP and a customer.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{ContractStatus, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{contracts, customers, tariffs};
use super::tariffs::Tariff;

/// A row of `contracts`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Contract {
    pub id: ContractId,
    pub customer_id: CustomerId,
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contracts, treat_none_as_default_value = false)]
pub struct NewContract {
    pub customer_id: CustomerId,
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, contract: &NewContract) -> QueryResult<ContractId> {
    diesel::insert_into(contracts::table)
        .values(contract)
        .returning(contracts::id)
        .get_result(conn)
}

/// Inserts many contracts at once; answers (id, customer id) of each.
pub fn insert_many(
    conn: &mut DbConn,
    rows: &[NewContract],
) -> QueryResult<Vec<(ContractId, CustomerId)>> {
    Ok(insert_batches!(
        conn,
        contracts::table,
        rows,
        returning(contracts::id, contracts::customer_id)
    ))
}

/// Contract numbers are stored normalised (see `domain::ContractNumber`).
pub fn find_by_number(conn: &mut DbConn, number: &str) -> QueryResult<Option<Contract>> {
    contracts::table
        .filter(contracts::number.eq(number))
        .get_result(conn)
        .optional()
}

/// The contract with its holder, as registration checks them.
pub fn find_with_holder(
    conn: &mut DbConn,
    number: &str,
) -> QueryResult<Option<(Contract, Customer)>> {
    contracts::table
        .inner_join(customers::table)
        .filter(contracts::number.eq(number))
        .get_result(conn)
        .optional()
}

/// The customer's contracts with their tariffs, newest first.
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(Contract, Tariff)>> {
    concrete!(conn, |c| {
        contracts::table
            .inner_join(tariffs::table)
            .filter(contracts::customer_id.eq(customer_id))
            .order(contracts::signed_on.desc())
            .load(c)
    })
}

/// One contract with its tariff, only if it is the customer's.
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    contract_id: ContractId,
) -> QueryResult<Option<(Contract, Tariff)>> {
    contracts::table
        .inner_join(tariffs::table)
        .filter(contracts::id.eq(contract_id))
        .filter(contracts::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// Towns where the customer has a connection (installation addresses), for area-targeted news.
pub fn areas_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<String>> {
    contracts::table
        .filter(contracts::customer_id.eq(customer_id))
        .select(contracts::install_city)
        .distinct()
        .load(conn)
}

/// A contract by id (staff work: not scoped to a customer).
pub fn find(conn: &mut DbConn, id: ContractId) -> QueryResult<Option<Contract>> {
    contracts::table.find(id).first(conn).optional()
}

/// Ends a contract on `last_day` at once (ended by the seller): the contract and its services.
pub fn end_now(
    conn: &mut DbConn,
    id: ContractId,
    last_day: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    use super::schema::services;
    diesel::update(contracts::table.find(id))
        .set((
            contracts::status.eq(ContractStatus::Terminated),
            contracts::ends_on.eq(Some(last_day)),
            contracts::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(services::table.filter(services::contract_id.eq(id)))
        .set((
            services::status.eq(ServiceStatus::Ended),
            services::expires_on.eq(Some(last_day)),
            services::updated_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}
