//! Profile changes a subscriber asked for that the ISP must verify first: the subscriber side
//! (ask, see what is pending, withdraw) and the staff side (the queue and the decision).

use crate::domain::{ChangeRequestStatus, CustomerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{customers, profile_change_requests};

/// A row of `profile_change_requests`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ProfileChangeRequest {
    pub id: i64,
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    pub field: String,
    pub requested: String,
    pub status: ChangeRequestStatus,
    pub ip: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by_staff_id: Option<i64>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = profile_change_requests, treat_none_as_default_value = false)]
pub struct NewProfileChangeRequest {
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    pub field: String,
    pub requested: String,
    pub status: ChangeRequestStatus,
    pub ip: Option<String>,
    pub requested_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, request: &NewProfileChangeRequest) -> QueryResult<i64> {
    diesel::insert_into(profile_change_requests::table)
        .values(request)
        .returning(profile_change_requests::id)
        .get_result(conn)
}

/// The customer's requests still waiting for staff, oldest first.
pub fn pending_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<ProfileChangeRequest>> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending))
        .order(profile_change_requests::requested_at.asc())
        .load(conn)
}

/// Withdraws a pending request of the customer (theirs only); returns rows changed.
pub fn withdraw(
    conn: &mut DbConn,
    customer_id: CustomerId,
    request_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::id.eq(request_id))
            .filter(profile_change_requests::customer_id.eq(customer_id))
            .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending)),
    )
    .set((
        profile_change_requests::status.eq(ChangeRequestStatus::Withdrawn),
        profile_change_requests::decided_at.eq(Some(now)),
    ))
    .execute(conn)
}

/// Withdraws the customer's pending request for `field`, if any (a new one replaces it).
pub fn withdraw_field(
    conn: &mut DbConn,
    customer_id: CustomerId,
    field: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::customer_id.eq(customer_id))
            .filter(profile_change_requests::field.eq(field))
            .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending)),
    )
    .set((
        profile_change_requests::status.eq(ChangeRequestStatus::Withdrawn),
        profile_change_requests::decided_at.eq(Some(now)),
    ))
    .execute(conn)
}

/// The row as the staff side names it.
pub type ChangeRequest = ProfileChangeRequest;

/// Pending requests, oldest first (first come, first served), with their customers.
pub fn pending(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<(ChangeRequest, Customer)>> {
    profile_change_requests::table
        .inner_join(customers::table)
        .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending))
        .order((
            profile_change_requests::requested_at.asc(),
            profile_change_requests::id.asc(),
        ))
        .limit(limit)
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ChangeRequest>> {
    profile_change_requests::table
        .find(id)
        .get_result(conn)
        .optional()
}

pub fn pending_count_of(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending))
        .count()
        .get_result(conn)
}

/// Moves a pending request to `status`; false when it was decided (or withdrawn) meanwhile, so
/// two staff members deciding at once cannot both apply it.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    status: ChangeRequestStatus,
    staff_id: i64,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::id.eq(id))
            .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending)),
    )
    .set((
        profile_change_requests::status.eq(status),
        profile_change_requests::decided_at.eq(now),
        profile_change_requests::decided_by_staff_id.eq(staff_id),
        profile_change_requests::decision_note.eq(note),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn pending_total(conn: &mut DbConn) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::status.eq(ChangeRequestStatus::Pending))
        .count()
        .get_result(conn)
}

/// Every request the customer ever made, whatever became of it.
pub fn count_of(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .count()
        .get_result(conn)
}
