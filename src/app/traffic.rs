//! Traffic statistics (issue 21): counters from the ISP's collector are ingested per endpoint
//! IP into raw 5-minute rows (idempotent per endpoint and interval), rolled up into hourly and
//! daily rows by a job (`jobs::traffic`), and shown per endpoint by day, week, month and year
//! (`/statystyki`, and to staff per customer with the top users).
//!
//! Counters for an IP no endpoint has are counted and named in the report, never dropped
//! silently; so are counters older than the raw rows are kept (their hour may already be summed
//! without the raw rows it had) and counters from the future.

use crate::domain::CustomerId;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::db::traffic::{OwnEndpoint, Sample, TopUser};
use crate::db::{self, DbConn};
use crate::domain::traffic::{
    Bar, CounterBatch, Period, day_hours, hour_start, interval_start, local_day, local_midnight,
    period_days, shift,
};

/// How many unknown IPs a report names (all are counted).
const NAMED_UNKNOWN: usize = 100;
/// How long a roll-up claim holds before another instance may take the bucket over.
const CLAIM_MINUTES: i64 = 10;

/// What an ingestion did with a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Counters in the batch.
    pub received: usize,
    /// Counters stored (those of one endpoint and interval within a batch are added up first).
    pub accepted: usize,
    /// (endpoint, interval) rows written, new or replaced.
    pub rows_written: usize,
    /// (endpoint, interval) rows already stored with the same bytes (a batch sent again).
    pub duplicates: usize,
    /// Counters for an IP no endpoint has.
    pub unknown: usize,
    /// The first unknown IPs, sorted.
    pub unknown_ips: Vec<String>,
    /// Counters older than the raw rows are kept.
    pub too_old: usize,
    /// Counters timed more than an interval ahead of now.
    pub in_future: usize,
    /// Counters whose IP is no address or whose byte counts are negative.
    pub invalid: usize,
}

/// Ingests a batch of counters: each is put in its endpoint's 5-minute interval; a counter for
/// an (endpoint, interval) already stored replaces it, so importing the same counters twice
/// changes nothing. The hours touched are queued for the roll-up job. One transaction is the
/// caller's.
pub fn ingest(
    conn: &mut DbConn,
    batch: &CounterBatch,
    now: NaiveDateTime,
    raw_days: i64,
) -> diesel::QueryResult<IngestReport> {
    let wanted: BTreeSet<String> = batch
        .counters
        .iter()
        .filter_map(|counter| counter.ip.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_string())
        .collect();
    let wanted: Vec<String> = wanted.into_iter().collect();
    let addresses: HashMap<IpAddr, i64> = db::traffic::endpoints_by_address(conn, &wanted)?
        .into_iter()
        .filter_map(|(id, ip)| ip.trim().parse::<IpAddr>().ok().map(|ip| (ip, id)))
        .collect();
    let oldest = interval_start(now - Duration::days(raw_days));
    let newest = now + Duration::minutes(crate::domain::traffic::INTERVAL_MINUTES);
    let mut report = IngestReport {
        received: batch.counters.len(),
        ..IngestReport::default()
    };
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let mut rows: BTreeMap<(i64, NaiveDateTime), (i64, i64)> = BTreeMap::new();
    for counter in &batch.counters {
        let Ok(ip) = counter.ip.trim().parse::<IpAddr>() else {
            report.invalid += 1;
            continue;
        };
        if counter.bytes_in < 0 || counter.bytes_out < 0 {
            report.invalid += 1;
            continue;
        }
        let Some(&endpoint_id) = addresses.get(&ip) else {
            report.unknown += 1;
            unknown.insert(ip.to_string());
            continue;
        };
        let interval = interval_start(counter.at);
        if interval < oldest {
            report.too_old += 1;
            continue;
        }
        if counter.at > newest {
            report.in_future += 1;
            continue;
        }
        let row = rows.entry((endpoint_id, interval)).or_insert((0, 0));
        row.0 = row.0.saturating_add(counter.bytes_in);
        row.1 = row.1.saturating_add(counter.bytes_out);
        report.accepted += 1;
    }
    report.unknown_ips = unknown.into_iter().take(NAMED_UNKNOWN).collect();
    let samples: Vec<Sample> = rows
        .iter()
        .map(
            |(&(endpoint_id, interval_start), &(bytes_in, bytes_out))| Sample {
                endpoint_id,
                interval_start,
                bytes_in,
                bytes_out,
            },
        )
        .collect();
    report.rows_written = db::traffic::upsert_samples(conn, &samples)?;
    report.duplicates = samples.len().saturating_sub(report.rows_written);
    // A batch that changed nothing leaves the sums as they are (their hours were queued when
    // the rows were first written).
    if report.rows_written > 0 {
        let hours: BTreeSet<NaiveDateTime> = rows.keys().map(|&(_, at)| hour_start(at)).collect();
        db::traffic::enqueue(conn, "hour", &hours.into_iter().collect::<Vec<_>>())?;
    }
    if report.unknown > 0 {
        tracing::warn!(
            unknown = report.unknown,
            ips = ?report.unknown_ips,
            "traffic counters for IPs no endpoint has"
        );
    }
    Ok(report)
}

