//! API tokens and the stored answers of idempotent writes (`/api/v1`).

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceStatus;
use crate::domain::ServiceStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{api_idempotency, api_tokens};

/// A row of `api_tokens`.
#[derive(Debug, Clone, Queryable)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub token_hash: String,
    pub scopes: String,
    pub allowed_networks: String,
    pub expires_at: Option<NaiveDateTime>,
    pub rate_per_minute: i32,
    pub window_started_at: Option<NaiveDateTime>,
    pub window_count: i32,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken {
    pub name: String,
    pub token_hash: String,
    pub scopes: String,
    pub allowed_networks: String,
    pub expires_at: Option<NaiveDateTime>,
    pub rate_per_minute: i32,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert_token(conn: &mut DbConn, token: &NewApiToken) -> QueryResult<i64> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .returning(api_tokens::id)
        .get_result(conn)
}

pub fn name_taken(conn: &mut DbConn, name: &str) -> QueryResult<bool> {
    Ok(api_tokens::table
        .filter(api_tokens::name.eq(name))
        .select(api_tokens::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}

/// Every token, newest first (revoked ones too: the list is also their history).
/// Gives the token named `name` a new hash (and lifts a revocation); false when there is none.
/// Gives the named token a new hash, these scopes and this author, and lifts a revocation
/// (the demo's token, made anew each time the demo is seeded).
pub fn rehash(
    conn: &mut DbConn,
    name: &str,
    token_hash: &str,
    scopes: &str,
    created_by_staff_id: Option<i64>,
) -> QueryResult<bool> {
    let changed = diesel::update(api_tokens::table.filter(api_tokens::name.eq(name)))
        .set((
            api_tokens::token_hash.eq(token_hash),
            api_tokens::scopes.eq(scopes),
            api_tokens::created_by_staff_id.eq(created_by_staff_id),
            api_tokens::revoked_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

pub fn tokens(conn: &mut DbConn) -> QueryResult<Vec<ApiTokenRow>> {
    api_tokens::table.order(api_tokens::id.desc()).load(conn)
}

pub fn by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<ApiTokenRow>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .get_result(conn)
        .optional()
}

pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<Option<String>> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .returning(api_tokens::name)
    .get_result(conn)
    .optional()
}

/// Counts a call in the token's rate window (a new window when `fresh`).
pub fn count_call(
    conn: &mut DbConn,
    id: i64,
    window_started_at: NaiveDateTime,
    window_count: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(api_tokens::table.find(id))
        .set((
            api_tokens::window_started_at.eq(window_started_at),
            api_tokens::window_count.eq(window_count),
            api_tokens::last_used_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A stored answer to an idempotent write.
#[derive(Debug, Clone, Queryable)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status: i32,
    pub response: String,
}

pub fn stored_answer(
    conn: &mut DbConn,
    token_id: i64,
    key: &str,
) -> QueryResult<Option<StoredAnswer>> {
    api_idempotency::table
        .filter(api_idempotency::token_id.eq(token_id))
        .filter(api_idempotency::idempotency_key.eq(key))
        .select((
            api_idempotency::request_hash,
            api_idempotency::status,
            api_idempotency::response,
        ))
        .get_result(conn)
        .optional()
}

pub fn store_answer(
    conn: &mut DbConn,
    token_id: i64,
    key: &str,
    answer: &StoredAnswer,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(api_idempotency::table)
        .values((
            api_idempotency::token_id.eq(token_id),
            api_idempotency::idempotency_key.eq(key),
            api_idempotency::request_hash.eq(&answer.request_hash),
            api_idempotency::status.eq(answer.status),
            api_idempotency::response.eq(&answer.response),
            api_idempotency::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

// ---- lists for the API: by id after a cursor, changed since a moment ---------------------------

use super::contracts::Contract;
use super::customers::Customer;
use super::schema::{contracts, customers, endpoint_flags, endpoints, services, tariffs};
use super::services::{Endpoint, Service};
use super::tariffs::Tariff;

/// What a list asks for: ids after `after`, changed at or after `since`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub after: i64,
    pub since: Option<NaiveDateTime>,
    pub limit: i64,
    pub customer_id: Option<CustomerId>,
}

pub fn customers_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<Customer>> {
    let mut query = customers::table
        .filter(customers::id.gt(page.after))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(customers::updated_at.ge(since));
    }
    if let Some(id) = page.customer_id {
        query = query.filter(customers::id.eq(id));
    }
    query.order(customers::id).limit(page.limit).load(conn)
}

pub fn contracts_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<Contract>> {
    let mut query = contracts::table
        .filter(contracts::id.gt(page.after))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(contracts::updated_at.ge(since));
    }
    if let Some(id) = page.customer_id {
        query = query.filter(contracts::customer_id.eq(id));
    }
    query.order(contracts::id).limit(page.limit).load(conn)
}

pub fn services_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<Service>> {
    let mut query = services::table
        .filter(services::id.gt(page.after))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(
            services::updated_at.ge(since).or(services::updated_at
                .is_null()
                .and(services::created_at.ge(since))),
        );
    }
    if let Some(id) = page.customer_id {
        query = query.filter(services::customer_id.eq(id));
    }
    query.order(services::id).limit(page.limit).load(conn)
}

/// Endpoints with the customer their service belongs to.
pub fn endpoints_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<(Endpoint, CustomerId)>> {
    let mut query = endpoints::table
        .inner_join(services::table)
        .filter(endpoints::id.gt(page.after))
        .select((endpoints::all_columns, services::customer_id))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(
            endpoints::updated_at.ge(since).or(endpoints::updated_at
                .is_null()
                .and(endpoints::created_at.ge(since))),
        );
    }
    if let Some(id) = page.customer_id {
        query = query.filter(services::customer_id.eq(id));
    }
    query.order(endpoints::id).limit(page.limit).load(conn)
}

pub fn service(conn: &mut DbConn, id: i64) -> QueryResult<Option<Service>> {
    services::table.find(id).get_result(conn).optional()
}

pub fn contract(conn: &mut DbConn, id: ContractId) -> QueryResult<Option<Contract>> {
    contracts::table.find(id).get_result(conn).optional()
}

pub fn endpoint(conn: &mut DbConn, id: i64) -> QueryResult<Option<(Endpoint, CustomerId)>> {
    endpoints::table
        .inner_join(services::table)
        .filter(endpoints::id.eq(id))
        .select((endpoints::all_columns, services::customer_id))
        .get_result(conn)
        .optional()
}

/// Every tariff, active or not.
pub fn tariffs(conn: &mut DbConn) -> QueryResult<Vec<Tariff>> {
    tariffs::table.order(tariffs::id).load(conn)
}

/// What the routers need of every endpoint: the endpoint, its service's status and kind, the
/// speed of its contract's tariff, and its dunning flag.
pub type NetworkRow = (Endpoint, Service, Option<(i32, i32)>, Option<String>);

pub fn network_rows(conn: &mut DbConn) -> QueryResult<Vec<NetworkRow>> {
    use std::collections::HashMap;
    let rows: Vec<(Endpoint, Service)> = endpoints::table
        .inner_join(services::table)
        .order(endpoints::id)
        .load(conn)?;
    let speeds: HashMap<ContractId, (i32, i32)> = contracts::table
        .inner_join(tariffs::table)
        .select((contracts::id, tariffs::download_mbps, tariffs::upload_mbps))
        .load::<(ContractId, i32, i32)>(conn)?
        .into_iter()
        .map(|(id, down, up)| (id, (down, up)))
        .collect();
    let flags: HashMap<i64, String> = endpoint_flags::table
        .select((endpoint_flags::endpoint_id, endpoint_flags::flag))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(endpoint, service)| {
            let speed = service.contract_id.and_then(|id| speeds.get(&id).copied());
            let flag = flags.get(&endpoint.id).cloned();
            (endpoint, service, speed, flag)
        })
        .collect())
}

/// Marks the endpoint changed (suspension through the API).
pub fn set_endpoint_access(
    conn: &mut DbConn,
    id: i64,
    enabled: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(endpoints::table.find(id))
        .set((
            endpoints::access_enabled.eq(enabled),
            endpoints::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn set_service_status(
    conn: &mut DbConn,
    id: i64,
    status: ServiceStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(services::table.find(id))
        .set((services::status.eq(status), services::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Issued invoices, by id, changed (issued) at or after `since`.
pub fn invoices_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<super::invoices::Invoice>> {
    use super::schema::invoices;
    let mut query = invoices::table
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .filter(invoices::id.gt(page.after))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(invoices::issued_at.ge(since));
    }
    if let Some(id) = page.customer_id {
        query = query.filter(invoices::customer_id.eq(id));
    }
    query.order(invoices::id).limit(page.limit).load(conn)
}

/// A page of support tickets by id (`since`: changed since).
pub fn tickets_page(conn: &mut DbConn, page: Page) -> QueryResult<Vec<super::tickets::Ticket>> {
    use super::schema::tickets;
    let mut query = tickets::table
        .filter(tickets::id.gt(page.after))
        .into_boxed();
    if let Some(since) = page.since {
        query = query.filter(tickets::updated_at.ge(since));
    }
    if let Some(id) = page.customer_id {
        query = query.filter(tickets::customer_id.eq(id));
    }
    query.order(tickets::id).limit(page.limit).load(conn)
}

/// The staff member who created a token (none for one made by `ebok demo` before an admin
/// existed, or whose creator was removed).
pub fn token_creator(conn: &mut DbConn, token_id: i64) -> QueryResult<Option<i64>> {
    api_tokens::table
        .find(token_id)
        .select(api_tokens::created_by_staff_id)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
}
