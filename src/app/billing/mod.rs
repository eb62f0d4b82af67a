//! The monthly billing run: one invoice per customer and billing period for everything billable
//! (monthly fees after discounts, pro-rata, one-off charges queued for the period).
//!
//! A run is a `billing_runs` record. It streams customers in chunks by id; each chunk is one
//! write transaction (see `chunk`). `billed_periods` (primary key customer + period) makes a
//! second run, or a re-run after a crash, skip whoever already has the period's invoice, so a
//! killed run is finished by simply running again. Started from the CLI (`ebok billing run`) or
//! the staff panel, audited at start and end.

pub(crate) mod chunk;
mod overview;
mod plan;
pub(crate) mod render;
mod runner;

pub use runner::{BillingRunner, RunWatch};

use crate::domain::CustomerId;
use crate::domain::RunStatus;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::invoicing::{Invoicing, StorageError, ViewError};
use crate::app::mail_queue::QueueError;
use crate::db::billing::{NewBillingRun, RunCounters};
use crate::db::run_lock::{self, RunLock};
use crate::db::{self, DatabaseUrl, DbConn};
use crate::domain::billing::{BillingPeriod, PeriodError};
use crate::domain::numbering::{NumberTemplate, NumberingError, ResetPeriod};

pub use overview::{
    InvoicedSummary, Panel, RunView, invoiced_summary, panel, run_view, runs_overview,
};
pub use plan::{contract_subscription_lines, skip};

/// The series periodic invoices are numbered in.
pub const SERIES: &str = "FV";
/// Payment term printed on periodic invoices.
pub const PAYMENT_DAYS: u64 = 14;
/// Customers per chunk (one transaction): large enough that commits and PDF thread start-up
/// are noise, small enough that memory stays flat and the write lock is held well under a
/// second.
pub const CHUNK_CUSTOMERS: i64 = 500;
/// PDF threads per core. Files are flushed once per chunk (see `PdfStore::write_unflushed`), so
/// rendering is CPU work and more threads than cores would only contend (and add memory).
pub const PDF_THREADS_PER_CORE: usize = 1;
/// A run still marked running whose heartbeat is older than this is shown as interrupted (a
/// chunk takes about a second; the period's lock is what actually keeps runs apart).
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("{0}")]
    Period(#[from] PeriodError),
    #[error("the period {0} starts more than a month after the issue date")]
    TooFarAhead(String),
    #[error("the seller (ISP) is not set up")]
    NoSeller,
    #[error("there is no active numbering series \"{0}\"")]
    NoSeries(String),
    #[error("the numbering series is misconfigured: {0}")]
    Numbering(#[from] NumberingError),
    #[error("another billing run is working on this period")]
    AlreadyRunning,
    #[error(transparent)]
    Lock(#[from] crate::db::run_lock::LockError),
    #[error("there is no such billing run, or it has ended")]
    NoRun,
    #[error("queued charge {0} was put on another invoice meanwhile")]
    ChargeTaken(i64),
    #[error("invoice {0} was written but not found again")]
    Lost(String),
    #[error("the invoice could not be issued: {0}")]
    Invoice(String),
    #[error("a PDF renderer thread panicked")]
    RendererPanicked,
    #[error(transparent)]
    View(#[from] ViewError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    NoConnection(String),
}

/// Starts the recorded error of a run stopped by a full invoices disk, so the staff page can say
/// so in the reader's language (the rest is the technical detail).
pub const DISK_FULL: &str = "disk_full: ";

/// Where a run was started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cli,
    Panel,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Cli => "cli",
            Source::Panel => "panel",
        }
    }
}

/// A run's counters so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunTotals {
    pub customers_done: i64,
    pub issued: i64,
    pub skipped: i64,
    pub total_gross: i64,
    pub skip_reasons: BTreeMap<String, i64>,
    pub pdf: Duration,
    pub db: Duration,
}

impl RunTotals {
    fn skip(&mut self, reason: &str) {
        self.skipped += 1;
        *self.skip_reasons.entry(reason.to_owned()).or_default() += 1;
    }

    fn counters(&self) -> RunCounters {
        RunCounters {
            customers_done: self.customers_done,
            issued: self.issued,
            skipped: self.skipped,
            total_gross: self.total_gross,
            skip_reasons: json!(self.skip_reasons).to_string(),
            pdf_ms: self.pdf.as_millis() as i64,
            db_ms: self.db.as_millis() as i64,
        }
    }
}

/// What a finished run did.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub run_id: i64,
    pub period: String,
    pub customers_total: i64,
    pub totals: RunTotals,
    pub elapsed: Duration,
}

/// A run that was started: its record and the period's lock, held until it is executed.
#[derive(Debug)]
pub struct StartedRun {
    pub id: i64,
    _lock: RunLock,
}

