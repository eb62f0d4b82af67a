//! The billing run's tables: run records, the (customer, period) idempotency key, service
//! discounts and one-off charges queued for a period; and the chunked reads the run streams by.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::RunStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::invoices::{NewInvoice, NewInvoiceLine};
use super::schema::{
    billed_periods, billing_runs, consents, customers, invoice_counters, invoice_lines, invoices,
    pending_charges, service_discounts, services,
};
use super::services::Service;

/// A row of `billing_runs`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct BillingRun {
    pub id: i64,
    pub period: String,
    pub issue_date: NaiveDate,
    pub status: RunStatus,
    pub source: String,
    pub started_by_staff_id: Option<i64>,
    pub started_at: NaiveDateTime,
    pub heartbeat_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub customers_total: i64,
    pub customers_done: i64,
    pub issued: i64,
    pub skipped: i64,
    pub total_gross: i64,
    pub skip_reasons: String,
    pub pdf_ms: i64,
    pub db_ms: i64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = billing_runs, treat_none_as_default_value = false)]
pub struct NewBillingRun {
    pub period: String,
    pub issue_date: NaiveDate,
    pub status: RunStatus,
    pub source: String,
    pub started_by_staff_id: Option<i64>,
    pub started_at: NaiveDateTime,
    pub heartbeat_at: NaiveDateTime,
    pub customers_total: i64,
}

/// The counters a run writes after every chunk.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = billing_runs)]
pub struct RunCounters {
    pub customers_done: i64,
    pub issued: i64,
    pub skipped: i64,
    pub total_gross: i64,
    pub skip_reasons: String,
    pub pdf_ms: i64,
    pub db_ms: i64,
}

/// A row of `service_discounts`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ServiceDiscount {
    pub id: i64,
    pub service_id: i64,
    pub name: String,
    pub kind: String,
    pub value: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = service_discounts, treat_none_as_default_value = false)]
pub struct NewServiceDiscount {
    pub service_id: i64,
    pub name: String,
    pub kind: String,
    pub value: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// A row of `pending_charges`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct PendingCharge {
    pub id: i64,
    pub customer_id: CustomerId,
    pub service_id: Option<i64>,
    pub name: String,
    pub amount: i64,
    pub vat_rate: String,
    pub period: String,
    pub invoice_id: Option<InvoiceId>,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = pending_charges, treat_none_as_default_value = false)]
pub struct NewPendingCharge {
    pub customer_id: CustomerId,
    pub service_id: Option<i64>,
    pub name: String,
    pub amount: i64,
    pub vat_rate: String,
    pub period: String,
    pub invoice_id: Option<InvoiceId>,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = billed_periods)]
pub struct BilledPeriod {
    pub customer_id: CustomerId,
    pub period: String,
    pub invoice_id: InvoiceId,
    pub run_id: i64,
}

pub fn insert_run(conn: &mut DbConn, run: &NewBillingRun) -> QueryResult<i64> {
    diesel::insert_into(billing_runs::table)
        .values(run)
        .returning(billing_runs::id)
        .get_result(conn)
}

pub fn find_run(conn: &mut DbConn, id: i64) -> QueryResult<Option<BillingRun>> {
    billing_runs::table.find(id).get_result(conn).optional()
}

