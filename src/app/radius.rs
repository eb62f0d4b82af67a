//! Connection history (issue 21): RADIUS accounting sessions per endpoint, ingested from the
//! ISP's accounting (`ebok radius import`, and the API), one row per accounting session however
//! often its records arrive. The subscriber sees the last connections on the service page; staff
//! on the customer card.
//!
//! A session's endpoint is the one whose PPPoE login is the session's User-Name, else the one
//! with the session's Framed-IP-Address. Sessions of no endpoint are counted and named in the
//! report, not stored.

use crate::domain::CustomerId;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::app::subscriptions::{self, ServiceView};
use crate::db::traffic::{RadiusSession, SessionValues};
use crate::db::{self, DbConn};
use crate::domain::radius::{SessionBatch, SessionRecord, merge};

const NAMED_UNKNOWN: usize = 100;

/// What an ingestion did with a batch of sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionReport {
    pub received: usize,
    /// Sessions seen for the first time.
    pub created: usize,
    /// Sessions already stored that the batch told something new (a stop, more bytes).
    pub updated: usize,
    /// Sessions already stored as the batch has them.
    pub unchanged: usize,
    /// Sessions whose login and IP no endpoint has.
    pub unknown: usize,
    /// Their logins (the first, sorted).
    pub unknown_logins: Vec<String>,
    /// Sessions with negative byte counts or a stop before their start.
    pub invalid: usize,
}

/// Stores the sessions: a new one is inserted, a known one (same session key) is merged with
/// what it says (`domain::radius::merge`), so importing the same records again changes nothing.
/// One transaction is the caller's.
pub fn ingest(
    conn: &mut DbConn,
    batch: &SessionBatch,
    now: NaiveDateTime,
) -> diesel::QueryResult<SessionReport> {
    let mut by_login: HashMap<String, i64> = HashMap::new();
    let mut by_ip: HashMap<String, i64> = HashMap::new();
    let logins: BTreeSet<String> = batch
        .sessions
        .iter()
        .map(|record| record.username.trim().to_lowercase())
        .collect();
    let addresses: BTreeSet<String> = batch
        .sessions
        .iter()
        .filter_map(|record| Some(record.framed_ip.as_ref()?.trim().to_owned()))
        .collect();
    let logins: Vec<String> = logins.into_iter().collect();
    let addresses: Vec<String> = addresses.into_iter().collect();
    for (id, login, ip) in db::traffic::endpoints_by_login_or_address(conn, &logins, &addresses)? {
        if let Some(login) = login {
            by_login.insert(login.trim().to_lowercase(), id);
        }
        if let Some(ip) = ip {
            by_ip.insert(ip.trim().to_owned(), id);
        }
    }
    let mut report = SessionReport {
        received: batch.sessions.len(),
        ..SessionReport::default()
    };
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    for record in &batch.sessions {
        if record.bytes_in < 0
            || record.bytes_out < 0
            || record.session_key.trim().is_empty()
            || record
                .stopped_at
                .is_some_and(|stop| stop < record.started_at)
        {
            report.invalid += 1;
            continue;
        }
        let endpoint = by_login
            .get(&record.username.trim().to_lowercase())
            .or_else(|| {
                record
                    .framed_ip
                    .as_ref()
                    .and_then(|ip| by_ip.get(ip.trim()))
            })
            .copied();
        let Some(endpoint_id) = endpoint else {
            report.unknown += 1;
            unknown.insert(record.username.clone());
            continue;
        };
        match db::traffic::session_by_key(conn, &record.session_key)? {
            None => {
                db::traffic::insert_session(conn, &values(record, endpoint_id, now))?;
                report.created += 1;
            }
            Some(stored) => {
                let known = as_record(&stored);
                let next = merge(&known, record);
                if next == known && stored.endpoint_id == endpoint_id {
                    report.unchanged += 1;
                } else {
                    db::traffic::update_session(conn, stored.id, &values(&next, endpoint_id, now))?;
                    report.updated += 1;
                }
            }
        }
    }
    report.unknown_logins = unknown.into_iter().take(NAMED_UNKNOWN).collect();
    if report.unknown > 0 {
        tracing::warn!(
            unknown = report.unknown,
            logins = ?report.unknown_logins,
            "RADIUS sessions of no endpoint"
        );
    }
    Ok(report)
}

fn values(record: &SessionRecord, endpoint_id: i64, now: NaiveDateTime) -> SessionValues {
    SessionValues {
        session_key: record.session_key.clone(),
        endpoint_id,
        username: record.username.clone(),
        nas_ip: record.nas_ip.clone(),
        framed_ip: record.framed_ip.clone(),
        started_at: record.started_at,
        stopped_at: record.stopped_at,
        bytes_in: record.bytes_in,
        bytes_out: record.bytes_out,
        terminate_cause: record.terminate_cause.clone(),
        updated_at: now,
    }
}

fn as_record(stored: &RadiusSession) -> SessionRecord {
    SessionRecord {
        session_key: stored.session_key.clone(),
        username: stored.username.clone(),
        nas_ip: stored.nas_ip.clone(),
        framed_ip: stored.framed_ip.clone(),
        started_at: stored.started_at,
        stopped_at: stored.stopped_at,
        bytes_in: stored.bytes_in,
        bytes_out: stored.bytes_out,
        terminate_cause: stored.terminate_cause.clone(),
    }
}

/// The last connections of the customer's endpoints (all of them, or one service's), newest
/// first; only the customer's.
pub fn recent_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: Option<i64>,
    limit: i64,
) -> diesel::QueryResult<Vec<RadiusSession>> {
    let endpoints: Vec<i64> = db::traffic::endpoints_of_customer(conn, customer_id)?
        .into_iter()
        .filter(|e| service_id.is_none_or(|id| e.service_id == id))
        .map(|e| e.id)
        .collect();
    if endpoints.is_empty() {
        return Ok(Vec::new());
    }
    db::traffic::recent_sessions(conn, &endpoints, limit)
}

/// How many connections the service page and the customer card show.
pub const RECENT: i64 = 10;

/// One of the customer's services with the last connections of its endpoints, for the service
/// page; `(None, [])` for anyone else's service.
pub fn service_with_connections(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: i64,
) -> diesel::QueryResult<(Option<ServiceView>, Vec<RadiusSession>)> {
    let Some(service) = subscriptions::service(conn, customer_id, service_id)? else {
        return Ok((None, Vec::new()));
    };
    let connections = recent_of_customer(conn, customer_id, Some(service_id), RECENT)?;
    Ok((Some(service), connections))
}
