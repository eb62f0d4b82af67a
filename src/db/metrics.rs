//! What the monitoring page reads at scrape time: queue lengths with their oldest entry, the
//! latest billing run's progress, and security events since start of day.

use crate::domain::{KsefState, MailStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{audit_log, billing_runs, ksef_documents, outbox};

/// How many entries wait and since when the oldest waits.
#[derive(Debug, Default, Clone, Copy)]
pub struct Queue {
    pub waiting: i64,
    pub oldest: Option<NaiveDateTime>,
}

pub fn outbox_queue(conn: &mut DbConn) -> QueryResult<Queue> {
    let (waiting, oldest) = outbox::table
        .filter(outbox::status.eq(MailStatus::Pending))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(outbox::created_at),
        ))
        .first::<(i64, Option<NaiveDateTime>)>(conn)?;
    Ok(Queue { waiting, oldest })
}

/// KSeF documents by state (queued, sending, sent, accepted, rejected, …).
pub fn ksef_states(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    ksef_documents::table
        .group_by(ksef_documents::state)
        .select((ksef_documents::state, diesel::dsl::count_star()))
        .load(conn)
}

/// The oldest KSeF document still on its way (not yet given a number or refused).
pub fn ksef_oldest_waiting(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    ksef_documents::table
        .filter(ksef_documents::state.eq_any([
            KsefState::Queued,
            KsefState::Sending,
            KsefState::Sent,
        ]))
        .select(diesel::dsl::min(ksef_documents::next_attempt_at))
        .first(conn)
}

/// The newest billing run's progress.
#[derive(Debug, Queryable)]
pub struct RunProgress {
    pub period: String,
    pub status: String,
    pub customers_total: i64,
    pub customers_done: i64,
    pub issued: i64,
}

pub fn latest_billing_run(conn: &mut DbConn) -> QueryResult<Option<RunProgress>> {
    billing_runs::table
        .order(billing_runs::id.desc())
        .select((
            billing_runs::period,
            billing_runs::status,
            billing_runs::customers_total,
            billing_runs::customers_done,
            billing_runs::issued,
        ))
        .first(conn)
        .optional()
}

/// Audit events of the given actions since `since`, by action.
pub fn audit_counts(
    conn: &mut DbConn,
    actions: &[&str],
    since: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    audit_log::table
        .filter(audit_log::action.eq_any(actions))
        .filter(audit_log::at.ge(since))
        .group_by(audit_log::action)
        .select((audit_log::action, diesel::dsl::count_star()))
        .load(conn)
}
