//! Technicians, their areas, hours and days off; visit kinds; visits and the slot holds that
//! keep two bookings out of one technician's slot (`visit_slot_holds`' primary key).

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::visits::VisitStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    technician_areas, technician_days_off, technician_hours, technicians, visit_kinds,
    visit_slot_holds, visits,
};

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Technician {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct HoursRow {
    pub technician_id: i64,
    pub weekday: i64,
    pub starts_minute: i64,
    pub ends_minute: i64,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct DayOff {
    pub technician_id: i64,
    pub day: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct VisitKind {
    pub id: i64,
    pub name: String,
    pub duration_minutes: i64,
    pub price: i64,
    pub vat_rate: String,
    pub late_fee_percent: i64,
    pub late_cancel_hours: i64,
    pub free_notice_hours: i64,
    pub fee_rule: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = visit_kinds, treat_none_as_default_value = false)]
pub struct KindValues {
    pub name: String,
    pub duration_minutes: i64,
    pub price: i64,
    pub vat_rate: String,
    pub late_fee_percent: i64,
    pub late_cancel_hours: i64,
    pub free_notice_hours: i64,
    pub fee_rule: String,
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Visit {
    pub id: i64,
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub technician_id: i64,
    pub kind_id: i64,
    pub ticket_id: Option<i64>,
    pub service_id: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: VisitStatus,
    pub phone: String,
    pub access_notes: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub price: i64,
    pub revision: i64,
    pub fee_amount: Option<i64>,
    pub fee_reason: Option<String>,
    pub fee_charge_id: Option<i64>,
    pub fee_shortened_days: Option<i64>,
    pub fee_waived_at: Option<NaiveDateTime>,
    pub fee_waived_by_staff_id: Option<i64>,
    pub fee_waive_reason: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<String>,
    pub reminder_claimed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = visits, treat_none_as_default_value = false)]
pub struct NewVisit {
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub technician_id: i64,
    pub kind_id: i64,
    pub ticket_id: Option<i64>,
    pub service_id: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: VisitStatus,
    pub phone: String,
    pub access_notes: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub price: i64,
    pub revision: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a late cancellation or a missed visit recorded.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = visits, treat_none_as_null = true)]
pub struct FeeValues {
    pub fee_amount: Option<i64>,
    pub fee_reason: Option<String>,
    pub fee_charge_id: Option<i64>,
    pub fee_shortened_days: Option<i64>,
}

// --- technicians -------------------------------------------------------------------------

pub fn insert_technician(
    conn: &mut DbConn,
    name: &str,
    phone: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(technicians::table)
        .values((
            technicians::name.eq(name),
            technicians::phone.eq(phone),
            technicians::active.eq(true),
            technicians::created_at.eq(now),
        ))
        .returning(technicians::id)
        .get_result(conn)
}

pub fn update_technician(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    phone: Option<&str>,
    active: bool,
) -> QueryResult<bool> {
    diesel::update(technicians::table.find(id))
        .set((
            technicians::name.eq(name),
            technicians::phone.eq(phone),
            technicians::active.eq(active),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn technicians(conn: &mut DbConn) -> QueryResult<Vec<Technician>> {
    technicians::table.order(technicians::name).load(conn)
}

pub fn find_technician(conn: &mut DbConn, id: i64) -> QueryResult<Option<Technician>> {
    technicians::table.find(id).get_result(conn).optional()
}

/// (technician, area) of every active technician.
pub fn active_areas(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    technician_areas::table
        .inner_join(technicians::table)
        .filter(technicians::active.eq(true))
        .select((technician_areas::technician_id, technician_areas::area))
        .load(conn)
}

pub fn areas_of(conn: &mut DbConn, technician_id: i64) -> QueryResult<Vec<String>> {
    technician_areas::table
        .filter(technician_areas::technician_id.eq(technician_id))
        .select(technician_areas::area)
        .order(technician_areas::area)
        .load(conn)
}

pub fn replace_areas(conn: &mut DbConn, technician_id: i64, areas: &[String]) -> QueryResult<()> {
    diesel::delete(
        technician_areas::table.filter(technician_areas::technician_id.eq(technician_id)),
    )
    .execute(conn)?;
    for area in areas {
        diesel::insert_into(technician_areas::table)
            .values((
                technician_areas::technician_id.eq(technician_id),
                technician_areas::area.eq(area),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn hours_of(conn: &mut DbConn, technician_ids: &[i64]) -> QueryResult<Vec<HoursRow>> {
    technician_hours::table
        .filter(technician_hours::technician_id.eq_any(technician_ids))
        .order((technician_hours::technician_id, technician_hours::weekday))
        .load(conn)
}

/// Replaces a technician's week: (weekday, starts, ends) for the days they work.
pub fn replace_hours(
    conn: &mut DbConn,
    technician_id: i64,
    week: &[(i64, i64, i64)],
) -> QueryResult<()> {
    diesel::delete(
        technician_hours::table.filter(technician_hours::technician_id.eq(technician_id)),
    )
    .execute(conn)?;
    for (weekday, starts, ends) in week {
        diesel::insert_into(technician_hours::table)
            .values((
                technician_hours::technician_id.eq(technician_id),
                technician_hours::weekday.eq(weekday),
                technician_hours::starts_minute.eq(starts),
                technician_hours::ends_minute.eq(ends),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn days_off_of(
    conn: &mut DbConn,
    technician_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<DayOff>> {
    technician_days_off::table
        .filter(technician_days_off::technician_id.eq_any(technician_ids))
        .filter(technician_days_off::day.ge(from))
        .filter(technician_days_off::day.le(to))
        .order(technician_days_off::day)
        .load(conn)
}

/// Adds a day off; false when it was already one.
pub fn add_day_off(
    conn: &mut DbConn,
    technician_id: i64,
    day: NaiveDate,
    reason: &str,
) -> QueryResult<bool> {
    let exists = technician_days_off::table
        .find((technician_id, day))
        .count()
        .get_result::<i64>(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(technician_days_off::table)
        .values((
            technician_days_off::technician_id.eq(technician_id),
            technician_days_off::day.eq(day),
            technician_days_off::reason.eq(reason),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn remove_day_off(conn: &mut DbConn, technician_id: i64, day: NaiveDate) -> QueryResult<bool> {
    diesel::delete(technician_days_off::table.find((technician_id, day)))
        .execute(conn)
        .map(|n| n == 1)
}

// --- kinds -------------------------------------------------------------------------------

pub fn insert_kind(conn: &mut DbConn, kind: &KindValues, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(visit_kinds::table)
        .values((kind, visit_kinds::created_at.eq(now)))
        .returning(visit_kinds::id)
        .get_result(conn)
}

pub fn update_kind(conn: &mut DbConn, id: i64, kind: &KindValues) -> QueryResult<bool> {
    diesel::update(visit_kinds::table.find(id))
        .set(kind)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn kinds(conn: &mut DbConn) -> QueryResult<Vec<VisitKind>> {
    visit_kinds::table.order(visit_kinds::id).load(conn)
}

pub fn find_kind(conn: &mut DbConn, id: i64) -> QueryResult<Option<VisitKind>> {
    visit_kinds::table.find(id).get_result(conn).optional()
}

// --- visits ------------------------------------------------------------------------------

pub fn insert_visit(conn: &mut DbConn, visit: &NewVisit) -> QueryResult<i64> {
    diesel::insert_into(visits::table)
        .values(visit)
        .returning(visits::id)
        .get_result(conn)
}

pub fn find_visit(conn: &mut DbConn, id: i64) -> QueryResult<Option<Visit>> {
    visits::table.find(id).get_result(conn).optional()
}

/// The visit only if it is `customer_id`'s.
pub fn find_visit_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Visit>> {
    visits::table
        .filter(visits::id.eq(id))
        .filter(visits::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// The customer's visits with their kinds and technicians, the latest first.
pub fn visits_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(Visit, VisitKind, Technician)>> {
    concrete!(conn, |c| {
        visits::table
            .inner_join(visit_kinds::table)
            .inner_join(technicians::table)
            .filter(visits::customer_id.eq(customer_id))
            .order(visits::starts_at.desc())
            .load(c)
    })
}

/// A technician's visits starting in `[from, to)` (UTC), any status, with their kinds.
pub fn visits_of_technician(
    conn: &mut DbConn,
    technician_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(Visit, VisitKind)>> {
    concrete!(conn, |c| {
        visits::table
            .inner_join(visit_kinds::table)
            .filter(visits::technician_id.eq(technician_id))
            .filter(visits::starts_at.ge(from))
            .filter(visits::starts_at.lt(to))
            .order(visits::starts_at)
            .load(c)
    })
}

/// Moves a booked visit (its holds are replaced by the caller); false when it is not booked.
pub fn move_visit(
    conn: &mut DbConn,
    id: i64,
    technician_id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        visits::table
            .filter(visits::id.eq(id))
            .filter(visits::status.eq(VisitStatus::Booked)),
    )
    .set((
        visits::technician_id.eq(technician_id),
        visits::starts_at.eq(starts_at),
        visits::ends_at.eq(ends_at),
        visits::revision.eq(visits::revision + 1),
        // A moved visit is reminded of again.
        visits::reminder_claimed_at.eq(None::<NaiveDateTime>),
        visits::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends a booked visit as done, missed or cancelled; false when it was no longer booked
/// (someone else ended it first).
pub fn end_visit(
    conn: &mut DbConn,
    id: i64,
    status: VisitStatus,
    cancelled_by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let cancelled_at = cancelled_by.map(|_| now);
    diesel::update(
        visits::table
            .filter(visits::id.eq(id))
            .filter(visits::status.eq(VisitStatus::Booked)),
    )
    .set((
        visits::status.eq(status),
        visits::cancelled_by.eq(cancelled_by),
        visits::cancelled_at.eq(cancelled_at),
        visits::revision.eq(visits::revision + 1),
        visits::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn record_fee(conn: &mut DbConn, id: i64, fee: &FeeValues) -> QueryResult<()> {
    diesel::update(visits::table.find(id))
        .set(fee)
        .execute(conn)
        .map(|_| ())
}

/// Marks the fee waived; false when there was no fee or it was waived already.
pub fn waive_fee(
    conn: &mut DbConn,
    id: i64,
    staff_id: Option<i64>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        visits::table
            .filter(visits::id.eq(id))
            .filter(visits::fee_amount.is_not_null())
            .filter(visits::fee_waived_at.is_null()),
    )
    .set((
        visits::fee_waived_at.eq(Some(now)),
        visits::fee_waived_by_staff_id.eq(staff_id),
        visits::fee_waive_reason.eq(Some(reason)),
        visits::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Booked visits starting in `(now, until]` whose reminder nobody has claimed.
pub fn due_for_reminder(
    conn: &mut DbConn,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Visit>> {
    visits::table
        .filter(visits::status.eq(VisitStatus::Booked))
        .filter(visits::starts_at.gt(now))
        .filter(visits::starts_at.le(until))
        .filter(visits::reminder_claimed_at.is_null())
        .order(visits::starts_at)
        .limit(limit)
        .load(conn)
}

/// Claims a visit's reminder; false when another instance claimed it first.
pub fn claim_reminder(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        visits::table
            .filter(visits::id.eq(id))
            .filter(visits::reminder_claimed_at.is_null()),
    )
    .set(visits::reminder_claimed_at.eq(Some(now)))
    .execute(conn)
    .map(|n| n == 1)
}

// --- slot holds --------------------------------------------------------------------------

/// Holds the cells for a visit. A cell already held fails with a UNIQUE violation: someone
/// else's booking committed (or is committing) in that slot.
pub fn hold_cells(
    conn: &mut DbConn,
    technician_id: i64,
    visit_id: i64,
    cells: &[NaiveDateTime],
) -> QueryResult<()> {
    for cell in cells {
        diesel::insert_into(visit_slot_holds::table)
            .values((
                visit_slot_holds::technician_id.eq(technician_id),
                visit_slot_holds::slot_start.eq(cell),
                visit_slot_holds::visit_id.eq(visit_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn release_cells(conn: &mut DbConn, visit_id: i64) -> QueryResult<usize> {
    diesel::delete(visit_slot_holds::table.filter(visit_slot_holds::visit_id.eq(visit_id)))
        .execute(conn)
}

/// Held cells of the technicians in `[from, to)`.
pub fn held_cells(
    conn: &mut DbConn,
    technician_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    visit_slot_holds::table
        .filter(visit_slot_holds::technician_id.eq_any(technician_ids))
        .filter(visit_slot_holds::slot_start.ge(from))
        .filter(visit_slot_holds::slot_start.lt(to))
        .select((
            visit_slot_holds::technician_id,
            visit_slot_holds::slot_start,
        ))
        .load(conn)
}

/// A prepaid package's new end (a late-cancellation fee shortened it, or a waiver gave the
/// days back).
pub fn set_service_expiry(
    conn: &mut DbConn,
    service_id: i64,
    expires_on: NaiveDate,
) -> QueryResult<()> {
    use super::schema::services;
    diesel::update(services::table.find(service_id))
        .set(services::expires_on.eq(Some(expires_on)))
        .execute(conn)
        .map(|_| ())
}

/// Drops the visit's link to a charge that was deleted (waived).
pub fn forget_charge(conn: &mut DbConn, visit_id: i64) -> QueryResult<()> {
    diesel::update(visits::table.find(visit_id))
        .set(visits::fee_charge_id.eq(None::<i64>))
        .execute(conn)
        .map(|_| ())
}
