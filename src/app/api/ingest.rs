//! Ingestion through the JSON API: batches of traffic counters from the ISP's collector
//! (`app::traffic::ingest`) and RADIUS accounting records (`app::radius::ingest`). Each batch is
//! checked whole first (a bad item is a field problem and nothing is stored), then stored in the
//! call's one write transaction. Both are idempotent: a counter replaces its (endpoint, interval)
//! row, a session record is merged into its accounting session; what was already stored so is
//! reported as a duplicate, and what no endpoint has is reported as unknown, never dropped
//! silently.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Answer, FieldProblem, Problem, parse_moment};
use crate::app::audit::Actor;
use crate::app::{audit, radius, traffic};
use crate::db::DbConn;
use crate::domain::radius::{SessionBatch, SessionRecord};
use crate::domain::traffic::{Counter, CounterBatch};

type Db<T> = Result<T, diesel::result::Error>;

/// The most items one batch may carry.
pub const MAX_BATCH: usize = 50_000;
/// How many item problems a refusal names.
const NAMED_PROBLEMS: usize = 20;

// ---- traffic ------------------------------------------------------------------------------------

/// One counter: the bytes an endpoint's IP moved in one interval.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterIn {
    /// The endpoint's IPv4 (or IPv6) address.
    pub ip: String,
    /// The start of the interval (RFC 3339; a time without an offset is UTC). Counters are kept
    /// per 5-minute interval: a counter inside one is put in it.
    pub interval_start: String,
    /// Bytes that came down to the subscriber.
    pub bytes_in: i64,
    /// Bytes that went up from the subscriber.
    pub bytes_out: i64,
}

/// A batch of counters from the collector (at most 50 000).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "counters": [
        {"ip": "100.64.0.10", "interval_start": "2026-12-08T10:00:00Z", "bytes_in": 52428800, "bytes_out": 4194304},
        {"ip": "100.64.0.10", "interval_start": "2026-12-08T10:05:00Z", "bytes_in": 31457280, "bytes_out": 2097152},
        {"ip": "100.64.9.99", "interval_start": "2026-12-08T10:00:00Z", "bytes_in": 1024, "bytes_out": 512}
    ]
}))]
pub struct TrafficIn {
    pub counters: Vec<CounterIn>,
}

/// What was done with a batch of counters.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "received": 3, "accepted": 2, "rows_written": 2, "duplicates": 0, "unknown": 1,
    "unknown_ips": ["100.64.9.99"], "too_old": 0, "in_future": 0
}))]
pub struct TrafficReport {
    /// Counters in the batch.
    pub received: usize,
    /// Counters of known endpoints within the kept period (those of one endpoint and interval
    /// are added up).
    pub accepted: usize,
    /// (endpoint, interval) rows inserted or changed.
    pub rows_written: usize,
    /// (endpoint, interval) rows already stored with the same bytes: a batch sent again.
    pub duplicates: usize,
    /// Counters for an IP no endpoint has (not stored).
    pub unknown: usize,
    /// The first 100 of those IPs, sorted.
    pub unknown_ips: Vec<String>,
    /// Counters older than the raw rows are kept (not stored).
    pub too_old: usize,
    /// Counters timed more than an interval ahead of now (not stored).
    pub in_future: usize,
}

/// Checks the whole batch: problems name the item (`counters[3].ip`).
fn counter_batch(input: &TrafficIn) -> Result<CounterBatch, Problem> {
    let mut errors = Vec::new();
    if input.counters.len() > MAX_BATCH {
        errors.push(too_many("counters"));
    }
    let mut counters = Vec::with_capacity(input.counters.len().min(MAX_BATCH));
    for (index, c) in input.counters.iter().enumerate().take(MAX_BATCH) {
        let field = |name: &str| format!("counters[{index}].{name}");
        let mut ok = true;
        if c.ip.trim().parse::<std::net::IpAddr>().is_err() {
            errors.push(problem(
                &field("ip"),
                "api-ip",
                "This is not an IP address.",
            ));
            ok = false;
        }
        let at = parse_moment(c.interval_start.trim());
        if at.is_none() {
            errors.push(problem(
                &field("interval_start"),
                "api-timestamp",
                "Use an RFC 3339 time, e.g. 2026-12-01T10:05:00Z.",
            ));
            ok = false;
        }
        for (name, bytes) in [("bytes_in", c.bytes_in), ("bytes_out", c.bytes_out)] {
            if bytes < 0 {
                errors.push(problem(
                    &field(name),
                    "api-negative",
                    "Byte counts cannot be negative.",
                ));
                ok = false;
            }
        }
        if let (true, Some(at)) = (ok, at) {
            counters.push(Counter {
                ip: c.ip.trim().to_owned(),
                at,
                bytes_in: c.bytes_in,
                bytes_out: c.bytes_out,
            });
        }
    }
    if errors.is_empty() {
        Ok(CounterBatch { counters })
    } else {
        Err(named(errors))
    }
}

