//! Dunning: the rate table, the plan, pauses, the steps taken per invoice and the endpoint
//! flags for the network side.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::dunning::StepStatus;
use crate::domain::interest::InterestKind;
use crate::domain::tickets::{TicketCategory, TicketStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};

use super::DbConn;
use super::schema::{
    customers, dunning_pauses, dunning_plan_steps, dunning_settings, dunning_steps, endpoint_flags,
    endpoints, invoices, services, statutory_interest_rates, tickets,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = statutory_interest_rates)]
pub struct RateRow {
    pub valid_from: NaiveDate,
    pub reference_bp: i64,
    pub consumer_bp: i64,
    pub commercial_bp: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = dunning_plan_steps, treat_none_as_null = true)]
pub struct PlanStepRow {
    pub kind: String,
    pub offset_days: i64,
    pub deadline_days: Option<i64>,
    pub by_email: bool,
    pub in_portal: bool,
    pub by_letter: bool,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StepRow {
    pub id: i64,
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub step: String,
    pub status: StepStatus,
    pub taken_on: NaiveDate,
    pub outstanding: i64,
    pub interest: i64,
    pub interest_kind: InterestKind,
    pub deadline: Option<NaiveDate>,
    pub by_email: bool,
    pub in_portal: bool,
    pub by_letter: bool,
    pub created_at: NaiveDateTime,
    /// Printed and posted (by-letter steps; `None` while in the letter queue).
    pub letter_sent_at: Option<NaiveDateTime>,
    pub letter_sent_by_staff_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dunning_steps, treat_none_as_default_value = false)]
pub struct NewStep {
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub step: String,
    pub status: StepStatus,
    pub taken_on: NaiveDate,
    pub outstanding: i64,
    pub interest: i64,
    pub interest_kind: InterestKind,
    pub deadline: Option<NaiveDate>,
    pub by_email: bool,
    pub in_portal: bool,
    pub by_letter: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PauseRow {
    pub customer_id: CustomerId,
    pub reason: String,
    pub paused_by_staff_id: Option<i64>,
    pub paused_at: NaiveDateTime,
}

/// A flagged endpoint as the network side reads it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct FlaggedEndpoint {
    pub endpoint_id: i64,
    pub flag: String,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
    pub customer_number: i64,
}

pub fn rates(conn: &mut DbConn) -> QueryResult<Vec<RateRow>> {
    statutory_interest_rates::table
        .order(statutory_interest_rates::valid_from)
        .load(conn)
}

