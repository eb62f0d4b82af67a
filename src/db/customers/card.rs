//! What the staff customer card reads beyond the customer's own aggregates: tickets, consents
//! with their history, and the audit trail about the customer.

use crate::domain::CustomerId;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::audit::AuditEntry;
use crate::db::consents::Consent;
use crate::db::schema::{audit_log, consents, staff_users, tickets};
use crate::db::tickets::Ticket;

pub fn tickets_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    limit: i64,
) -> QueryResult<Vec<Ticket>> {
    tickets::table
        .filter(tickets::customer_id.eq(customer_id))
        .order((tickets::updated_at.desc(), tickets::id.desc()))
        .limit(limit)
        .load(conn)
}

/// Every consent decision, newest first (the first per kind is in force).
pub fn consents_of(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Consent>> {
    consents::table
        .filter(consents::customer_id.eq(customer_id))
        .order((consents::at.desc(), consents::id.desc()))
        .load(conn)
}

/// The audit trail about the customer, newest first, with the staff login where staff acted.
pub fn audit_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    limit: i64,
) -> QueryResult<Vec<(AuditEntry, Option<String>)>> {
    audit_log::table
        .left_join(staff_users::table.on(staff_users::id.nullable().eq(audit_log::actor_staff_id)))
        .filter(audit_log::customer_id.eq(customer_id))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .select((audit_log::all_columns, staff_users::login.nullable()))
        .limit(limit)
        .load(conn)
}
