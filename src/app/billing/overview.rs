//! What the staff panel shows of billing runs: progress while one runs, the summary after.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::STALE_AFTER;
use crate::db::billing::BillingRun;
use crate::db::{self, DbConn};
use crate::domain::{RunStatus, StoredWord};

#[derive(Debug, Clone, serde::Serialize)]
pub struct SkipCount {
    pub reason: String,
    pub count: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RunView {
    pub id: i64,
    pub period: String,
    /// running, finished, failed, or interrupted (still marked running, heartbeat stopped).
    pub state: String,
    pub source: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub customers_total: i64,
    pub customers_done: i64,
    pub percent: i64,
    pub issued: i64,
    pub skipped: i64,
    pub total_gross: i64,
    pub skips: Vec<SkipCount>,
    pub pdf_seconds: String,
    pub db_seconds: String,
    pub duration_seconds: String,
    pub error: Option<String>,
    /// The message key explaining `error` to staff when it is a known cause.
    pub error_key: Option<&'static str>,
}

/// A known cause of a stopped run, in words staff act on.
fn error_key(error: Option<&str>) -> Option<&'static str> {
    match error? {
        "interrupted" => Some("billing-run-error-interrupted"),
        text if text.starts_with(super::DISK_FULL) => Some("billing-run-error-disk-full"),
        _ => None,
    }
}

fn seconds(ms: i64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

fn view(run: BillingRun, now: NaiveDateTime) -> RunView {
    let state = match run.status {
        RunStatus::Running if run.heartbeat_at + STALE_AFTER <= now => "interrupted",
        other => other.as_str(),
    }
    .to_owned();
    let skips = serde_json::from_str::<BTreeMap<String, i64>>(&run.skip_reasons)
        .unwrap_or_default()
        .into_iter()
        .map(|(reason, count)| SkipCount { reason, count })
        .collect();
    let end = run.finished_at.unwrap_or(run.heartbeat_at);
    RunView {
        percent: if run.customers_total > 0 {
            (run.customers_done * 100 / run.customers_total).clamp(0, 100)
        } else {
            100
        },
        duration_seconds: seconds((end - run.started_at).num_milliseconds()),
        pdf_seconds: seconds(run.pdf_ms),
        db_seconds: seconds(run.db_ms),
        id: run.id,
        period: run.period,
        state,
        source: run.source,
        started_at: run.started_at,
        finished_at: run.finished_at,
        customers_total: run.customers_total,
        customers_done: run.customers_done,
        issued: run.issued,
        skipped: run.skipped,
        total_gross: run.total_gross,
        skips,
        error_key: error_key(run.error.as_deref()),
        error: run.error,
    }
}

/// The latest runs, newest first.
pub fn runs_overview(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<Vec<RunView>> {
    Ok(db::billing::recent_runs(conn, 50)?
        .into_iter()
        .map(|run| view(run, now))
        .collect())
}

pub fn run_view(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<RunView>> {
    Ok(db::billing::find_run(conn, id)?.map(|run| view(run, now)))
}

/// How many contracts and services of a period are invoiced already, by the path that did it:
/// what staff see before starting a run (the run leaves all of them out).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InvoicedSummary {
    pub period: String,
    pub contracts: i64,
    pub services: i64,
    /// (source, contracts, services), by source: `billing_run`, `manual`, `demo`, `earlier`.
    pub by: Vec<(String, i64, i64)>,
}

pub fn invoiced_summary(conn: &mut DbConn, period: &str) -> diesel::QueryResult<InvoicedSummary> {
    use std::collections::{BTreeSet, HashSet};
    let facts = db::subscription_periods::in_force_of_period(conn, period)?;
    let mut by: BTreeMap<String, (BTreeSet<i64>, i64)> = BTreeMap::new();
    let mut contracts: HashSet<i64> = HashSet::new();
    for (source, contract, _service) in &facts {
        let entry = by.entry(source.clone()).or_default();
        entry.1 += 1;
        if let Some(contract) = contract {
            entry.0.insert(*contract);
            contracts.insert(*contract);
        }
    }
    Ok(InvoicedSummary {
        period: period.to_owned(),
        contracts: contracts.len() as i64,
        services: facts.len() as i64,
        by: by
            .into_iter()
            .map(|(source, (contracts, services))| (source, contracts.len() as i64, services))
            .collect(),
    })
}

/// The panel's billing page: recent runs, and what of this and next month is invoiced already
/// (the usual run is next month's, a few days before it starts).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Panel {
    pub runs: Vec<RunView>,
    pub invoiced: Vec<InvoicedSummary>,
    /// The period the form offers.
    pub next_period: String,
}

pub fn panel(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<Panel> {
    let this_month = crate::domain::billing::BillingPeriod::containing(today);
    let shown = [this_month.key(), this_month.next().key()];
    let runs = runs_overview(conn, now)?;
    let invoiced = shown
        .iter()
        .map(|period| invoiced_summary(conn, period))
        .collect::<diesel::QueryResult<Vec<_>>>()?;
    Ok(Panel {
        runs,
        invoiced,
        next_period: this_month.next().key(),
    })
}
