//! Ready answers staff insert into a ticket reply.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::canned_responses;

/// A row of `canned_responses`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub active: bool,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = canned_responses, treat_none_as_default_value = false)]
pub struct NewCannedResponse {
    pub title: String,
    pub body: String,
    pub active: bool,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, response: &NewCannedResponse) -> QueryResult<i64> {
    diesel::insert_into(canned_responses::table)
        .values(response)
        .returning(canned_responses::id)
        .get_result(conn)
}

/// All of them for the management page, or only the active ones for the reply form.
pub fn list(conn: &mut DbConn, active_only: bool) -> QueryResult<Vec<CannedResponse>> {
    let mut query = canned_responses::table
        .order((canned_responses::title.asc(), canned_responses::id.asc()))
        .into_boxed();
    if active_only {
        query = query.filter(canned_responses::active.eq(true));
    }
    query.load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<CannedResponse>> {
    canned_responses::table.find(id).get_result(conn).optional()
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    title: &str,
    body: &str,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(canned_responses::table.find(id))
        .set((
            canned_responses::title.eq(title),
            canned_responses::body.eq(body),
            canned_responses::active.eq(active),
            canned_responses::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}
