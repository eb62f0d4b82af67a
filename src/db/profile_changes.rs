//! Profile changes a subscriber asked for that the ISP must verify first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::profile_change_requests;

/// A row of `profile_change_requests`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ProfileChangeRequest {
    pub id: i64,
    pub customer_id: i64,
    pub account_id: Option<i64>,
    pub field: String,
    pub requested: String,
    pub status: String,
    pub ip: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by_staff_id: Option<i64>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = profile_change_requests, treat_none_as_default_value = false)]
pub struct NewProfileChangeRequest {
    pub customer_id: i64,
    pub account_id: Option<i64>,
    pub field: String,
    pub requested: String,
    pub status: String,
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
    customer_id: i64,
) -> QueryResult<Vec<ProfileChangeRequest>> {
    profile_change_requests::table
        .filter(profile_change_requests::customer_id.eq(customer_id))
        .filter(profile_change_requests::status.eq("pending"))
        .order(profile_change_requests::requested_at.asc())
        .load(conn)
}

/// Withdraws a pending request of the customer (theirs only); returns rows changed.
pub fn withdraw(
    conn: &mut DbConn,
    customer_id: i64,
    request_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::id.eq(request_id))
            .filter(profile_change_requests::customer_id.eq(customer_id))
            .filter(profile_change_requests::status.eq("pending")),
    )
    .set((
        profile_change_requests::status.eq("withdrawn"),
        profile_change_requests::decided_at.eq(Some(now)),
    ))
    .execute(conn)
}

/// Withdraws the customer's pending request for `field`, if any (a new one replaces it).
pub fn withdraw_field(
    conn: &mut DbConn,
    customer_id: i64,
    field: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        profile_change_requests::table
            .filter(profile_change_requests::customer_id.eq(customer_id))
            .filter(profile_change_requests::field.eq(field))
            .filter(profile_change_requests::status.eq("pending")),
    )
    .set((
        profile_change_requests::status.eq("withdrawn"),
        profile_change_requests::decided_at.eq(Some(now)),
    ))
    .execute(conn)
}
