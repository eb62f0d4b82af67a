//! `ebok ksef …`: send the queue to KSeF, show its state, print an invoice's stored FA(3) XML,
//! or run the local KSeF test server. Where to send comes from the environment:
//!
//! - `EBOK_KSEF_ENV`: `test`, `demo`, `production` (the Ministry's hosts) or `local`;
//! - `EBOK_KSEF_URL`: another API base URL (required with `local`, e.g. the one `ebok ksef sim`
//!   prints);
//! - `EBOK_KSEF_TOKEN`: the seller's KSeF token (generated in the Ministry's KSeF application
//!   with the `InvoiceWrite` permission).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;

use crate::app::{clock, ksef as app_ksef};
use crate::config::Config;
use crate::jobs::ksef::{KsefTarget, SendReport, send_due};
use crate::ksef::client::KsefClient;
use crate::ksef::schema::SchemaDir;
use crate::sim::ksef::{KsefSim, SimOptions};
use crate::web::ksef_worker::KsefWorker;

#[derive(Debug, Subcommand)]
pub enum KsefCommand {
    /// Send every queued invoice to KSeF and wait for KSeF's verdicts (EBOK_KSEF_* say where).
    Send,
    /// Counts per state, what waits, what failed, and the last sessions.
    Status,
    /// Print the stored FA(3) XML of an issued invoice, byte for byte.
    Xml {
        /// The invoice number, e.g. FV/2026/12/000001.
        number: String,
    },
    /// Run the local KSeF test server until stopped (for `EBOK_KSEF_ENV=local`).
    Sim {
        #[arg(long, default_value_t = 8100)]
        port: u16,
        /// The KSeF token it accepts.
        #[arg(long, default_value = DEMO_TOKEN)]
        token: String,
    },
}

/// The token the local server accepts in `ebok demo`.
pub const DEMO_TOKEN: &str = "ebok-demo-ksef-token";

/// The KSeF API of an environment (reference §D.1).
fn api_url(environment: &str) -> Option<&'static str> {
    match environment {
        "test" => Some("https://api-test.ksef.mf.gov.pl/v2"),
        "demo" => Some("https://api-demo.ksef.mf.gov.pl/v2"),
        "production" => Some("https://api.ksef.mf.gov.pl/v2"),
        _ => None,
    }
}

