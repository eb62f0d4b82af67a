//! Consents with their history: the newest row per customer and kind is in force.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::consents;

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Consent {
    pub id: i64,
    pub customer_id: CustomerId,
    pub kind: String,
    pub granted: bool,
    pub text_version: String,
    pub account_id: Option<i64>,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = consents, treat_none_as_default_value = false)]
pub struct NewConsent {
    pub customer_id: CustomerId,
    pub kind: String,
    pub granted: bool,
    pub text_version: String,
    pub account_id: Option<i64>,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

pub fn record(conn: &mut DbConn, consent: &NewConsent) -> QueryResult<i64> {
    diesel::insert_into(consents::table)
        .values(consent)
        .returning(consents::id)
        .get_result(conn)
}

/// The consent in force (the newest decision), if the customer ever decided.
pub fn current(
    conn: &mut DbConn,
    customer_id: CustomerId,
    kind: &str,
) -> QueryResult<Option<Consent>> {
    consents::table
        .filter(consents::customer_id.eq(customer_id))
        .filter(consents::kind.eq(kind))
        .order((consents::at.desc(), consents::id.desc()))
        .first(conn)
        .optional()
}

pub fn has_granted(conn: &mut DbConn, customer_id: CustomerId, kind: &str) -> QueryResult<bool> {
    Ok(current(conn, customer_id, kind)?.is_some_and(|c| c.granted))
}
