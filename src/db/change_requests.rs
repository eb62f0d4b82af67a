//! Profile changes subscribers ask for (name, address, NIP, PESEL) and staff decide.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{customers, profile_change_requests};

/// A row of `profile_change_requests`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ChangeRequest {
    pub id: i64,
    pub customer_id: i64,
    pub account_id: Option<i64>,
    pub field: String,
    /// JSON; its shape depends on `field`.
    pub requested: String,
    pub status: String,
    pub ip: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by_staff_id: Option<i64>,
    pub decision_note: Option<String>,
}

/// Pending requests, oldest first (first come, first served), with their customers.
pub fn pending(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<(ChangeRequest, Customer)>> {
    profile_change_requests::table
        .inner_join(customers::table)
        .filter(profile_change_requests::status.eq("pending"))
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
        .first(conn)
        .optional()
}

pub fn pending_count_of(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .filter(profile_change_requests::status.eq("pending"))
        .count()
        .get_result(conn)
}

/// Moves a pending request to `status`; false when it was decided (or withdrawn) meanwhile, so
/// two staff members deciding at once cannot both apply it.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    staff_id: i64,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::id.eq(id))
            .filter(profile_change_requests::status.eq("pending")),
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

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = profile_change_requests, treat_none_as_default_value = false)]
pub struct NewChangeRequest {
    pub customer_id: i64,
    pub account_id: Option<i64>,
    pub field: String,
    pub requested: String,
    pub status: String,
    pub ip: Option<String>,
    pub requested_at: NaiveDateTime,
}

/// Used by the demo (and tests) to put requests in the queue.
pub fn insert(conn: &mut DbConn, request: &NewChangeRequest) -> QueryResult<i64> {
    diesel::insert_into(profile_change_requests::table)
        .values(request)
        .returning(profile_change_requests::id)
        .get_result(conn)
}

pub fn pending_total(conn: &mut DbConn) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::status.eq("pending"))
        .count()
        .get_result(conn)
}