/// The sender's target from `EBOK_KSEF_*`; `None` when KSeF is not configured.
pub fn worker_from_env() -> anyhow::Result<Option<KsefWorker>> {
    let Ok(environment) = std::env::var("EBOK_KSEF_ENV") else {
        return Ok(None);
    };
    let environment = environment.trim().to_ascii_lowercase();
    if !["local", "test", "demo", "production"].contains(&environment.as_str()) {
        anyhow::bail!("EBOK_KSEF_ENV must be local, test, demo or production, not {environment:?}");
    }
    let base_url = match std::env::var("EBOK_KSEF_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
        _ => api_url(&environment)
            .context(
                "EBOK_KSEF_URL: the local KSeF server's address is needed with EBOK_KSEF_ENV=local",
            )?
            .to_owned(),
    };
    let token = std::env::var("EBOK_KSEF_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .context("EBOK_KSEF_TOKEN: the seller's KSeF token is needed to send invoices")?;
    Ok(Some(KsefWorker {
        base_url,
        token: token.trim().to_owned(),
        environment,
    }))
}

/// Where the FA(3) XSD is: `EBOK_KSEF_SCHEMA_DIR`, or the shared folder beside the repository.
pub fn schema_dir() -> Option<SchemaDir> {
    let candidates = [
        std::env::var_os("EBOK_KSEF_SCHEMA_DIR").map(PathBuf::from),
        Some(PathBuf::from("../shared/ksef-fa3")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|dir| SchemaDir::new(dir).ok())
}

/// The local KSeF server for `ebok demo` (any free port).
pub fn start_local(port: u16, token: &str) -> anyhow::Result<KsefSim> {
    let schema = schema_dir();
    if schema.is_none() {
        tracing::warn!(
            "the local KSeF server does not validate invoices: set EBOK_KSEF_SCHEMA_DIR to the FA(3) schema folder"
        );
    }
    crate::sim::ksef::spawn(SimOptions {
        token: token.to_owned(),
        schema,
        port,
    })
    .map_err(|e| anyhow::anyhow!("the local KSeF server: {e}"))
}

pub fn run(config: &Config, command: KsefCommand) -> anyhow::Result<()> {
    match command {
        KsefCommand::Send => send(config),
        KsefCommand::Status => status(config),
        KsefCommand::Xml { number } => {
            let pool = super::open_database(config, 1)?;
            let mut conn = pool.get().context("no database connection")?;
            let xml = app_ksef::xml_of_number(&mut conn, &number)?
                .with_context(|| format!("no FA(3) XML is stored for invoice {number}"))?;
            print!("{xml}");
            Ok(())
        }
        KsefCommand::Sim { port, token } => {
            let server = start_local(port, &token)?;
            println!(
                "Local KSeF server at {} (token {token}). Stop with Ctrl-C.",
                server.base_url
            );
            println!(
                "Send to it: EBOK_KSEF_ENV=local EBOK_KSEF_URL={} EBOK_KSEF_TOKEN={token}",
                server.base_url
            );
            server.wait();
            Ok(())
        }
    }
}

fn send(config: &Config) -> anyhow::Result<()> {
    let worker = worker_from_env()?
        .context("EBOK_KSEF_ENV: say which KSeF to send to (local, test, demo, production)")?;
    let pool = super::open_database(config, 2)?;
    let target = KsefTarget {
        client: KsefClient::new(&worker.base_url, Duration::from_secs(30))
            .map_err(|e| anyhow::anyhow!(e))?,
        token: worker.token,
        environment: worker.environment,
    };
    let mut total = SendReport::default();
    let runtime = tokio::runtime::Runtime::new().context("no async runtime")?;
    let progress = indicatif::ProgressBar::new_spinner();
    loop {
        let report = runtime
            .block_on(send_due(&pool, &target, clock::now()))
            .map_err(|e| anyhow::anyhow!(e))?;
        total.sent += report.sent;
        total.accepted += report.accepted;
        total.rejected += report.rejected;
        total.will_retry += report.will_retry;
        total.waiting = report.waiting;
        progress.set_message(format!(
            "sent {}, accepted {}, rejected {}",
            total.sent, total.accepted, total.rejected
        ));
        progress.tick();
        if let Some(problem) = report.problem {
            progress.finish_and_clear();
            anyhow::bail!(
                "KSeF: {problem} (sent {}, accepted {}; the rest stays queued)",
                total.sent,
                total.accepted
            );
        }
        if report.sent == 0 {
            break;
        }
    }
    progress.finish_and_clear();
    println!(
        "KSeF: sent {}, accepted {}, rejected {}, waiting for KSeF {}, to retry {}.",
        total.sent, total.accepted, total.rejected, total.waiting, total.will_retry
    );
    Ok(())
}

fn status(config: &Config) -> anyhow::Result<()> {
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let overview = app_ksef::overview(&mut conn, 20)?;
    for (state, count) in &overview.counts {
        println!("{state:>10}: {count}");
    }
    for entry in &overview.failed {
        println!(
            "failed {} ({}): {} {}",
            entry.number,
            entry.state,
            entry.error_code.map(|c| c.to_string()).unwrap_or_default(),
            entry.error_text.as_deref().unwrap_or("")
        );
    }
    for session in &overview.sessions {
        println!(
            "session {} ({}) opened {}, {} invoices",
            session.reference_number, session.environment, session.opened_at, session.invoices_sent
        );
    }
    Ok(())
}
