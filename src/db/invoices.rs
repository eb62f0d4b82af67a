//! Invoices, their lines, and the numbering series with their per-period counters.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::{Delivery, InvoiceKind, InvoiceStatus, PriceKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{invoice_lines, invoice_series, invoices, payment_allocations};

/// A row of `invoice_series`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct InvoiceSeries {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub template: String,
    pub reset_period: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoice_series, treat_none_as_default_value = false)]
pub struct NewInvoiceSeries {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub template: String,
    pub reset_period: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// A row of `invoices`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Invoice {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub series_id: Option<i64>,
    pub period_key: Option<String>,
    pub seq: Option<i64>,
    pub number: Option<String>,
    pub corrects_invoice_id: Option<InvoiceId>,
    pub correction_reason: Option<String>,
    pub issue_date: NaiveDate,
    pub sale_date: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub payment_method: String,
    pub seller_name: String,
    pub seller_nip: String,
    pub seller_address_line: String,
    pub seller_postal_code: String,
    pub seller_city: String,
    pub buyer_name: String,
    pub buyer_nip: Option<String>,
    pub buyer_address_line: String,
    pub buyer_postal_code: String,
    pub buyer_city: String,
    pub bank_account: String,
    pub total_net: i64,
    pub total_vat: i64,
    pub total_gross: i64,
    pub split_payment: bool,
    pub delivery: Delivery,
    pub pdf_path: Option<String>,
    pub pdf_sha256: Option<String>,
    pub created_at: NaiveDateTime,
    pub issued_at: Option<NaiveDateTime>,
    pub price_kind: PriceKind,
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoices, treat_none_as_default_value = false)]
pub struct NewInvoice {
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub series_id: Option<i64>,
    pub period_key: Option<String>,
    pub seq: Option<i64>,
    pub number: Option<String>,
    pub corrects_invoice_id: Option<InvoiceId>,
    pub correction_reason: Option<String>,
    pub issue_date: NaiveDate,
    pub sale_date: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub payment_method: String,
    pub seller_name: String,
    pub seller_nip: String,
    pub seller_address_line: String,
    pub seller_postal_code: String,
    pub seller_city: String,
    pub buyer_name: String,
    pub buyer_nip: Option<String>,
    pub buyer_address_line: String,
    pub buyer_postal_code: String,
    pub buyer_city: String,
    pub bank_account: String,
    pub total_net: i64,
    pub total_vat: i64,
    pub total_gross: i64,
    pub split_payment: bool,
    pub delivery: Delivery,
    pub pdf_path: Option<String>,
    pub pdf_sha256: Option<String>,
    pub created_at: NaiveDateTime,
    pub issued_at: Option<NaiveDateTime>,
    pub price_kind: PriceKind,
    pub delivered_at: Option<NaiveDateTime>,
}

/// A row of `invoice_lines`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct InvoiceLine {
    pub id: i64,
    pub invoice_id: InvoiceId,
    pub position: i32,
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: i64,
    pub price_kind: String,
    pub net: i64,
    pub vat_rate: String,
    pub vat: i64,
    pub gross: i64,
    pub service_id: Option<i64>,
    pub side: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoice_lines, treat_none_as_default_value = false)]
pub struct NewInvoiceLine {
    pub invoice_id: InvoiceId,
    pub position: i32,
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: i64,
    pub price_kind: String,
    pub net: i64,
    pub vat_rate: String,
    pub vat: i64,
    pub gross: i64,
    pub service_id: Option<i64>,
    pub side: String,
}

pub fn insert_series(conn: &mut DbConn, series: &NewInvoiceSeries) -> QueryResult<i64> {
    diesel::insert_into(invoice_series::table)
        .values(series)
        .returning(invoice_series::id)
        .get_result(conn)
}

pub fn find_series_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<InvoiceSeries>> {
    invoice_series::table
        .filter(invoice_series::code.eq(code))
        .get_result(conn)
        .optional()
}

/// Takes the next sequence number of a series in a period. Call it inside the transaction that
/// writes the invoice: the row update serialises concurrent issuers, and a rollback gives the
/// number back, so numbers stay gapless. `ON CONFLICT` is not portable through MultiConnection,
/// hence "insert if missing, then increment".
pub fn next_seq(conn: &mut DbConn, series_id: i64, period_key: &str) -> QueryResult<i64> {
    super::billing::reserve_seqs(conn, series_id, period_key, 1)
}

pub fn insert(conn: &mut DbConn, invoice: &NewInvoice) -> QueryResult<InvoiceId> {
    diesel::insert_into(invoices::table)
        .values(invoice)
        .returning(invoices::id)
        .get_result(conn)
}

pub fn insert_line(conn: &mut DbConn, line: &NewInvoiceLine) -> QueryResult<i64> {
    diesel::insert_into(invoice_lines::table)
        .values(line)
        .returning(invoice_lines::id)
        .get_result(conn)
}

/// An issued invoice of a customer and how much of it is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceBalance {
    pub id: InvoiceId,
    pub number: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub gross: i64,
    /// Grosze allocated to it from payments.
    pub paid: i64,
    /// For a corrective invoice: the document it corrects. What anything owes is reckoned in
    /// `domain::receivables`, which folds corrections into their invoice.
    pub corrects: Option<InvoiceId>,
}

