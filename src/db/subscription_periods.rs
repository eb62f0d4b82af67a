//! The recorded fact that a service's subscription for a billing period is invoiced (see
//! `domain::subscription_periods`). The unique index `subscription_periods_in_force` is what
//! makes a second one impossible; these queries record, find and release facts.

use crate::domain::ContractId;
use crate::domain::InvoiceId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{invoices, services, subscription_periods};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = subscription_periods, treat_none_as_default_value = false)]
pub struct NewSubscriptionPeriod {
    pub service_id: i64,
    pub contract_id: Option<ContractId>,
    pub period: String,
    pub invoice_id: InvoiceId,
    pub source: String,
    pub created_at: NaiveDateTime,
    pub released_by_invoice_id: Option<InvoiceId>,
    pub released_at: Option<NaiveDateTime>,
}

/// A fact in force, with the number of the invoice that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct InForce {
    pub service_id: i64,
    pub contract_id: Option<ContractId>,
    pub period: String,
    pub invoice_id: InvoiceId,
    pub invoice_number: Option<String>,
    pub source: String,
}

/// Records facts. A fact already in force for one of them fails the statement with a UNIQUE
/// violation (`db::is_unique_violation`), which rolls the issuing transaction back.
pub fn record(conn: &mut DbConn, facts: &[NewSubscriptionPeriod]) -> QueryResult<()> {
    insert_batches!(conn, subscription_periods::table, facts);
    Ok(())
}

/// The facts in force for `service_ids` in `period`.
pub fn in_force_for_services(
    conn: &mut DbConn,
    service_ids: &[i64],
    period: &str,
) -> QueryResult<Vec<InForce>> {
    let mut found = Vec::new();
    for part in service_ids.chunks(500) {
        let rows: Vec<InForce> = subscription_periods::table
            .inner_join(invoices::table)
            .filter(subscription_periods::service_id.eq_any(part))
            .filter(subscription_periods::period.eq(period))
            .filter(subscription_periods::released_by_invoice_id.is_null())
            .select((
                subscription_periods::service_id,
                subscription_periods::contract_id,
                subscription_periods::period,
                subscription_periods::invoice_id,
                invoices::number,
                subscription_periods::source,
            ))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// (service id, period) of the facts in force that `invoice_id` holds.
pub fn held_by_invoice(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
) -> QueryResult<Vec<(i64, String)>> {
    subscription_periods::table
        .filter(subscription_periods::invoice_id.eq(invoice_id))
        .filter(subscription_periods::released_by_invoice_id.is_null())
        .select((
            subscription_periods::service_id,
            subscription_periods::period,
        ))
        .order(subscription_periods::service_id)
        .load(conn)
}

/// Frees the facts of `invoice_id` for `service_ids`: the correction `released_by` cancelled
/// their lines. Returns how many were freed.
pub fn release(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    service_ids: &[i64],
    released_by: InvoiceId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        subscription_periods::table
            .filter(subscription_periods::invoice_id.eq(invoice_id))
            .filter(subscription_periods::service_id.eq_any(service_ids))
            .filter(subscription_periods::released_by_invoice_id.is_null()),
    )
    .set((
        subscription_periods::released_by_invoice_id.eq(Some(released_by)),
        subscription_periods::released_at.eq(Some(now)),
    ))
    .execute(conn)
}

/// (source, contract id, service id) of every fact in force for `period`, for staff's summary
/// before a run. One row per service; contracts are counted from it.
pub fn in_force_of_period(
    conn: &mut DbConn,
    period: &str,
) -> QueryResult<Vec<(String, Option<i64>, i64)>> {
    subscription_periods::table
        .filter(subscription_periods::period.eq(period))
        .filter(subscription_periods::released_by_invoice_id.is_null())
        .select((
            subscription_periods::source,
            subscription_periods::contract_id,
            subscription_periods::service_id,
        ))
        .load(conn)
}

/// The contract of each of `service_ids`, as (service id, contract id).
pub fn contracts_of_services(
    conn: &mut DbConn,
    service_ids: &[i64],
) -> QueryResult<Vec<(i64, Option<ContractId>)>> {
    services::table
        .filter(services::id.eq_any(service_ids))
        .select((services::id, services::contract_id))
        .load(conn)
}
