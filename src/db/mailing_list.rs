//! The mailing list: who is on it (the marketing consent in force, newest decision wins) and the
//! hashed one-time tokens of the leave links in marketing mail.

use crate::domain::CustomerId;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::schema::{consents, customers, mailing_list_tokens};

/// The consent kind that puts a customer on the list.
pub const CONSENT_KIND: &str = "marketing";

/// Ids of customers whose newest marketing decision is a grant, in customer order.
pub fn subscriber_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    // Every decision in time order; the last one per customer stands. One pass over the
    // consent history, which only grows by real decisions.
    let decisions: Vec<(i64, bool)> = consents::table
        .filter(consents::kind.eq(CONSENT_KIND))
        .order((consents::at.asc(), consents::id.asc()))
        .select((consents::customer_id, consents::granted))
        .load(conn)?;
    let mut standing: HashMap<i64, bool> = HashMap::new();
    for (customer, granted) in decisions {
        standing.insert(customer, granted);
    }
    let mut ids: Vec<i64> = standing
        .into_iter()
        .filter_map(|(customer, granted)| granted.then_some(customer))
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

pub fn customers_by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Customer>> {
    customers::table
        .filter(customers::id.eq_any(ids))
        .order(customers::id)
        .load(conn)
}

pub fn insert_token(
    conn: &mut DbConn,
    customer_id: CustomerId,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(mailing_list_tokens::table)
        .values((
            mailing_list_tokens::customer_id.eq(customer_id),
            mailing_list_tokens::token_hash.eq(token_hash),
            mailing_list_tokens::created_at.eq(now),
            mailing_list_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Uses the token: the customer it belongs to, if it was unused and unexpired. The conditional
/// update makes it single use even when two requests bring it at once.
pub fn use_token(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<CustomerId>> {
    diesel::update(
        mailing_list_tokens::table
            .filter(mailing_list_tokens::token_hash.eq(token_hash))
            .filter(mailing_list_tokens::used_at.is_null())
            .filter(mailing_list_tokens::expires_at.gt(now)),
    )
    .set(mailing_list_tokens::used_at.eq(Some(now)))
    .returning(mailing_list_tokens::customer_id)
    .get_result(conn)
    .optional()
}

/// Whether the token is one that can still be used (the page before the button says so).
pub fn token_usable(conn: &mut DbConn, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        mailing_list_tokens::table
            .filter(mailing_list_tokens::token_hash.eq(token_hash))
            .filter(mailing_list_tokens::used_at.is_null())
            .filter(mailing_list_tokens::expires_at.gt(now)),
    ))
    .get_result(conn)
}