/// Stores a batch of counters (`POST /api/v1/traffic`).
pub fn ingest_traffic(
    conn: &mut DbConn,
    input: &TrafficIn,
    raw_days: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let batch = match counter_batch(input) {
        Ok(batch) => batch,
        Err(problem) => return Ok(problem.into()),
    };
    let report = traffic::ingest(conn, &batch, now, raw_days)?;
    let out = TrafficReport {
        received: report.received,
        accepted: report.accepted,
        rows_written: report.rows_written,
        duplicates: report.duplicates,
        unknown: report.unknown,
        unknown_ips: report.unknown_ips,
        too_old: report.too_old,
        in_future: report.in_future,
    };
    if out.unknown + out.too_old + out.in_future > 0 {
        audit::record(
            conn,
            actor,
            "api_traffic_not_stored",
            json!({ "unknown": out.unknown, "unknown_ips": out.unknown_ips.iter().take(10).collect::<Vec<_>>(), "too_old": out.too_old, "in_future": out.in_future }),
            now,
        )?;
    }
    Ok(Answer::ok(200, out))
}

// ---- RADIUS sessions ----------------------------------------------------------------------------

/// One accounting record (Start, Interim-Update or Stop) of a session, as the NAS reports it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionIn {
    /// Acct-Unique-Session-Id (or Acct-Session-Id with the NAS's address): one session however
    /// often its records are sent.
    pub session_id: String,
    /// User-Name: the endpoint's PPPoE login.
    pub username: String,
    /// NAS-IP-Address.
    #[serde(default)]
    pub nas_ip: Option<String>,
    /// Framed-IP-Address; finds the endpoint when the login does not.
    #[serde(default)]
    pub framed_ip: Option<String>,
    /// RFC 3339; a time without an offset is UTC.
    pub started_at: String,
    /// Null while the session lasts.
    #[serde(default)]
    pub stopped_at: Option<String>,
    /// Bytes that came down to the subscriber (the NAS's Acct-Output-Octets with gigawords).
    pub bytes_in: i64,
    /// Bytes that went up from the subscriber (Acct-Input-Octets with gigawords).
    pub bytes_out: i64,
    /// Acct-Terminate-Cause, e.g. `User-Request`, `Lost-Carrier`.
    #[serde(default)]
    pub terminate_cause: Option<String>,
}

/// A batch of accounting records (at most 50 000).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "sessions": [
        {"session_id": "4f2a9c1e7b3d5a60", "username": "jan.kowalski", "nas_ip": "10.0.0.1",
         "framed_ip": "100.64.0.10", "started_at": "2026-12-08T06:12:40Z",
         "stopped_at": "2026-12-08T09:40:02Z", "bytes_in": 734003200, "bytes_out": 52428800,
         "terminate_cause": "Lost-Carrier"},
        {"session_id": "9b0c2d4e6f8a1b3c", "username": "jan.kowalski", "nas_ip": "10.0.0.1",
         "framed_ip": "100.64.0.10", "started_at": "2026-12-08T09:41:15Z", "stopped_at": null,
         "bytes_in": 1048576, "bytes_out": 262144, "terminate_cause": null}
    ]
}))]
pub struct SessionsIn {
    pub sessions: Vec<SessionIn>,
}

/// What was done with a batch of accounting records.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "received": 2, "created": 1, "updated": 1, "duplicates": 0, "unknown": 0, "unknown_logins": []
}))]
pub struct SessionsReport {
    /// Records in the batch.
    pub received: usize,
    /// Sessions seen for the first time.
    pub created: usize,
    /// Sessions already stored that a record told something new (a stop, more bytes).
    pub updated: usize,
    /// Records that told nothing new: sent before.
    pub duplicates: usize,
    /// Records whose login and IP no endpoint has (not stored).
    pub unknown: usize,
    /// The first 100 of their logins, sorted.
    pub unknown_logins: Vec<String>,
}

