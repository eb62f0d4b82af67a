//! `ebok ksef …`: send the queue to KSeF, show its state, print an invoice's stored FA(3) XML,
//! or run the local KSeF test server. Where to send comes from the seller's KSeF settings in
//! the staff panel, or, winning over them, from the environment:
//!
//! - `EBOK_KSEF_ENV`: `test`, `demo`, `production` (the Ministry's hosts) or `local`;
//! - `EBOK_KSEF_URL`: another API base URL (required with `local`, e.g. the one `ebok ksef sim`
//!   prints);
//! - `EBOK_KSEF_TOKEN`: the seller's KSeF token (generated in the Ministry's KSeF application
//!   with the `InvoiceWrite` permission).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use crate::app::invoicing::PdfStore;
use crate::app::ksef::settings::EnvSettings;
use crate::app::{clock, ksef as app_ksef};
use crate::config::Config;
use crate::jobs::ksef::{SendReport, Sender};
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
    /// Store the seller's KSeF certificate of type Offline and its private key (sealed) for
    /// KOD II on offline invoices; the running server picks it up when restarted.
    OfflineCertificate {
        /// The certificate KSeF issued (PEM or DER).
        #[arg(long)]
        certificate: PathBuf,
        /// Its private key: unencrypted RSA, PEM (PKCS#8 or PKCS#1). Delete the file afterwards.
        #[arg(long)]
        key: PathBuf,
    },
    /// Run the local KSeF test server until stopped (for `EBOK_KSEF_ENV=local`).
    Sim {
        #[arg(long, default_value_t = 8100)]
        port: u16,
        /// The KSeF token it accepts.
        #[arg(long, default_value = DEMO_TOKEN)]
        token: String,
        /// Also write a demo KSeF Offline certificate for this NIP (`offline-certificate.pem`,
        /// `offline-key.pem`) into this folder, for `ebok ksef offline-certificate`.
        #[arg(long, value_names = ["NIP", "DIR"], num_args = 2)]
        offline_certificate: Option<Vec<String>>,
    },
}

/// The token the local server accepts in `ebok demo`.
pub const DEMO_TOKEN: &str = "ebok-demo-ksef-token";

/// `EBOK_KSEF_*`, checked: a mistake stops the program with one sentence naming the setting.
pub fn env_settings() -> anyhow::Result<Option<EnvSettings>> {
    app_ksef::settings::from_env().map_err(|e| anyhow::anyhow!(e))
}

/// The background sender of `ebok serve`: `EBOK_KSEF_*` when set, else the seller's KSeF
/// settings in the panel (read every pass; nothing is sent until they are complete).
pub fn worker(config: &Config, local_url: Option<String>) -> anyhow::Result<KsefWorker> {
    Ok(KsefWorker {
        secrets: config.security.secrets.clone(),
        env: env_settings()?,
        local_url,
        invoices: PdfStore::new(&config.paths.invoices_dir),
    })
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
        KsefCommand::OfflineCertificate { certificate, key } => {
            store_offline_certificate(config, &certificate, &key)
        }
        KsefCommand::Sim {
            port,
            token,
            offline_certificate,
        } => {
            if let Some([nip, dir]) = offline_certificate.as_deref() {
                write_demo_offline_certificate(nip, std::path::Path::new(dir))?;
            }
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

fn store_offline_certificate(
    config: &Config,
    certificate: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<()> {
    let certificate_bytes = std::fs::read(certificate)
        .with_context(|| format!("cannot read {}", certificate.display()))?;
    let key_pem =
        std::fs::read_to_string(key).with_context(|| format!("cannot read {}", key.display()))?;
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let stored = app_ksef::offline::store(
        &mut conn,
        &config.security.secrets,
        &certificate_bytes,
        &key_pem,
        &crate::app::audit::Actor::default(),
        clock::now(),
    )?;
    println!(
        "KSeF Offline certificate {} stored (valid until {}); its key is sealed. Offline invoices now carry KOD II.",
        stored.serial(),
        stored.not_after().format("%Y-%m-%d")
    );
    Ok(())
}

fn write_demo_offline_certificate(nip: &str, dir: &std::path::Path) -> anyhow::Result<()> {
    let issued = crate::sim::ksef::issue_offline_certificate(nip)
        .map_err(|e| anyhow::anyhow!("the demo Offline certificate: {e}"))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let certificate = dir.join("offline-certificate.pem");
    let key = dir.join("offline-key.pem");
    std::fs::write(&certificate, issued.certificate_pem)?;
    std::fs::write(&key, issued.key_pem)?;
    println!(
        "Demo KSeF Offline certificate for NIP {nip}: ebok ksef offline-certificate --certificate {} --key {}",
        certificate.display(),
        key.display()
    );
    Ok(())
}

fn send(config: &Config) -> anyhow::Result<()> {
    let worker = worker(config, None)?;
    let pool = super::open_database(config, 2)?;
    let mut sender = Sender::new(worker.secrets, worker.env, None, worker.invoices);
    let mut total = SendReport::default();
    let runtime = tokio::runtime::Runtime::new().context("no async runtime")?;
    let progress = indicatif::ProgressBar::new_spinner();
    loop {
        let report = runtime
            .block_on(sender.pass(&pool, clock::now()))
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
