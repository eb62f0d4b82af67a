//! `ebok traffic import FILE`, `ebok traffic rollup` and `ebok radius import FILE`.

use std::path::Path;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::app::{clock, radius, traffic};
use crate::config::Config;
use crate::db;
use crate::domain::radius::{SessionBatch, parse_detail, parse_radacct_csv};
use crate::domain::traffic::{CounterBatch, LineError, parse_csv, parse_lms, parse_timestamp};

#[derive(Debug, Subcommand)]
pub enum TrafficCommand {
    /// Import traffic counters: the CSV `ip,timestamp,in,out` (timestamps in Unix seconds or
    /// ISO 8601, UTC unless an offset is given; `in` is what the endpoint downloaded) or the
    /// `IP upload download` lines LMS's lms-traffic reads (`--format lms`, timed `--at`, now by
    /// default). Importing the same counters again changes nothing; counters for IPs no endpoint
    /// has are counted and listed. The hours are then rolled up.
    Import {
        file: std::path::PathBuf,
        #[arg(long, value_parser = ["csv", "lms"], default_value = "csv")]
        format: String,
        /// The time of an lms-traffic file's counters (`2026-12-07 10:05`, UTC).
        #[arg(long)]
        at: Option<String>,
        /// Leave the roll-up to the server's job (or `ebok traffic rollup`).
        #[arg(long)]
        no_rollup: bool,
    },
    /// Sum queued hours and days and delete raw counters past EBOK_TRAFFIC_RAW_DAYS (the server
    /// does this every five minutes).
    Rollup,
}

#[derive(Debug, Subcommand)]
pub enum RadiusCommand {
    /// Import RADIUS accounting sessions: FreeRADIUS's `detail` file, or its SQL `radacct`
    /// table as CSV with a header (`--format radacct`). One session per accounting session id,
    /// however often it is imported; sessions of no endpoint are counted and listed.
    Import {
        file: std::path::PathBuf,
        #[arg(long, value_parser = ["detail", "radacct"], default_value = "detail")]
        format: String,
    },
}

fn read(file: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", file.display()))
}

fn refuse(file: &Path, errors: Vec<LineError>) -> anyhow::Error {
    for error in errors.iter().take(20) {
        eprintln!("{}: {error}", file.display());
    }
    anyhow::anyhow!(
        "{}: {} line(s) could not be read; nothing was imported",
        file.display(),
        errors.len()
    )
}

pub fn run(config: &Config, command: TrafficCommand) -> anyhow::Result<()> {
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let now = clock::now();
    if let TrafficCommand::Import {
        file,
        format,
        at,
        no_rollup,
    } = command
    {
        let text = read(&file)?;
        let counters = if format == "lms" {
            let at = match at {
                Some(text) => match parse_timestamp(&text) {
                    Some(at) => at,
                    None => bail!("--at: \"{text}\" is not a timestamp"),
                },
                None => now,
            };
            parse_lms(&text, at)
        } else {
            parse_csv(&text)
        }
        .map_err(|errors| refuse(&file, errors))?;
        let batch = CounterBatch { counters };
        let report = db::write_transaction(&mut conn, |conn| {
            traffic::ingest(conn, &batch, now, config.traffic_raw_days)
        })
        .context("importing the counters")?;
        println!(
            "{} counters: {} stored ({} endpoint-intervals written), {} for unknown IPs, {} older than {} days, {} in the future, {} invalid",
            report.received,
            report.accepted,
            report.rows_written,
            report.unknown,
            report.too_old,
            config.traffic_raw_days,
            report.in_future,
            report.invalid
        );
        if !report.unknown_ips.is_empty() {
            println!("unknown IPs: {}", report.unknown_ips.join(", "));
        }
        if no_rollup {
            return Ok(());
        }
    }
    let rolled = traffic::roll_up(&mut conn, now, config.traffic_raw_days)
        .context("rolling the counters up")?;
    println!(
        "rolled up {} hour(s) and {} day(s); {} raw row(s) past their days deleted",
        rolled.hours, rolled.days, rolled.pruned
    );
    Ok(())
}

pub fn run_radius(config: &Config, command: RadiusCommand) -> anyhow::Result<()> {
    let RadiusCommand::Import { file, format } = command;
    let text = read(&file)?;
    let sessions = if format == "radacct" {
        parse_radacct_csv(&text)
    } else {
        parse_detail(&text)
    }
    .map_err(|errors| refuse(&file, errors))?;
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let batch = SessionBatch { sessions };
    let now = clock::now();
    let report = db::write_transaction(&mut conn, |conn| radius::ingest(conn, &batch, now))
        .context("importing the sessions")?;
    println!(
        "{} sessions: {} new, {} updated, {} unchanged, {} of no endpoint, {} invalid",
        report.received,
        report.created,
        report.updated,
        report.unchanged,
        report.unknown,
        report.invalid
    );
    if !report.unknown_logins.is_empty() {
        println!("unknown logins: {}", report.unknown_logins.join(", "));
    }
    Ok(())
}
