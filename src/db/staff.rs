//! Staff users of the ISP (admin, billing, support), separate from subscriber accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::staff_users;

/// A row of `staff_users`.
#[derive(Debug, Clone, Queryable)]
pub struct StaffUser {
    pub id: i64,
    pub login: String,
    pub login_key: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub totp_secret: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = staff_users, treat_none_as_default_value = false)]
pub struct NewStaffUser {
    pub login: String,
    pub login_key: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub totp_secret: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, user: &NewStaffUser) -> QueryResult<i64> {
    diesel::insert_into(staff_users::table)
        .values(user)
        .returning(staff_users::id)
        .get_result(conn)
}

pub fn find_by_login_key(conn: &mut DbConn, login_key: &str) -> QueryResult<Option<StaffUser>> {
    staff_users::table
        .filter(staff_users::login_key.eq(login_key))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<StaffUser>> {
    staff_users::table.find(id).get_result(conn).optional()
}

pub fn record_login(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(staff_users::table.find(id))
        .set(staff_users::last_login_at.eq(Some(now)))
        .execute(conn)
        .map(|_| ())
}

/// Active staff members by name, for assignment lists and showing who wrote what.
pub fn all_active(conn: &mut DbConn) -> QueryResult<Vec<StaffUser>> {
    staff_users::table
        .filter(staff_users::active.eq(true))
        .order((staff_users::full_name.asc(), staff_users::id.asc()))
        .load(conn)
}