/// Newest first.
pub fn recent_runs(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<BillingRun>> {
    billing_runs::table
        .order(billing_runs::id.desc())
        .limit(limit)
        .load(conn)
}

/// Runs of the period still marked running.
pub fn running_of_period(conn: &mut DbConn, period: &str) -> QueryResult<Vec<BillingRun>> {
    billing_runs::table
        .filter(billing_runs::period.eq(period))
        .filter(billing_runs::status.eq(RunStatus::Running))
        .load(conn)
}

/// Saves the counters and moves the heartbeat.
pub fn record_progress(
    conn: &mut DbConn,
    id: i64,
    counters: &RunCounters,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(billing_runs::table.find(id))
        .set((counters, billing_runs::heartbeat_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Ends a run that is still running; a run ends once.
pub fn finish_run(
    conn: &mut DbConn,
    id: i64,
    status: RunStatus,
    error: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        billing_runs::table
            .find(id)
            .filter(billing_runs::status.eq(RunStatus::Running)),
    )
    .set((
        billing_runs::status.eq(status),
        billing_runs::error.eq(error),
        billing_runs::finished_at.eq(Some(now)),
        billing_runs::heartbeat_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The next `limit` customers after `after_id`, by id: the run's chunks (keyset paging, so a
/// chunk costs the same at the end of 100 000 customers as at the start).
pub fn customers_after(
    conn: &mut DbConn,
    after_id: CustomerId,
    limit: i64,
) -> QueryResult<Vec<Customer>> {
    customers::table
        .filter(customers::id.gt(after_id))
        .order(customers::id)
        .limit(limit)
        .load(conn)
}

pub fn services_of_customers(
    conn: &mut DbConn,
    customer_ids: &[CustomerId],
) -> QueryResult<Vec<Service>> {
    services::table
        .filter(services::customer_id.eq_any(customer_ids))
        .order((services::customer_id, services::id))
        .load(conn)
}

pub fn discounts_of_services(
    conn: &mut DbConn,
    service_ids: &[i64],
) -> QueryResult<Vec<ServiceDiscount>> {
    service_discounts::table
        .filter(service_discounts::service_id.eq_any(service_ids))
        .order(service_discounts::id)
        .load(conn)
}

pub fn insert_discount(conn: &mut DbConn, discount: &NewServiceDiscount) -> QueryResult<i64> {
    diesel::insert_into(service_discounts::table)
        .values(discount)
        .returning(service_discounts::id)
        .get_result(conn)
}

pub fn insert_pending_charge(conn: &mut DbConn, charge: &NewPendingCharge) -> QueryResult<i64> {
    diesel::insert_into(pending_charges::table)
        .values(charge)
        .returning(pending_charges::id)
        .get_result(conn)
}

pub fn insert_discounts(conn: &mut DbConn, rows: &[NewServiceDiscount]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, service_discounts::table, rows))
}

pub fn insert_pending_charges(conn: &mut DbConn, rows: &[NewPendingCharge]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, pending_charges::table, rows))
}

/// Charges of the period not yet on an invoice.
pub fn open_charges_of_customers(
    conn: &mut DbConn,
    customer_ids: &[CustomerId],
    period: &str,
) -> QueryResult<Vec<PendingCharge>> {
    pending_charges::table
        .filter(pending_charges::customer_id.eq_any(customer_ids))
        .filter(pending_charges::period.eq(period))
        .filter(pending_charges::invoice_id.is_null())
        .order(pending_charges::id)
        .load(conn)
}

/// Every charge queued for the customer, the latest period first, with the number of the
/// invoice it went on (once billed).
pub fn charges_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(PendingCharge, Option<String>)>> {
    pending_charges::table
        .left_join(invoices::table)
        .filter(pending_charges::customer_id.eq(customer_id))
        .order((pending_charges::period.desc(), pending_charges::id.desc()))
        .select((pending_charges::all_columns, invoices::number.nullable()))
        .load(conn)
}

/// Deletes the customer's charge if no invoice has taken it; false when there was none such.
pub fn delete_waiting_charge(
    conn: &mut DbConn,
    customer_id: CustomerId,
    charge_id: i64,
) -> QueryResult<bool> {
    use super::schema::visits;
    // A visit's late-cancellation fee stays: staff waive it on the visit, with a reason.
    let visit_fee: i64 = visits::table
        .filter(visits::fee_charge_id.eq(charge_id))
        .count()
        .get_result(conn)?;
    if visit_fee > 0 {
        return Ok(false);
    }
    diesel::delete(
        pending_charges::table
            .filter(pending_charges::id.eq(charge_id))
            .filter(pending_charges::customer_id.eq(customer_id))
            .filter(pending_charges::invoice_id.is_null()),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Puts a charge on an invoice; false if another invoice took it first.
pub fn consume_charge(
    conn: &mut DbConn,
    charge_id: i64,
    invoice_id: InvoiceId,
) -> QueryResult<bool> {
    diesel::update(
        pending_charges::table
            .find(charge_id)
            .filter(pending_charges::invoice_id.is_null()),
    )
    .set(pending_charges::invoice_id.eq(Some(invoice_id)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Which of the customers already have their invoice for the period.
pub fn billed_customers(
    conn: &mut DbConn,
    customer_ids: &[CustomerId],
    period: &str,
) -> QueryResult<Vec<CustomerId>> {
    billed_periods::table
        .filter(billed_periods::customer_id.eq_any(customer_ids))
        .filter(billed_periods::period.eq(period))
        .select(billed_periods::customer_id)
        .load(conn)
}

/// (customer, granted) of every e-invoice consent decision of the customers, oldest first, so
/// the last one per customer is the one in force.
pub fn einvoice_decisions(
    conn: &mut DbConn,
    customer_ids: &[CustomerId],
) -> QueryResult<Vec<(CustomerId, bool)>> {
    consents::table
        .filter(consents::customer_id.eq_any(customer_ids))
        .filter(consents::kind.eq("einvoice"))
        .order((consents::customer_id, consents::at, consents::id))
        .select((consents::customer_id, consents::granted))
        .load(conn)
}

/// Takes `count` consecutive numbers of a series in a period at once; returns the first. Same
/// rules as `invoices::next_seq`: inside the issuing transaction, so a rollback gives them back.
pub fn reserve_seqs(
    conn: &mut DbConn,
    series_id: i64,
    period_key: &str,
    count: i64,
) -> QueryResult<i64> {
    let bumped: Option<i64> = diesel::update(
        invoice_counters::table
            .filter(invoice_counters::series_id.eq(series_id))
            .filter(invoice_counters::period_key.eq(period_key)),
    )
    .set(invoice_counters::last_seq.eq(invoice_counters::last_seq + count))
    .returning(invoice_counters::last_seq)
    .get_result(conn)
    .optional()?;
    if let Some(last) = bumped {
        return Ok(last - count + 1);
    }
    diesel::insert_into(invoice_counters::table)
        .values((
            invoice_counters::series_id.eq(series_id),
            invoice_counters::period_key.eq(period_key),
            invoice_counters::last_seq.eq(count),
        ))
        .execute(conn)?;
    Ok(1)
}

/// Inserts the invoices in multi-row statements (one round trip per 200 rows instead of one per
/// row was most of the run's database time on PostgreSQL); returns (id, number) of each.
pub fn insert_invoices(
    conn: &mut DbConn,
    rows: &[NewInvoice],
) -> QueryResult<Vec<(InvoiceId, Option<String>)>> {
    Ok(insert_batches!(
        conn,
        invoices::table,
        rows,
        returning(invoices::id, invoices::number)
    ))
}

/// Refreshes PostgreSQL's statistics of the tables a billing run grows and reads back by
/// period (SQLite keeps none, see `db::refresh_statistics`).
pub fn refresh_run_statistics(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => diesel::sql_query("ANALYZE subscription_periods, billed_periods")
            .execute(c)
            .map(|_| ()),
        DbConn::Sqlite(_) => Ok(()),
    }
}

pub fn insert_lines(conn: &mut DbConn, rows: &[NewInvoiceLine]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, invoice_lines::table, rows))
}

pub fn insert_billed(conn: &mut DbConn, rows: &[BilledPeriod]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, billed_periods::table, rows))
}

/// The invoices a run issued (customer id, invoice id), for checks and reports.
pub fn invoices_of_period(conn: &mut DbConn, period: &str) -> QueryResult<Vec<(i64, i64)>> {
    billed_periods::table
        .filter(billed_periods::period.eq(period))
        .order(billed_periods::customer_id)
        .select((billed_periods::customer_id, billed_periods::invoice_id))
        .load(conn)
}
