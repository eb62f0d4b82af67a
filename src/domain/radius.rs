//! RADIUS accounting: the sessions an ISP's NAS reports (Start, Interim-Update, Stop), read from
//! FreeRADIUS's `detail` file or from its SQL `radacct` table exported as CSV, and merged into
//! one record per accounting session.
//!
//! Bytes are from the subscriber's side, as in `domain::traffic`: the NAS's Acct-Output-Octets
//! went down to the subscriber (`bytes_in`), Acct-Input-Octets came up from them (`bytes_out`).

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::traffic::{LineError, parse_timestamp};

/// One accounting session as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// Acct-Unique-Session-Id, or Acct-Session-Id with the NAS's address: what makes a session
    /// one row however often it is imported.
    pub session_key: String,
    /// User-Name: the PPPoE login.
    pub username: String,
    #[serde(default)]
    pub nas_ip: Option<String>,
    /// Framed-IP-Address: the IP the endpoint was given.
    #[serde(default)]
    pub framed_ip: Option<String>,
    pub started_at: NaiveDateTime,
    #[serde(default)]
    pub stopped_at: Option<NaiveDateTime>,
    pub bytes_in: i64,
    pub bytes_out: i64,
    #[serde(default)]
    pub terminate_cause: Option<String>,
}

/// A batch of sessions as the API or a file hands them over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionBatch {
    pub sessions: Vec<SessionRecord>,
}

/// What is known after `later` arrives for a session already recorded as `earlier`: the start
/// is the earliest seen, counters only grow, a stop and its cause stay once known. The same
/// records merged in any order, any number of times, give the same session.
pub fn merge(earlier: &SessionRecord, later: &SessionRecord) -> SessionRecord {
    SessionRecord {
        session_key: earlier.session_key.clone(),
        username: later.username.clone(),
        nas_ip: later.nas_ip.clone().or_else(|| earlier.nas_ip.clone()),
        framed_ip: later
            .framed_ip
            .clone()
            .or_else(|| earlier.framed_ip.clone()),
        started_at: earlier.started_at.min(later.started_at),
        stopped_at: match (earlier.stopped_at, later.stopped_at) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        },
        bytes_in: earlier.bytes_in.max(later.bytes_in),
        bytes_out: earlier.bytes_out.max(later.bytes_out),
        terminate_cause: later
            .terminate_cause
            .clone()
            .or_else(|| earlier.terminate_cause.clone()),
    }
}

/// Merges records of the same session within one file.
fn merged(records: Vec<SessionRecord>) -> Vec<SessionRecord> {
    let mut order: Vec<String> = Vec::new();
    let mut by_key: HashMap<String, SessionRecord> = HashMap::new();
    for record in records {
        match by_key.get(&record.session_key) {
            Some(known) => {
                let next = merge(known, &record);
                by_key.insert(record.session_key.clone(), next);
            }
            None => {
                order.push(record.session_key.clone());
                by_key.insert(record.session_key.clone(), record);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|key| by_key.remove(&key))
        .collect()
}

fn octets(low: Option<&str>, gigawords: Option<&str>) -> i64 {
    let low = low.and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0);
    let high = gigawords
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    (high << 32) + low
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

fn nonempty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// FreeRADIUS's `detail` file: records separated by blank lines, each a date line followed by
/// `Attribute = value` lines. The record's time is its `Timestamp` (Unix seconds) less
/// Acct-Delay-Time; a Stop or Interim-Update started Acct-Session-Time seconds before that.
pub fn parse_detail(text: &str) -> Result<Vec<SessionRecord>, Vec<LineError>> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut attributes: HashMap<String, String> = HashMap::new();
    let mut first_line = 0;
    fn finish(
        attributes: &mut HashMap<String, String>,
        line: usize,
        records: &mut Vec<SessionRecord>,
        errors: &mut Vec<LineError>,
    ) {
        if attributes.is_empty() {
            return;
        }
        match detail_record(attributes) {
            Ok(Some(record)) => records.push(record),
            Ok(None) => {}
            Err(reason) => errors.push(LineError {
                line,
                reason: reason.to_owned(),
            }),
        }
        attributes.clear();
    }
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            finish(&mut attributes, first_line, &mut records, &mut errors);
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            // The date line that opens a record.
            finish(&mut attributes, first_line, &mut records, &mut errors);
            first_line = index + 1;
            attributes.insert("__date".into(), line.trim().to_owned());
            continue;
        }
        match line.split_once('=') {
            Some((name, value)) => {
                attributes.insert(name.trim().to_owned(), unquote(value).to_owned());
            }
            None => errors.push(LineError {
                line: index + 1,
                reason: "expected \"Attribute = value\"".into(),
            }),
        }
    }
    finish(&mut attributes, first_line, &mut records, &mut errors);
    if errors.is_empty() {
        Ok(merged(records))
    } else {
        Err(errors)
    }
}

