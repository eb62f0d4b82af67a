//! The audit trail: security events and staff actions, with actor, time, IP and details.

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
    pub customer_id: Option<i64>,
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
    pub customer_id: Option<i64>,
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