/// Every issued invoice of the customer with what has been allocated to it, in one query (one
/// row per allocation, folded here), ordered by id. Sums are made in Rust: `SUM(bigint)` is
/// NUMERIC on PostgreSQL and INTEGER on SQLite, which one row type cannot hold for both.
pub fn balances_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<InvoiceBalance>> {
    type Row = (
        InvoiceId,
        Option<String>,
        NaiveDate,
        NaiveDate,
        i64,
        Option<InvoiceId>,
        Option<i64>,
    );
    let rows: Vec<Row> = concrete!(conn, |c| {
        invoices::table
            .left_join(payment_allocations::table)
            .filter(invoices::customer_id.eq(customer_id))
            .filter(invoices::status.eq(InvoiceStatus::Issued))
            .select((
                invoices::id,
                invoices::number,
                invoices::issue_date,
                invoices::due_date,
                invoices::total_gross,
                invoices::corrects_invoice_id,
                payment_allocations::amount.nullable(),
            ))
            .order(invoices::id)
            .load(c)
    })?;
    let mut balances: Vec<InvoiceBalance> = Vec::new();
    for (id, number, issue_date, due_date, gross, corrects, allocated) in rows {
        match balances.last_mut() {
            Some(last) if last.id == id => last.paid += allocated.unwrap_or(0),
            _ => balances.push(InvoiceBalance {
                id,
                number,
                issue_date,
                due_date,
                gross,
                paid: allocated.unwrap_or(0),
                corrects,
            }),
        }
    }
    Ok(balances)
}

pub fn find(conn: &mut DbConn, id: InvoiceId) -> QueryResult<Option<Invoice>> {
    invoices::table.find(id).get_result(conn).optional()
}

/// The invoice only if it belongs to `customer_id` (every customer-facing read goes through this).
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: InvoiceId,
) -> QueryResult<Option<Invoice>> {
    invoices::table
        .filter(invoices::id.eq(id))
        .filter(invoices::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

pub fn lines_of(conn: &mut DbConn, invoice_id: InvoiceId) -> QueryResult<Vec<InvoiceLine>> {
    invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(invoice_id))
        .order(invoice_lines::position)
        .load(conn)
}

/// Records where the rendered PDF is. Only once: an issued invoice's file is never replaced.
pub fn attach_pdf(conn: &mut DbConn, id: InvoiceId, path: &str, sha256: &str) -> QueryResult<bool> {
    // Once per invoice of a billing run: on the concrete connection (see `concrete!`).
    concrete!(conn, |c| {
        diesel::update(
            invoices::table
                .find(id)
                .filter(invoices::pdf_path.is_null()),
        )
        .set((
            invoices::pdf_path.eq(Some(path)),
            invoices::pdf_sha256.eq(Some(sha256)),
        ))
        .execute(c)
    })
    .map(|rows| rows == 1)
}

pub fn mark_delivered(conn: &mut DbConn, id: InvoiceId, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        invoices::table
            .find(id)
            .filter(invoices::delivered_at.is_null()),
    )
    .set(invoices::delivered_at.eq(Some(now)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The customer's issued invoices, newest first.
pub fn issued_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Invoice>> {
    invoices::table
        .filter(invoices::customer_id.eq(customer_id))
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .order((invoices::issue_date.desc(), invoices::id.desc()))
        .load(conn)
}

/// Invoices waiting to be posted on paper, oldest first.
pub fn awaiting_paper(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Invoice>> {
    invoices::table
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .filter(invoices::delivery.eq(Delivery::Paper))
        .filter(invoices::delivered_at.is_null())
        .order((invoices::issue_date, invoices::id))
        .limit(limit)
        .load(conn)
}

pub fn all_series(conn: &mut DbConn) -> QueryResult<Vec<InvoiceSeries>> {
    invoice_series::table
        .order((invoice_series::kind, invoice_series::code))
        .load(conn)
}

pub fn find_series(conn: &mut DbConn, id: i64) -> QueryResult<Option<InvoiceSeries>> {
    invoice_series::table.find(id).get_result(conn).optional()
}

/// Whether any invoice was numbered in the series (its template is then fixed).
pub fn series_in_use(conn: &mut DbConn, series_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        invoices::table.filter(invoices::series_id.eq(series_id)),
    ))
    .get_result(conn)
}

pub fn update_series(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    template: &str,
    reset_period: &str,
    active: bool,
) -> QueryResult<()> {
    diesel::update(invoice_series::table.find(id))
        .set((
            invoice_series::name.eq(name),
            invoice_series::template.eq(template),
            invoice_series::reset_period.eq(reset_period),
            invoice_series::active.eq(active),
        ))
        .execute(conn)
        .map(|_| ())
}

/// (invoice id, customer id, number) of issued invoices with one of these numbers.
pub fn issued_with_numbers(
    conn: &mut DbConn,
    numbers: &[String],
) -> QueryResult<Vec<(InvoiceId, CustomerId, String)>> {
    invoices::table
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .filter(invoices::number.eq_any(numbers))
        .select((
            invoices::id,
            invoices::customer_id,
            invoices::number.assume_not_null(),
        ))
        .load(conn)
}

/// The newest issued correction of `invoice_id`, if any (a correction chain is walked forward
/// one link at a time).
pub fn correction_of(conn: &mut DbConn, invoice_id: InvoiceId) -> QueryResult<Option<InvoiceId>> {
    invoices::table
        .filter(invoices::corrects_invoice_id.eq(invoice_id))
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .order(invoices::id.desc())
        .select(invoices::id)
        .first(conn)
        .optional()
}
