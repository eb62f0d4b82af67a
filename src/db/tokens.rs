//! One-time tokens for activation, password reset, e-mail change and invites. Only the SHA-256
//! of a token is stored; a token is used at most once and expires.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::one_time_tokens;

/// A row of `one_time_tokens`.
#[derive(Debug, Clone, Queryable)]
pub struct OneTimeToken {
    pub id: i64,
    pub purpose: String,
    pub token_hash: String,
    pub account_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub payload: Option<String>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = one_time_tokens, treat_none_as_default_value = false)]
pub struct NewOneTimeToken {
    pub purpose: String,
    pub token_hash: String,
    pub account_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub payload: Option<String>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, token: &NewOneTimeToken) -> QueryResult<i64> {
    diesel::insert_into(one_time_tokens::table)
        .values(token)
        .returning(one_time_tokens::id)
        .get_result(conn)
}

/// The unused, unexpired token with this hash and purpose.
pub fn find_usable(
    conn: &mut DbConn,
    purpose: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<OneTimeToken>> {
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .get_result(conn)
        .optional()
}

/// Marks the token used; false when another request used it first.
pub fn consume(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::id.eq(id))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(now)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Retires the account's unused tokens of a purpose, so only the newest link works.
pub fn retire_for_account(
    conn: &mut DbConn,
    account_id: i64,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::account_id.eq(account_id))
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(now)))
    .execute(conn)
}

/// Open (unused, unexpired) tokens of `purpose` issued for a customer, newest first.
pub fn open_for_customer(
    conn: &mut DbConn,
    purpose: &str,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> QueryResult<Vec<OneTimeToken>> {
    one_time_tokens::table
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::customer_id.eq(customer_id))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .order(one_time_tokens::created_at.desc())
        .load(conn)
}

/// Retires one open token of a customer (theirs only); rows changed.
pub fn retire_for_customer(
    conn: &mut DbConn,
    id: i64,
    purpose: &str,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::id.eq(id))
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::customer_id.eq(customer_id))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(now)))
    .execute(conn)
}
