//! Subscriber logins. Several accounts may belong to one customer, each with a role.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::accounts;

/// A row of `accounts`.
#[derive(Debug, Clone, Queryable)]
pub struct Account {
    pub id: i64,
    pub customer_id: i64,
    pub login: String,
    pub login_key: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
    pub language: String,
    pub totp_secret: Option<String>,
    pub terms_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = accounts, treat_none_as_default_value = false)]
pub struct NewAccount {
    pub customer_id: i64,
    pub login: String,
    pub login_key: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
    pub language: String,
    pub totp_secret: Option<String>,
    pub terms_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, account: &NewAccount) -> QueryResult<i64> {
    diesel::insert_into(accounts::table)
        .values(account)
        .returning(accounts::id)
        .get_result(conn)
}

/// Logins are unique case-insensitively: callers pass the lower-cased key.
pub fn find_by_login_key(conn: &mut DbConn, login_key: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::login_key.eq(login_key))
        .first(conn)
        .optional()
}