/// What a roll-up run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RollupReport {
    pub hours: usize,
    pub days: usize,
    pub pruned: usize,
}

/// Sums the queued hours from the raw rows and then the queued Polish days from the hourly rows,
/// and deletes raw rows older than `raw_days`. Safe with several instances: a bucket is claimed
/// before it is summed, and taken off the queue only if no counters came in meanwhile. Each
/// bucket is its own write transaction.
pub fn roll_up(
    conn: &mut DbConn,
    now: NaiveDateTime,
    raw_days: i64,
) -> diesel::QueryResult<RollupReport> {
    let mut report = RollupReport::default();
    let until = now + Duration::minutes(CLAIM_MINUTES);
    loop {
        let hours = db::traffic::claimable(conn, "hour", now, 500)?;
        if hours.is_empty() {
            break;
        }
        let mut any = false;
        for hour in hours {
            let Some(generation) = db::traffic::claim(conn, "hour", hour, now, until)? else {
                continue;
            };
            any = true;
            db::write_transaction(conn, |conn| {
                db::traffic::roll_up_hour(conn, hour, hour + Duration::hours(1))?;
                db::traffic::enqueue(conn, "day", &[local_midnight_bucket(local_day(hour))])?;
                db::traffic::finish(conn, "hour", hour, generation)
            })?;
            report.hours += 1;
        }
        if !any {
            break;
        }
    }
    loop {
        let days = db::traffic::claimable(conn, "day", now, 500)?;
        if days.is_empty() {
            break;
        }
        let mut any = false;
        for bucket in days {
            let Some(generation) = db::traffic::claim(conn, "day", bucket, now, until)? else {
                continue;
            };
            any = true;
            let day = bucket.date();
            let (from, to) = day_hours(day);
            db::write_transaction(conn, |conn| {
                db::traffic::roll_up_day(conn, day, from, to)?;
                db::traffic::finish(conn, "day", bucket, generation)
            })?;
            report.days += 1;
        }
        if !any {
            break;
        }
    }
    // Raw rows of an hour still queued are what its sum will be made of: they stay.
    let mut cutoff = interval_start(now - Duration::days(raw_days));
    if let Some(queued) = db::traffic::oldest_queued(conn, "hour")? {
        cutoff = cutoff.min(queued);
    }
    report.pruned = db::traffic::prune_samples(conn, cutoff)?;
    Ok(report)
}

/// A day's queue bucket: the Polish date at midnight (a date, not a moment).
fn local_midnight_bucket(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN)
}

/// A statistics page: the customer's endpoints, the one shown, its bars and totals.
#[derive(Debug, Clone, Serialize)]
pub struct TrafficPage {
    pub endpoints: Vec<OwnEndpoint>,
    pub endpoint: Option<OwnEndpoint>,
    pub period: Period,
    pub day: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub previous: NaiveDate,
    pub next: NaiveDate,
    pub bars: Vec<Bar>,
    pub total_in: i64,
    pub total_out: i64,
}

/// The statistics of one of the customer's endpoints (the first when none is asked for) for the
/// period around `day`. `None` when the endpoint asked for is not the customer's.
pub fn page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    endpoint_id: Option<i64>,
    period: Period,
    day: NaiveDate,
) -> diesel::QueryResult<Option<TrafficPage>> {
    let endpoints = db::traffic::endpoints_of_customer(conn, customer_id)?;
    let endpoint = match endpoint_id {
        Some(id) => match endpoints.iter().find(|e| e.id == id) {
            Some(e) => Some(e.clone()),
            None => return Ok(None),
        },
        None => endpoints.first().cloned(),
    };
    let (first, last) = period_days(period, day);
    let bars = match &endpoint {
        Some(e) => bars(conn, e.id, period, first, last)?,
        None => Vec::new(),
    };
    let total_in = bars.iter().map(|b| b.bytes_in).sum();
    let total_out = bars.iter().map(|b| b.bytes_out).sum();
    Ok(Some(TrafficPage {
        endpoints,
        endpoint,
        period,
        day,
        first,
        last,
        previous: shift(period, day, -1),
        next: shift(period, day, 1),
        bars,
        total_in,
        total_out,
    }))
}

