//! The staff side of profile change requests (`db::profile_changes` is the subscriber side):
//! the queue and the decision.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{customers, profile_change_requests};

/// The row as the subscriber side defines it.
pub use super::profile_changes::ProfileChangeRequest as ChangeRequest;

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
        .get_result(conn)
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

pub fn pending_total(conn: &mut DbConn) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::status.eq("pending"))
        .count()
        .get_result(conn)
}

/// Every request the customer ever made, whatever became of it.
pub fn count_of(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .count()
        .get_result(conn)
}