fn session_batch(input: &SessionsIn) -> Result<SessionBatch, Problem> {
    let mut errors = Vec::new();
    if input.sessions.len() > MAX_BATCH {
        errors.push(too_many("sessions"));
    }
    let mut sessions = Vec::with_capacity(input.sessions.len().min(MAX_BATCH));
    for (index, s) in input.sessions.iter().enumerate().take(MAX_BATCH) {
        let field = |name: &str| format!("sessions[{index}].{name}");
        let mut ok = true;
        let session_key = s.session_id.trim();
        if session_key.is_empty() || session_key.chars().count() > 255 {
            errors.push(problem(
                &field("session_id"),
                "api-session-id",
                "The accounting session id must be 1 to 255 characters.",
            ));
            ok = false;
        }
        if s.username.trim().is_empty() && s.framed_ip.as_deref().is_none_or(str::is_empty) {
            errors.push(problem(
                &field("username"),
                "api-missing-field",
                "Send the User-Name or the Framed-IP-Address.",
            ));
            ok = false;
        }
        for (name, ip) in [("nas_ip", &s.nas_ip), ("framed_ip", &s.framed_ip)] {
            if let Some(ip) = ip.as_deref().filter(|ip| !ip.trim().is_empty())
                && ip.trim().parse::<std::net::IpAddr>().is_err()
            {
                errors.push(problem(
                    &field(name),
                    "api-ip",
                    "This is not an IP address.",
                ));
                ok = false;
            }
        }
        let started = parse_moment(s.started_at.trim());
        if started.is_none() {
            errors.push(problem(
                &field("started_at"),
                "api-timestamp",
                "Use an RFC 3339 time, e.g. 2026-12-01T10:05:00Z.",
            ));
            ok = false;
        }
        let stopped = match s.stopped_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match parse_moment(text) {
                Some(at) => Some(at),
                None => {
                    errors.push(problem(
                        &field("stopped_at"),
                        "api-timestamp",
                        "Use an RFC 3339 time, e.g. 2026-12-01T10:05:00Z.",
                    ));
                    ok = false;
                    None
                }
            },
        };
        if let (Some(start), Some(stop)) = (started, stopped)
            && stop < start
        {
            errors.push(problem(
                &field("stopped_at"),
                "api-stop-before-start",
                "A session cannot stop before it started.",
            ));
            ok = false;
        }
        for (name, bytes) in [("bytes_in", s.bytes_in), ("bytes_out", s.bytes_out)] {
            if bytes < 0 {
                errors.push(problem(
                    &field(name),
                    "api-negative",
                    "Byte counts cannot be negative.",
                ));
                ok = false;
            }
        }
        if let (true, Some(started_at)) = (ok, started) {
            let text = |o: &Option<String>| {
                o.as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
            };
            sessions.push(SessionRecord {
                session_key: session_key.to_owned(),
                username: s.username.trim().to_owned(),
                nas_ip: text(&s.nas_ip),
                framed_ip: text(&s.framed_ip),
                started_at,
                stopped_at: stopped,
                bytes_in: s.bytes_in,
                bytes_out: s.bytes_out,
                terminate_cause: text(&s.terminate_cause),
            });
        }
    }
    if errors.is_empty() {
        Ok(SessionBatch { sessions })
    } else {
        Err(named(errors))
    }
}

/// Stores a batch of accounting records (`POST /api/v1/radius/sessions`).
pub fn ingest_sessions(
    conn: &mut DbConn,
    input: &SessionsIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let batch = match session_batch(input) {
        Ok(batch) => batch,
        Err(problem) => return Ok(problem.into()),
    };
    let report = radius::ingest(conn, &batch, now)?;
    let out = SessionsReport {
        received: report.received,
        created: report.created,
        updated: report.updated,
        duplicates: report.unchanged,
        unknown: report.unknown,
        unknown_logins: report.unknown_logins,
    };
    if out.unknown > 0 {
        audit::record(
            conn,
            actor,
            "api_sessions_not_stored",
            json!({ "unknown": out.unknown, "unknown_logins": out.unknown_logins.iter().take(10).collect::<Vec<_>>() }),
            now,
        )?;
    }
    Ok(Answer::ok(200, out))
}

// ---- shared -------------------------------------------------------------------------------------

fn problem(field: &str, code: &str, message: &str) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

fn too_many(field: &str) -> FieldProblem {
    problem(
        field,
        "api-batch-too-large",
        &format!("Send at most {MAX_BATCH} items in one batch."),
    )
}

/// A validation problem naming the first item problems (all are counted in the detail).
fn named(mut errors: Vec<FieldProblem>) -> Problem {
    let all = errors.len();
    errors.truncate(NAMED_PROBLEMS);
    let mut problem = Problem::field_list(errors);
    if all > NAMED_PROBLEMS {
        problem.detail = Some(format!(
            "{all} fields have problems; the first {NAMED_PROBLEMS} are named; nothing was stored"
        ));
    } else if let Some(detail) = problem.detail.as_mut() {
        detail.push_str("; nothing was stored");
    }
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_counter_names_its_item_and_nothing_passes() {
        let input = TrafficIn {
            counters: vec![
                CounterIn {
                    ip: "100.64.0.10".into(),
                    interval_start: "2026-12-08T10:00:00Z".into(),
                    bytes_in: 1,
                    bytes_out: 2,
                },
                CounterIn {
                    ip: "not-an-ip".into(),
                    interval_start: "yesterday".into(),
                    bytes_in: -1,
                    bytes_out: 0,
                },
            ],
        };
        let problem = counter_batch(&input).unwrap_err();
        let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "counters[1].ip",
                "counters[1].interval_start",
                "counters[1].bytes_in"
            ]
        );
    }

    #[test]
    fn a_session_may_not_stop_before_it_started() {
        let input = SessionsIn {
            sessions: vec![SessionIn {
                session_id: "a".into(),
                username: "jan".into(),
                nas_ip: None,
                framed_ip: None,
                started_at: "2026-12-08T10:00:00Z".into(),
                stopped_at: Some("2026-12-08T09:00:00+00:00".into()),
                bytes_in: 0,
                bytes_out: 0,
                terminate_cause: None,
            }],
        };
        let problem = session_batch(&input).unwrap_err();
        assert_eq!(problem.errors[0].code, "api-stop-before-start");
    }
}