/// The bars of a period: hours of a day, days of a week or month, months of a year.
fn bars(
    conn: &mut DbConn,
    endpoint_id: i64,
    period: Period,
    first: NaiveDate,
    last: NaiveDate,
) -> diesel::QueryResult<Vec<Bar>> {
    Ok(match period {
        Period::Day => {
            let (from, to) = day_hours(first);
            let rows: HashMap<NaiveDateTime, (i64, i64)> =
                db::traffic::hourly_of(conn, endpoint_id, from, to)?
                    .into_iter()
                    .map(|(hour, i, o)| (hour, (i, o)))
                    .collect();
            let mut bars = Vec::new();
            let mut hour = from;
            while hour < to {
                let (bytes_in, bytes_out) = rows.get(&hour).copied().unwrap_or((0, 0));
                let local = hour.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
                bars.push(Bar {
                    label: local.format("%H:00").to_string(),
                    start: local.format("%Y-%m-%dT%H:%M%:z").to_string(),
                    bytes_in,
                    bytes_out,
                });
                hour += Duration::hours(1);
            }
            bars
        }
        Period::Week | Period::Month => {
            let rows: HashMap<NaiveDate, (i64, i64)> =
                db::traffic::daily_of(conn, endpoint_id, first, last)?
                    .into_iter()
                    .map(|(day, i, o)| (day, (i, o)))
                    .collect();
            first
                .iter_days()
                .take_while(|d| *d <= last)
                .map(|day| {
                    let (bytes_in, bytes_out) = rows.get(&day).copied().unwrap_or((0, 0));
                    Bar {
                        label: day.format("%d.%m").to_string(),
                        start: day.to_string(),
                        bytes_in,
                        bytes_out,
                    }
                })
                .collect()
        }
        Period::Year => {
            let mut months = [(0_i64, 0_i64); 12];
            for (day, i, o) in db::traffic::daily_of(conn, endpoint_id, first, last)? {
                let month = &mut months[day.month0() as usize];
                month.0 += i;
                month.1 += o;
            }
            months
                .iter()
                .enumerate()
                .map(|(index, &(bytes_in, bytes_out))| Bar {
                    label: format!("{:02}", index + 1),
                    start: format!("{}-{:02}", first.year(), index + 1),
                    bytes_in,
                    bytes_out,
                })
                .collect()
        }
    })
}

/// The page's numbers as CSV: `start,downloaded_bytes,uploaded_bytes`, one line per bar.
pub fn csv(page: &TrafficPage) -> String {
    let mut out = String::from("start,downloaded_bytes,uploaded_bytes\n");
    for bar in &page.bars {
        out.push_str(&format!(
            "{},{},{}\n",
            bar.start, bar.bytes_in, bar.bytes_out
        ));
    }
    out
}

/// The heaviest users of the period around `day`, for staff.
#[derive(Debug, Clone, Serialize)]
pub struct TopUsersPage {
    pub period: Period,
    pub day: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub previous: NaiveDate,
    pub next: NaiveDate,
    pub users: Vec<TopUser>,
}

pub fn top_users(
    conn: &mut DbConn,
    period: Period,
    day: NaiveDate,
) -> diesel::QueryResult<TopUsersPage> {
    let (first, last) = period_days(period, day);
    Ok(TopUsersPage {
        period,
        day,
        first,
        last,
        previous: shift(period, day, -1),
        next: shift(period, day, 1),
        users: db::traffic::top_users(conn, first, last, 50)?,
    })
}

/// The staff view of a customer's statistics: as the subscriber sees them, `None` for a
/// customer or endpoint that does not exist (or is not that customer's).
pub fn staff_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    endpoint_id: Option<i64>,
    period: Period,
    day: NaiveDate,
) -> diesel::QueryResult<Option<TrafficPage>> {
    if !db::traffic::customer_exists(conn, customer_id)? {
        return Ok(None);
    }
    page(conn, customer_id, endpoint_id, period, day)
}

/// The UTC moment Polish `day` starts; for callers that need a day's first hour.
pub fn day_start(day: NaiveDate) -> NaiveDateTime {
    local_midnight(day)
}
