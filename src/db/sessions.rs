//! Server-side sessions of subscribers and staff. The cookie carries a random token; the row
//! keeps its hash, so a stolen database cannot be replayed as cookies.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::accounts::Account;
use super::schema::{accounts, sessions, staff_users};
use super::staff::StaffUser;

/// A row of `sessions`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Session {
    pub id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub account_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions, treat_none_as_default_value = false)]
pub struct NewSession {
    pub token_hash: String,
    pub account_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, session: &NewSession) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values(session)
        .returning(sessions::id)
        .get_result(conn)
}

/// The session with this token hash unless it was ended (timeouts are the caller's rule).
pub fn find_open(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<Session>> {
    sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::ended_at.is_null())
        .get_result(conn)
        .optional()
}

/// The open session with this token hash and the subscriber account it belongs to, in one
/// query: every signed-in page asks this first.
pub fn find_open_with_account(
    conn: &mut DbConn,
    token_hash: &str,
) -> QueryResult<Option<(Session, Option<Account>)>> {
    concrete!(conn, |c| {
        sessions::table
            .left_join(accounts::table)
            .filter(sessions::token_hash.eq(token_hash))
            .filter(sessions::ended_at.is_null())
            .get_result(c)
            .optional()
    })
}

/// The same for a staff member's session.
pub fn find_open_with_staff(
    conn: &mut DbConn,
    token_hash: &str,
) -> QueryResult<Option<(Session, Option<StaffUser>)>> {
    concrete!(conn, |c| {
        sessions::table
            .left_join(staff_users::table)
            .filter(sessions::token_hash.eq(token_hash))
            .filter(sessions::ended_at.is_null())
            .get_result(c)
            .optional()
    })
}

pub fn touch(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub fn end(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)
    .map(|_| ())
}

/// Ends every open session of the account except `keep`; returns how many ended.
pub fn end_all_of_account(
    conn: &mut DbConn,
    account_id: i64,
    keep: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::account_id.eq(account_id))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(-1))),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)
}

/// Ends every open session of the staff user except `keep`.
pub fn end_all_of_staff_user(
    conn: &mut DbConn,
    staff_user_id: i64,
    keep: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::staff_user_id.eq(staff_user_id))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(-1))),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)
}

/// Open, unexpired sessions of the account, newest activity first.
pub fn open_of_account(
    conn: &mut DbConn,
    account_id: i64,
    idle_since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(idle_since))
        .order(sessions::last_seen_at.desc())
        .load(conn)
}