/// Checks the request, takes the period's lock and records a new run (status running).
/// Refuses while another process holds the period; runs of the period still marked running
/// are then dead (their process let go of the lock) and are marked failed as interrupted.
pub fn start_run(
    conn: &mut DbConn,
    database: &DatabaseUrl,
    period: &str,
    issue_date: NaiveDate,
    source: Source,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<StartedRun, BillingError> {
    let period = BillingPeriod::parse(period)?;
    if period > BillingPeriod::containing(issue_date).next() {
        return Err(BillingError::TooFarAhead(period.key()));
    }
    let lock =
        run_lock::try_lock_period(database, &period.key())?.ok_or(BillingError::AlreadyRunning)?;
    let id = db::write_transaction(conn, |conn| -> Result<i64, BillingError> {
        db::seller::find(conn)?.ok_or(BillingError::NoSeller)?;
        series(conn)?;
        for run in db::billing::running_of_period(conn, &period.key())? {
            db::billing::finish_run(conn, run.id, RunStatus::Failed, Some("interrupted"), now)?;
        }
        let customers_total = db::customers::count(conn)?;
        let run_id = db::billing::insert_run(
            conn,
            &NewBillingRun {
                period: period.key(),
                issue_date,
                status: RunStatus::Running,
                source: source.as_str().into(),
                started_by_staff_id: actor.staff_id,
                started_at: now,
                heartbeat_at: now,
                customers_total,
            },
        )?;
        audit::record(
            conn,
            actor,
            "billing_run_started",
            json!({ "run": run_id, "period": period.key(), "source": source.as_str() }),
            now,
        )?;
        Ok(run_id)
    })?;
    Ok(StartedRun { id, _lock: lock })
}

fn series(conn: &mut DbConn) -> Result<(i64, NumberTemplate, ResetPeriod), BillingError> {
    let series = db::invoices::find_series_by_code(conn, SERIES)?
        .filter(|s| s.active)
        .ok_or_else(|| BillingError::NoSeries(SERIES.into()))?;
    let template = NumberTemplate::parse(&series.template)?;
    let reset = ResetPeriod::parse(&series.reset_period)?;
    template.check_fits(reset)?;
    Ok((series.id, template, reset))
}

/// Bills every customer for the run's period, chunk by chunk; `progress` hears after each one.
/// A failure ends the run as failed (with the reason) and is returned; what was committed stays
/// and a new run finishes the rest.
pub fn execute_run(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    started: StartedRun,
    actor: &Actor,
    chunk_customers: i64,
    progress: &dyn Fn(&RunTotals),
) -> Result<RunReport, BillingError> {
    let run_id = started.id;
    let started = Instant::now();
    let run = db::billing::find_run(conn, run_id)?
        .filter(|run| run.status == RunStatus::Running)
        .ok_or(BillingError::NoRun)?;
    let result = bill_everyone(conn, invoicing, &run, chunk_customers.max(1), progress);
    let now = crate::app::clock::now();
    match result {
        Ok(totals) => {
            db::write_transaction(conn, |conn| -> Result<(), BillingError> {
                db::billing::record_progress(conn, run_id, &totals.counters(), now)?;
                db::billing::finish_run(conn, run_id, RunStatus::Finished, None, now)?;
                audit::record(
                    conn,
                    actor,
                    "billing_run_finished",
                    json!({
                        "run": run_id,
                        "period": run.period,
                        "issued": totals.issued,
                        "skipped": totals.skipped,
                        "total_gross": totals.total_gross,
                    }),
                    now,
                )?;
                Ok(())
            })?;
            Ok(RunReport {
                run_id,
                period: run.period,
                customers_total: run.customers_total,
                totals,
                elapsed: started.elapsed(),
            })
        }
        Err(error) => {
            tracing::error!(run = run_id, %error, "billing run failed");
            let message = match &error {
                BillingError::Storage(storage) if storage.is_disk_full() => {
                    format!("{DISK_FULL}{error}")
                }
                _ => error.to_string(),
            };
            let _ = db::write_transaction(conn, |conn| -> Result<(), BillingError> {
                db::billing::finish_run(conn, run_id, RunStatus::Failed, Some(&message), now)?;
                audit::record(
                    conn,
                    actor,
                    "billing_run_failed",
                    json!({ "run": run_id, "period": run.period, "error": message }),
                    now,
                )?;
                Ok(())
            });
            Err(error)
        }
    }
}

/// The run refreshes the planner's statistics after its first invoice, then each time it has
/// doubled what it issued: a dozen times over a million customers, under a second each.
const FIRST_STATISTICS: i64 = 1;

fn bill_everyone(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    run: &db::billing::BillingRun,
    chunk_customers: i64,
    progress: &dyn Fn(&RunTotals),
) -> Result<RunTotals, BillingError> {
    let period = BillingPeriod::parse(&run.period)?;
    let seller = db::seller::find(conn)?.ok_or(BillingError::NoSeller)?;
    let (series_id, template, reset) = series(conn)?;
    let env = chunk::RunEnv {
        run_id: run.id,
        period,
        issue_date: run.issue_date,
        payment_days: PAYMENT_DAYS,
        series_id,
        template,
        reset,
        seller,
        invoicing,
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            * PDF_THREADS_PER_CORE,
    };
    let mut totals = RunTotals::default();
    let mut after_id = CustomerId(0);
    let mut statistics_at = FIRST_STATISTICS;
    loop {
        let customers = db::billing::customers_after(conn, after_id, chunk_customers)?;
        let Some(last) = customers.last() else {
            break;
        };
        after_id = last.id;
        totals = chunk::bill_chunk(conn, &env, customers, &totals, crate::app::clock::now())?;
        progress(&totals);
        // The statistics gathered before the run say the period has no billed rows, so each
        // chunk's "already invoiced?" read scanned every row of the period billed so far: 123 s
        // of PostgreSQL's time in the first 600 000 customers of a run at a million (1 400
        // invoices/s at the start, 930 by then), 2 s a read at the end, 2-5 ms once analysed.
        // Refreshed whenever the run has doubled what it issued, the planner probes the chunk's
        // services instead (`subscription_periods_in_force`).
        if totals.issued >= statistics_at {
            db::billing::refresh_run_statistics(conn)?;
            statistics_at = totals.issued * 2;
        }
    }
    Ok(totals)
}