/// One record of a `detail` file; `None` for records that are not about a session
/// (Accounting-On/Off).
fn detail_record(a: &HashMap<String, String>) -> Result<Option<SessionRecord>, &'static str> {
    let get = |name: &str| a.get(name).map(String::as_str);
    let status = get("Acct-Status-Type").unwrap_or("");
    if !matches!(status, "Start" | "Stop" | "Interim-Update" | "Alive") {
        return Ok(None);
    }
    let session_id = nonempty(get("Acct-Session-Id")).ok_or("no Acct-Session-Id")?;
    let nas_ip = nonempty(get("NAS-IP-Address"));
    let session_key = match nonempty(get("Acct-Unique-Session-Id")) {
        Some(unique) => unique,
        None => format!("{}/{session_id}", nas_ip.as_deref().unwrap_or("-")),
    };
    let username = nonempty(get("User-Name")).ok_or("no User-Name")?;
    let stamp = get("Timestamp")
        .and_then(|t| t.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(|t| t.naive_utc())
        .or_else(|| get("__date").and_then(detail_date))
        .ok_or("no Timestamp")?;
    let delay = get("Acct-Delay-Time")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let event = stamp - Duration::seconds(delay);
    let length = get("Acct-Session-Time")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let started_at = if status == "Start" {
        event
    } else {
        event - Duration::seconds(length)
    };
    Ok(Some(SessionRecord {
        session_key,
        username,
        nas_ip,
        framed_ip: nonempty(get("Framed-IP-Address")),
        started_at,
        stopped_at: (status == "Stop").then_some(event),
        bytes_in: octets(get("Acct-Output-Octets"), get("Acct-Output-Gigawords")),
        bytes_out: octets(get("Acct-Input-Octets"), get("Acct-Input-Gigawords")),
        terminate_cause: if status == "Stop" {
            nonempty(get("Acct-Terminate-Cause"))
        } else {
            None
        },
    }))
}

/// The date line of a `detail` record, "Mon Dec  7 10:00:00 2026", read as UTC (FreeRADIUS
/// writes local time there; the `Timestamp` attribute, always present since 2.x, is preferred).
fn detail_date(line: &str) -> Option<NaiveDateTime> {
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&line, "%a %b %d %H:%M:%S %Y").ok()
}

