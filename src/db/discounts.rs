//! Discounts by eligibility ("ulgi"): the types staff define and subscribers' applications with
//! their proofs; the per-service discounts staff manage (`service_discounts`).

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::discounts::ApplicationStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::billing::{NewServiceDiscount, ServiceDiscount};
use super::schema::{
    contracts, customers, discount_applications, discount_types, service_discounts, services,
};

/// A row of `discount_types`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct DiscountType {
    pub id: i64,
    pub name: String,
    pub who_qualifies: String,
    pub proof_required: String,
    pub kind: String,
    pub value: i64,
    pub tariff_id: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = discount_types, treat_none_as_default_value = false)]
pub struct NewDiscountType {
    pub name: String,
    pub who_qualifies: String,
    pub proof_required: String,
    pub kind: String,
    pub value: i64,
    pub tariff_id: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A row of `discount_applications`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub discount_type_id: i64,
    pub status: ApplicationStatus,
    pub proof_file_name: String,
    pub proof_content_type: String,
    pub proof_size_bytes: i64,
    #[serde(skip)]
    pub proof_sha256: String,
    /// Relative to the attachments directory.
    #[serde(skip)]
    pub proof_storage_path: String,
    pub proof_valid_until: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub decided_by_staff_id: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub refusal_reason: Option<String>,
    pub expiry_notice_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = discount_applications, treat_none_as_default_value = false)]