/// Adds a rate, or replaces the one starting the same day.
pub fn save_rate(conn: &mut DbConn, rate: &RateRow) -> QueryResult<()> {
    let updated = diesel::update(statutory_interest_rates::table.find(rate.valid_from))
        .set(rate)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(statutory_interest_rates::table)
            .values(rate)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_rate(conn: &mut DbConn, valid_from: NaiveDate) -> QueryResult<bool> {
    diesel::delete(statutory_interest_rates::table.find(valid_from))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn minimum_debt(conn: &mut DbConn) -> QueryResult<i64> {
    Ok(dunning_settings::table
        .find(1_i64)
        .select(dunning_settings::minimum_debt)
        .get_result::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

pub fn set_minimum_debt(conn: &mut DbConn, grosze: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(dunning_settings::table.find(1_i64))
        .set((
            dunning_settings::minimum_debt.eq(grosze),
            dunning_settings::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn plan(conn: &mut DbConn) -> QueryResult<Vec<PlanStepRow>> {
    dunning_plan_steps::table
        .order(dunning_plan_steps::offset_days)
        .load(conn)
}

pub fn save_plan_step(conn: &mut DbConn, step: &PlanStepRow) -> QueryResult<bool> {
    diesel::update(dunning_plan_steps::table.find(&step.kind))
        .set(step)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn pause_of(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Option<PauseRow>> {
    dunning_pauses::table
        .find(customer_id)
        .get_result(conn)
        .optional()
}

pub fn pause(
    conn: &mut DbConn,
    customer_id: CustomerId,
    reason: &str,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(dunning_pauses::table.find(customer_id)).execute(conn)?;
    diesel::insert_into(dunning_pauses::table)
        .values((
            dunning_pauses::customer_id.eq(customer_id),
            dunning_pauses::reason.eq(reason),
            dunning_pauses::paused_by_staff_id.eq(staff_id),
            dunning_pauses::paused_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn unpause(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<bool> {
    diesel::delete(dunning_pauses::table.find(customer_id))
        .execute(conn)
        .map(|n| n == 1)
}

/// Paused customers with their number, for the staff page.
pub fn pauses(conn: &mut DbConn) -> QueryResult<Vec<(PauseRow, i64)>> {
    dunning_pauses::table
        .inner_join(customers::table)
        .select((dunning_pauses::all_columns, customers::customer_number))
        .order(dunning_pauses::paused_at.desc())
        .load(conn)
}

/// Customers with a complaint in progress: a billing ticket ("reklamacja" of an invoice or a
/// charge) still waiting for the ISP's answer (new or open). Dunning leaves them alone until
/// staff answer or close it.
pub fn customers_with_open_complaints(conn: &mut DbConn) -> QueryResult<Vec<CustomerId>> {
    tickets::table
        .filter(tickets::category.eq(COMPLAINT_CATEGORY))
        .filter(tickets::status.eq_any(COMPLAINT_IN_PROGRESS))
        .select(tickets::customer_id)
        .distinct()
        .load(conn)
}

pub fn has_open_complaint(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tickets::table
            .filter(tickets::customer_id.eq(customer_id))
            .filter(tickets::category.eq(COMPLAINT_CATEGORY))
            .filter(tickets::status.eq_any(COMPLAINT_IN_PROGRESS)),
    ))
    .get_result(conn)
}

/// Tickets have no kind of their own for complaints; a billing ticket is how a subscriber
/// disputes an invoice or a charge.
const COMPLAINT_CATEGORY: TicketCategory = TicketCategory::Billing;
/// Waiting for the ISP: once staff answered (or the subscriber owes an answer) it is not.
const COMPLAINT_IN_PROGRESS: [TicketStatus; 2] = [TicketStatus::New, TicketStatus::Open];

pub fn paused_customer_ids(conn: &mut DbConn) -> QueryResult<Vec<CustomerId>> {
    dunning_pauses::table
        .select(dunning_pauses::customer_id)
        .load(conn)
}

#[derive(QueryableByName)]
struct CustomerIdRow {
    #[diesel(sql_type = BigInt)]
    customer_id: CustomerId,
}

/// Customers who may owe on an invoice due on or before `due_on_or_before`: an invoice not
/// covered by its allocations, or any correction (what a correction moves is reckoned by
/// `domain::receivables`, which the caller applies to each of them). A cheap narrowing for
/// 100 000 customers, never the verdict.
pub fn candidate_customers(
    conn: &mut DbConn,
    due_on_or_before: NaiveDate,
) -> QueryResult<Vec<CustomerId>> {
    // A correlated sum and two placeholder styles: Diesel's DSL has no COALESCE over a
    // subquery, so this is SQL per backend.
    const BODY: &str = "SELECT DISTINCT i.customer_id AS customer_id FROM invoices i \
        WHERE i.status = 'issued' AND (i.corrects_invoice_id IS NOT NULL OR (i.due_date <= {} \
        AND i.total_gross > COALESCE((SELECT SUM(a.amount) FROM payment_allocations a \
        WHERE a.invoice_id = i.id), 0))) ORDER BY i.customer_id";
    let rows: Vec<CustomerIdRow> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(BODY.replace("{}", "?"))
            .bind::<Date, _>(due_on_or_before)
            .load(c)?,
        DbConn::Pg(c) => diesel::sql_query(BODY.replace("{}", "$1"))
            .bind::<Date, _>(due_on_or_before)
            .load(c)?,
    };
    Ok(rows.into_iter().map(|r| r.customer_id).collect())
}

/// Every step recorded for the customer's invoices, oldest first.
pub fn steps_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<StepRow>> {
    dunning_steps::table
        .filter(dunning_steps::customer_id.eq(customer_id))
        .order((dunning_steps::taken_on, dunning_steps::id))
        .load(conn)
}

/// One of the customer's steps with its invoice's number (a document in the portal).
pub fn step_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<(StepRow, Option<String>)>> {
    dunning_steps::table
        .inner_join(invoices::table)
        .filter(dunning_steps::id.eq(id))
        .filter(dunning_steps::customer_id.eq(customer_id))
        .select((dunning_steps::all_columns, invoices::number))
        .get_result(conn)
        .optional()
}

/// Records a step. A UNIQUE violation means another run took it first.
pub fn insert_step(conn: &mut DbConn, step: &NewStep) -> QueryResult<i64> {
    diesel::insert_into(dunning_steps::table)
        .values(step)
        .returning(dunning_steps::id)
        .get_result(conn)
}

/// Puts `flag` on every endpoint of the customer's services; a block is never weakened to a
/// warning.
pub fn flag_endpoints(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    flag: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let ids: Vec<i64> = endpoints::table
        .inner_join(services::table)
        .filter(services::customer_id.eq(customer_id))
        .select(endpoints::id)
        .load(conn)?;
    let mut changed = 0;
    for endpoint_id in ids {
        let current: Option<String> = endpoint_flags::table
            .find(endpoint_id)
            .select(endpoint_flags::flag)
            .get_result(conn)
            .optional()?;
        match current.as_deref() {
            None => {
                diesel::insert_into(endpoint_flags::table)
                    .values((
                        endpoint_flags::endpoint_id.eq(endpoint_id),
                        endpoint_flags::customer_id.eq(customer_id),
                        endpoint_flags::flag.eq(flag),
                        endpoint_flags::invoice_id.eq(invoice_id),
                        endpoint_flags::set_at.eq(now),
                    ))
                    .execute(conn)?;
                changed += 1;
            }
            Some("warning") if flag == "block" => {
                diesel::update(endpoint_flags::table.find(endpoint_id))
                    .set((
                        endpoint_flags::flag.eq(flag),
                        endpoint_flags::invoice_id.eq(invoice_id),
                        endpoint_flags::set_at.eq(now),
                    ))
                    .execute(conn)?;
                changed += 1;
            }
            Some(_) => {}
        }
    }
    Ok(changed)
}

/// Lifts every flag on the customer's endpoints; returns how many there were.
pub fn lift_flags(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<usize> {
    diesel::delete(endpoint_flags::table.filter(endpoint_flags::customer_id.eq(customer_id)))
        .execute(conn)
}

pub fn flags_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<String>> {
    endpoint_flags::table
        .filter(endpoint_flags::customer_id.eq(customer_id))
        .select(endpoint_flags::flag)
        .load(conn)
}

/// Every flagged endpoint, by customer number and endpoint.
pub fn flagged_endpoints(conn: &mut DbConn) -> QueryResult<Vec<FlaggedEndpoint>> {
    endpoint_flags::table
        .inner_join(endpoints::table)
        .inner_join(customers::table.on(customers::id.eq(endpoint_flags::customer_id)))
        .select((
            endpoint_flags::endpoint_id,
            endpoint_flags::flag,
            endpoints::ipv4,
            endpoints::ipv6_prefix,
            customers::customer_number,
        ))
        .order((customers::customer_number, endpoint_flags::endpoint_id))
        .load(conn)
}

/// (invoice id, number) of the customer's invoices, for letters and the run's table.
pub fn invoice_numbers_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(InvoiceId, Option<String>)>> {
    invoices::table
        .filter(invoices::customer_id.eq(customer_id))
        .select((invoices::id, invoices::number))
        .load(conn)
}

pub fn customer_id_by_number(conn: &mut DbConn, number: i64) -> QueryResult<Option<CustomerId>> {
    customers::table
        .filter(customers::customer_number.eq(number))
        .select(customers::id)
        .get_result(conn)
        .optional()
}

/// A step sent by letter, with its invoice's number and the customer's number: the printed-
/// letter queue.
pub fn letter_queue(
    conn: &mut DbConn,
    sent_limit: i64,
) -> QueryResult<Vec<(StepRow, Option<String>, i64)>> {
    let pending = dunning_steps::table
        .inner_join(invoices::table)
        .inner_join(customers::table)
        .filter(dunning_steps::by_letter.eq(true))
        .filter(dunning_steps::status.eq(StepStatus::Sent))
        .filter(dunning_steps::letter_sent_at.is_null())
        .order(dunning_steps::id.asc())
        .select((
            dunning_steps::all_columns,
            invoices::number,
            customers::customer_number,
        ))
        .load(conn)?;
    let sent: Vec<(StepRow, Option<String>, i64)> = dunning_steps::table
        .inner_join(invoices::table)
        .inner_join(customers::table)
        .filter(dunning_steps::by_letter.eq(true))
        .filter(dunning_steps::status.eq(StepStatus::Sent))
        .filter(dunning_steps::letter_sent_at.is_not_null())
        .order(dunning_steps::letter_sent_at.desc())
        .limit(sent_limit)
        .select((
            dunning_steps::all_columns,
            invoices::number,
            customers::customer_number,
        ))
        .load(conn)?;
    let mut all: Vec<(StepRow, Option<String>, i64)> = pending;
    all.extend(sent);
    Ok(all)
}

/// One step with its invoice's number, whoever's it is (staff).
pub fn step(conn: &mut DbConn, id: i64) -> QueryResult<Option<(StepRow, Option<String>)>> {
    dunning_steps::table
        .inner_join(invoices::table)
        .filter(dunning_steps::id.eq(id))
        .select((dunning_steps::all_columns, invoices::number))
        .get_result(conn)
        .optional()
}

/// Marks a by-letter step's letter sent, once: false when it is not waiting in the queue.
pub fn mark_letter_sent(
    conn: &mut DbConn,
    id: i64,
    staff_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        dunning_steps::table
            .find(id)
            .filter(dunning_steps::by_letter.eq(true))
            .filter(dunning_steps::status.eq(StepStatus::Sent))
            .filter(dunning_steps::letter_sent_at.is_null()),
    )
    .set((
        dunning_steps::letter_sent_at.eq(Some(now)),
        dunning_steps::letter_sent_by_staff_id.eq(staff_id),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
