//! The audit trail: security events and staff actions, with actor, time, IP and details.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::audit_log;

/// A row of `audit_log`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_account_id: Option<i64>,
    pub actor_staff_id: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub ip: Option<String>,
    pub action: String,
    pub details: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_account_id: Option<i64>,
    pub actor_staff_id: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub ip: Option<String>,
    pub action: String,
    pub details: String,
}

pub fn insert(conn: &mut DbConn, entry: &NewAuditEntry) -> QueryResult<i64> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .returning(audit_log::id)
        .get_result(conn)
}

pub fn insert_many(conn: &mut DbConn, rows: &[NewAuditEntry]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, audit_log::table, rows))
}

/// The account's entries with one of `actions`, newest first.
pub fn of_account(
    conn: &mut DbConn,
    account_id: i64,
    actions: &[&str],
    limit: i64,
) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::actor_account_id.eq(account_id))
        .filter(audit_log::action.eq_any(actions))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .load(conn)
}

pub fn count_action(conn: &mut DbConn, action: &str) -> QueryResult<i64> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
}

/// What the staff-wide audit log is narrowed to; `None` is "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    pub customer_number: Option<i64>,
    pub action: Option<String>,
    /// From this moment on (inclusive) …
    pub from: Option<NaiveDateTime>,
    /// … until before this one.
    pub until: Option<NaiveDateTime>,
}

/// An entry with the staff member's login and the customer's number, if any.
pub type AuditLogRow = (AuditEntry, Option<String>, Option<i64>);

/// Entries matching `filter`, newest first, at most `limit`.
pub fn search(
    conn: &mut DbConn,
    filter: &AuditFilter,
    limit: i64,
) -> QueryResult<Vec<AuditLogRow>> {
    use super::schema::{customers, staff_users};
    let mut query = audit_log::table
        .left_join(staff_users::table.on(staff_users::id.nullable().eq(audit_log::actor_staff_id)))
        .left_join(customers::table.on(customers::id.nullable().eq(audit_log::customer_id)))
        .select((
            audit_log::all_columns,
            staff_users::login.nullable(),
            customers::customer_number.nullable(),
        ))
        .into_boxed();
    if let Some(staff_id) = filter.staff_id {
        query = query.filter(audit_log::actor_staff_id.eq(staff_id));
    }
    if let Some(number) = filter.customer_number {
        query = query.filter(customers::customer_number.eq(number));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    query
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .load(conn)
}

/// Every kind of entry the log holds, for the filter's choices.
pub fn actions(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)
}