/// Splits a CSV line, with `"…"` quoting and `""` for a quote inside.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// FreeRADIUS's SQL `radacct` table exported as CSV with its header
/// (`\copy radacct TO 'f.csv' CSV HEADER`, or the same columns from MySQL): `acctsessionid`,
/// `username`, `acctstarttime` are needed; `acctuniqueid`, `nasipaddress`, `framedipaddress`,
/// `acctstoptime`, `acctinputoctets`, `acctoutputoctets`, `acctterminatecause` are read when
/// present. Times are UTC.
pub fn parse_radacct_csv(text: &str) -> Result<Vec<SessionRecord>, Vec<LineError>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = csv_fields(header.trim_start_matches('\u{feff}'))
        .into_iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(session_col), Some(user_col), Some(start_col)) = (
        column("acctsessionid"),
        column("username"),
        column("acctstarttime"),
    ) else {
        return Err(vec![LineError {
            line: 1,
            reason: "the header must name acctsessionid, username and acctstarttime".into(),
        }]);
    };
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in lines {
        let fields = csv_fields(line);
        let get = |col: Option<usize>| col.and_then(|c| fields.get(c)).map(String::as_str);
        let problem = |reason: String| LineError {
            line: index + 1,
            reason,
        };
        let (Some(session_id), Some(username)) = (
            nonempty(get(Some(session_col))),
            nonempty(get(Some(user_col))),
        ) else {
            errors.push(problem("no acctsessionid or username".into()));
            continue;
        };
        let Some(started_at) = get(Some(start_col)).and_then(parse_timestamp) else {
            errors.push(problem("acctstarttime is not a timestamp".into()));
            continue;
        };
        let stopped_at = match nonempty(get(column("acctstoptime"))) {
            None => None,
            Some(text) => match parse_timestamp(&text) {
                Some(t) => Some(t),
                None => {
                    errors.push(problem(format!(
                        "acctstoptime \"{text}\" is not a timestamp"
                    )));
                    continue;
                }
            },
        };
        let nas_ip = nonempty(get(column("nasipaddress")));
        let session_key = match nonempty(get(column("acctuniqueid"))) {
            Some(unique) => unique,
            None => format!("{}/{session_id}", nas_ip.as_deref().unwrap_or("-")),
        };
        records.push(SessionRecord {
            session_key,
            username,
            nas_ip,
            framed_ip: nonempty(get(column("framedipaddress"))),
            started_at,
            stopped_at,
            bytes_in: octets(get(column("acctoutputoctets")), None),
            bytes_out: octets(get(column("acctinputoctets")), None),
            terminate_cause: nonempty(get(column("acctterminatecause"))),
        });
    }
    if errors.is_empty() {
        Ok(merged(records))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DETAIL: &str = "Mon Dec  7 10:00:00 2026\n\
        \tAcct-Status-Type = Start\n\
        \tAcct-Session-Id = \"8100001\"\n\
        \tUser-Name = \"jan@isp\"\n\
        \tNAS-IP-Address = 10.255.0.1\n\
        \tFramed-IP-Address = 10.0.0.5\n\
        \tTimestamp = 1796637600\n\
        \n\
        Mon Dec  7 12:00:00 2026\n\
        \tAcct-Status-Type = Stop\n\
        \tAcct-Session-Id = \"8100001\"\n\
        \tUser-Name = \"jan@isp\"\n\
        \tNAS-IP-Address = 10.255.0.1\n\
        \tFramed-IP-Address = 10.0.0.5\n\
        \tAcct-Session-Time = 7200\n\
        \tAcct-Input-Octets = 1000\n\
        \tAcct-Output-Octets = 5\n\
        \tAcct-Output-Gigawords = 1\n\
        \tAcct-Terminate-Cause = User-Request\n\
        \tTimestamp = 1796644800\n\
        \n\
        Mon Dec  7 12:00:01 2026\n\
        \tAcct-Status-Type = Accounting-On\n\
        \tNAS-IP-Address = 10.255.0.1\n";

    #[test]
    fn a_start_and_its_stop_make_one_session() {
        let sessions = parse_detail(DETAIL).unwrap();
        assert_eq!(sessions.len(), 1);
        let s = &sessions[0];
        assert_eq!(s.session_key, "10.255.0.1/8100001");
        assert_eq!(s.username, "jan@isp");
        assert_eq!(s.framed_ip.as_deref(), Some("10.0.0.5"));
        assert_eq!(s.stopped_at.unwrap() - s.started_at, Duration::hours(2));
        assert_eq!(s.bytes_in, (1 << 32) + 5);
        assert_eq!(s.bytes_out, 1000);
        assert_eq!(s.terminate_cause.as_deref(), Some("User-Request"));
    }

    #[test]
    fn merging_is_order_free_and_repeatable() {
        let sessions = parse_detail(DETAIL).unwrap();
        let stop = &sessions[0];
        let mut start = stop.clone();
        start.stopped_at = None;
        start.bytes_in = 0;
        start.terminate_cause = None;
        assert_eq!(merge(&start, stop), merge(stop, &start));
        assert_eq!(merge(&merge(&start, stop), stop), merge(&start, stop));
    }

    #[test]
    fn radacct_csv_by_its_header() {
        let text = "radacctid,acctsessionid,acctuniqueid,username,nasipaddress,acctstarttime,acctstoptime,acctinputoctets,acctoutputoctets,acctterminatecause,framedipaddress\n\
            1,81,u-81,jan@isp,10.255.0.1,2026-12-07 10:00:00,2026-12-07 11:00:00,10,20,\"Lost-Carrier\",10.0.0.5\n\
            2,82,,ola@isp,10.255.0.1,2026-12-07 10:30:00+00,,0,0,,\n";
        let sessions = parse_radacct_csv(text).unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].session_key, "u-81");
        assert_eq!(sessions[0].bytes_in, 20);
        assert_eq!(sessions[0].terminate_cause.as_deref(), Some("Lost-Carrier"));
        assert_eq!(sessions[1].session_key, "10.255.0.1/82");
        assert_eq!(sessions[1].stopped_at, None);
        assert!(parse_radacct_csv("a,b\n1,2\n").is_err());
        assert!(parse_radacct_csv("acctsessionid,username,acctstarttime\n1,x,never\n").is_err());
    }
}