pub struct NewApplication {
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub discount_type_id: i64,
    pub status: ApplicationStatus,
    pub proof_file_name: String,
    pub proof_content_type: String,
    pub proof_size_bytes: i64,
    pub proof_sha256: String,
    pub proof_storage_path: String,
    pub proof_valid_until: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

pub fn insert_type(conn: &mut DbConn, row: &NewDiscountType) -> QueryResult<i64> {
    diesel::insert_into(discount_types::table)
        .values(row)
        .returning(discount_types::id)
        .get_result(conn)
}

/// Every type, those offered first, then by name.
pub fn all_types(conn: &mut DbConn) -> QueryResult<Vec<DiscountType>> {
    discount_types::table
        .order((discount_types::active.desc(), discount_types::name))
        .load(conn)
}

pub fn find_type(conn: &mut DbConn, id: i64) -> QueryResult<Option<DiscountType>> {
    discount_types::table.find(id).get_result(conn).optional()
}

pub fn set_type_active(
    conn: &mut DbConn,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(discount_types::table.find(id))
        .set((
            discount_types::active.eq(active),
            discount_types::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn insert_application(conn: &mut DbConn, row: &NewApplication) -> QueryResult<i64> {
    diesel::insert_into(discount_applications::table)
        .values(row)
        .returning(discount_applications::id)
        .get_result(conn)
}

pub fn find_application(conn: &mut DbConn, id: i64) -> QueryResult<Option<Application>> {
    discount_applications::table
        .find(id)
        .get_result(conn)
        .optional()
}

/// The customer's applications, newest first.
pub fn applications_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(Application, DiscountType)>> {
    discount_applications::table
        .inner_join(discount_types::table)
        .filter(discount_applications::customer_id.eq(customer_id))
        .order(discount_applications::id.desc())
        .load(conn)
}

/// Applications of a status with their type and the contract's number, oldest first.
pub fn applications_with_status(
    conn: &mut DbConn,
    statuses: &[ApplicationStatus],
    limit: i64,
) -> QueryResult<Vec<(Application, DiscountType, String)>> {
    discount_applications::table
        .inner_join(discount_types::table)
        .inner_join(contracts::table)
        .filter(discount_applications::status.eq_any(statuses))
        .order(discount_applications::id.desc())
        .limit(limit)
        .select((
            discount_applications::all_columns,
            discount_types::all_columns,
            contracts::number,
        ))
        .load(conn)
}

/// Approved applications of these contracts (the billing run's and the pages' read).
pub fn approved_of_contracts(
    conn: &mut DbConn,
    contract_ids: &[ContractId],
) -> QueryResult<Vec<(Application, DiscountType)>> {
    discount_applications::table
        .inner_join(discount_types::table)
        .filter(discount_applications::contract_id.eq_any(contract_ids))
        .filter(discount_applications::status.eq(ApplicationStatus::Approved))
        .order(discount_applications::id)
        .load(conn)
}

/// Decides a pending application (only while it is pending): true when this call decided it.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    status: ApplicationStatus,
    staff_id: i64,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        discount_applications::table
            .find(id)
            .filter(discount_applications::status.eq(ApplicationStatus::Pending)),
    )
    .set((
        discount_applications::status.eq(status),
        discount_applications::decided_by_staff_id.eq(Some(staff_id)),
        discount_applications::decided_at.eq(Some(now)),
        discount_applications::starts_on.eq(starts_on),
        discount_applications::ends_on.eq(ends_on),
        discount_applications::refusal_reason.eq(reason),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends the other approved discounts of the contract on `last_day`, or marks one ended when it
/// had not begun by then (another discount replaces it: they never stack).
pub fn end_other_approved(
    conn: &mut DbConn,
    contract_id: ContractId,
    except_id: i64,
    last_day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let others = || {
        discount_applications::table
            .filter(discount_applications::contract_id.eq(contract_id))
            .filter(discount_applications::id.ne(except_id))
            .filter(discount_applications::status.eq(ApplicationStatus::Approved))
    };
    let not_begun = diesel::update(others().filter(discount_applications::starts_on.gt(last_day)))
        .set(discount_applications::status.eq(ApplicationStatus::Ended))
        .execute(conn)?;
    let running = diesel::update(
        others().filter(
            discount_applications::ends_on
                .is_null()
                .or(discount_applications::ends_on.gt(last_day)),
        ),
    )
    // Replaced, not expiring: no end notice goes out for it.
    .set((
        discount_applications::ends_on.eq(Some(last_day)),
        discount_applications::expiry_notice_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(not_begun + running)
}

/// Approved discounts whose last day is in `today..=until` and whose end was not announced.
pub fn ending_unannounced(
    conn: &mut DbConn,
    today: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(Application, DiscountType)>> {
    discount_applications::table
        .inner_join(discount_types::table)
        .filter(discount_applications::status.eq(ApplicationStatus::Approved))
        .filter(discount_applications::expiry_notice_at.is_null())
        .filter(discount_applications::ends_on.ge(today))
        .filter(discount_applications::ends_on.le(until))
        .order(discount_applications::id)
        .load(conn)
}

/// Claims the end notice of an application: true for the one caller that claimed it.
pub fn claim_expiry_notice(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        discount_applications::table
            .find(id)
            .filter(discount_applications::expiry_notice_at.is_null()),
    )
    .set(discount_applications::expiry_notice_at.eq(Some(now)))
    .execute(conn)
    .map(|n| n == 1)
}

/// A per-service discount with the service it lowers and its customer's number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceDiscountRow {
    #[serde(flatten)]
    pub discount: ServiceDiscount,
    pub service_name: String,
    pub customer_number: i64,
}

/// Per-service discounts, newest first.
pub fn service_discounts(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<ServiceDiscountRow>> {
    let rows: Vec<(ServiceDiscount, String, i64)> = service_discounts::table
        .inner_join(services::table.inner_join(customers::table))
        .order(service_discounts::id.desc())
        .limit(limit)
        .select((
            service_discounts::all_columns,
            services::name,
            customers::customer_number,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(discount, service_name, customer_number)| ServiceDiscountRow {
                discount,
                service_name,
                customer_number,
            },
        )
        .collect())
}

pub fn insert_service_discount(conn: &mut DbConn, row: &NewServiceDiscount) -> QueryResult<i64> {
    super::billing::insert_discount(conn, row)
}

/// Sets the last day of a per-service discount (never later than it was).
pub fn end_service_discount(conn: &mut DbConn, id: i64, last_day: NaiveDate) -> QueryResult<bool> {
    diesel::update(
        service_discounts::table.find(id).filter(
            service_discounts::ends_on
                .is_null()
                .or(service_discounts::ends_on.gt(last_day)),
        ),
    )
    .set(service_discounts::ends_on.eq(Some(last_day)))
    .execute(conn)
    .map(|n| n == 1)
}

/// The service (with its customer's id) staff name by id.
pub fn service_by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<(i64, String)>> {
    services::table
        .find(id)
        .select((services::customer_id, services::name))
        .get_result(conn)
        .optional()
}
