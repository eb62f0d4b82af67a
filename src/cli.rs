//! The `ebok` command: serve the portal, migrate, seed the demo ISP, run billing.

mod backup;
mod billing;
mod dunning;
mod ksef;
mod payu;
mod traffic;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::app::demo::{self, DemoOptions};
use crate::config::Config;
use crate::db;

mod payments_import;

#[derive(Debug, Parser)]
#[command(
    name = "ebok",
    version,
    about = "e-BOK: customer portal and invoicing for Polish internet service providers",
    long_about = "e-BOK: customer portal and invoicing for Polish internet service providers.\n\n\
        Configuration comes from Rocket.toml ([default.ebok]) and EBOK_* variables:\n  \
        EBOK_DATABASE_URL  sqlite://PATH (default: data/ebok.sqlite3) or postgres://USER@HOST/DB\n  \
        EBOK_DATA_DIR      where the embedded database, keys and mail files live (default: data)\n  \
        EBOK_INVOICES_DIR  where issued invoice PDFs are written (default: invoices)\n  \
        EBOK_ENV           development (default) or production (keys must then be configured)\n  \
        ROCKET_PORT        the HTTP port (default: 8000)",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal on the configured database (pending migrations are applied first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// Also apply migrations that cannot run while e-BOK serves: stop every node first.
        #[arg(long)]
        offline: bool,
    },
    /// Migrate, seed a demo ISP unless it is seeded already, print the demo logins and serve.
    Demo {
        /// How many generated customers the demo should have (on top of the fixed demo ones).
        /// An existing demo database is topped up to this number.
        #[arg(long, default_value_t = 40)]
        customers: u32,
        /// Seed and exit without serving.
        #[arg(long)]
        seed_only: bool,
        /// Record the generated customers' past invoices without their PDFs (a million
        /// customers' history would be ~100 GB); their invoice pages say the demo document is
        /// not stored. New invoices (the billing run, orders) always get theirs.
        #[arg(long)]
        no_pdfs: bool,
    },
    /// Billing: the monthly run that issues periodic invoices.
    Billing {
        #[command(subcommand)]
        command: billing::BillingCommand,
    },
    /// KSeF: send queued invoices, show the queue, print an invoice's FA(3) XML, run the local
    /// KSeF test server.
    Ksef {
        #[command(subcommand)]
        command: ksef::KsefCommand,
    },
    /// Back up the database, invoice PDFs, ticket attachments and (in development) the keys into
    /// a new directory, while the portal keeps serving. PostgreSQL needs `pg_dump`.
    Backup {
        /// The backup's directory; it must not exist yet (or be empty).
        dir: std::path::PathBuf,
    },
    /// Restore a backup into an empty data dir and database (`pg_restore` for PostgreSQL), after
    /// checking every file against the backup's manifest; migrates forward afterwards.
    Restore {
        /// A directory written by `ebok backup`.
        dir: std::path::PathBuf,
        /// Replace a data dir and database that are not empty.
        #[arg(long)]
        force: bool,
    },
    /// Check every stored invoice PDF, ticket attachment and FA(3) document against its
    /// recorded SHA-256 and every numbering series for gaps; exits non-zero on any problem.
    Verify,
    /// PayU: run the local PayU test server.
    Payu {
        #[command(subcommand)]
        command: payu::PayuCommand,
    },
    /// Dunning: reminders, demands with statutory interest, warning page and limitation.
    Dunning {
        #[command(subcommand)]
        command: dunning::DunningCommand,
    },
    /// The network side: the endpoints dunning flagged, in the formats routers read.
    Network {
        #[command(subcommand)]
        command: dunning::NetworkCommand,
    },
    /// Traffic statistics: import counters from the ISP's collector, roll them up.
    Traffic {
        #[command(subcommand)]
        command: traffic::TrafficCommand,
    },
    /// Connection history: import RADIUS accounting sessions.
    Radius {
        #[command(subcommand)]
        command: traffic::RadiusCommand,
    },
    /// Payments: import bank statements.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PaymentsCommand {
    /// Import a bank statement (MT940/MT942, a bank's CSV export from PKO BP, mBank, ING,
    /// Santander, Pekao or Millennium, the CSV `date;amount;title;payer;account_to;reference`, or
    /// Elixir-0): matched credits are booked and allocated, unmatched ones wait in the review
    /// queue at /staff/platnosci/do-przypisania. Importing the same file again books nothing
    /// twice; credits that only look booked before are held there for staff.
    Import {
        /// The statement file (UTF-8, Windows-1250 or ISO-8859-2).
        file: std::path::PathBuf,
        /// Recognised from the content when left out.
        #[arg(long, value_parser = ["mt940", "mt942", "csv", "elixir0"])]
        format: Option<String>,
        /// The text encoding, when recognising it goes wrong.
        #[arg(long, value_parser = ["utf-8", "windows-1250", "iso-8859-2"])]
        encoding: Option<String>,
        /// Show what would be booked, book nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    // Before the configuration is loaded: loading creates fresh keys in the empty data dir that
    // the backup's keys are meant for.
    if let Command::Restore { dir, force } = &cli.command {
        return backup::restore(&Config::storage_places()?, dir, *force);
    }
    let config = Config::load()?;
    match cli.command {
        Command::Migrate { offline } => {
            if offline {
                let pool = db::open_offline(&config.database.url, 1)
                    .map_err(|e| anyhow::anyhow!("EBOK_DATABASE_URL: {e}"))?;
                drop(pool);
            }
            let pool = open_database(&config, 1)?;
            drop(pool);
            println!("Database {} is up to date.", config.database.url);
            Ok(())
        }
        Command::Serve => serve(config),
        Command::Payments {
            command:
                PaymentsCommand::Import {
                    file,
                    format,
                    encoding,
                    dry_run,
                },
        } => {
            let pool = open_database(&config, 1)?;
            let mut conn = pool.get().context("no database connection")?;
            let options = payments_import::Options {
                format: format.as_deref(),
                encoding: encoding.as_deref(),
                dry_run,
            };
            payments_import::run(&mut conn, &file, &options)
        }
        Command::Demo {
            customers,
            seed_only,
            no_pdfs,
        } => {
            let pool = open_database(&config, config.database.pool_size)?;
            let mut conn = pool.get().context("no database connection for seeding")?;
            // The local KSeF server issues the seller an Offline certificate first, so the
            // demo's invoices show KOD II under KOD I.
            if ksef::env_settings()?.is_none() {
                crate::app::ksef::offline::ensure_demo(
                    &mut conn,
                    &config.security.secrets,
                    crate::app::clock::now(),
                )?;
            }
            let mut options = DemoOptions::with_progress(customers);
            if no_pdfs {
                options = options.without_pdfs();
            }
            let summary = demo::seed(&mut conn, &config, &options)?;
            drop(conn);
            println!("{}", summary.logins_banner(&public_address(&config)));
            if seed_only {
                return Ok(());
            }
            // The demo sends its invoices to the local KSeF server unless EBOK_KSEF_* or the
            // seller's settings say where.
            let mut server = None;
            if ksef::env_settings()?.is_none() {
                let local = ksef::start_local(0, ksef::DEMO_TOKEN)?;
                let mut conn = pool.get().context("no database connection")?;
                crate::app::ksef::settings::ensure_demo(
                    &mut conn,
                    &config.security.secrets,
                    ksef::DEMO_TOKEN,
                    crate::app::clock::now(),
                )?;
                println!(
                    "KSeF: invoices go to the local KSeF test server at {}",
                    local.base_url
                );
                server = Some(local);
            }
            let worker = ksef::worker(&config, server.as_ref().map(|s| s.base_url.clone()))?;
            // …and takes online payments through the local PayU server unless EBOK_PAYU_* say where.
            let mut config = config;
            let _payu = match config.payu {
                Some(_) => None,
                None => {
                    let local = payu::start_local(0)?;
                    println!(
                        "PayU: online payments go to the local PayU test server at {}",
                        local.base_url
                    );
                    config.payu = Some(payu::local_config(&local));
                    Some(local)
                }
            };
            let launched = launch(config, pool, Some(worker));
            drop(server);
            launched
        }
        Command::Billing { command } => billing::run(&config, command),
        Command::Ksef { command } => ksef::run(&config, command),
        Command::Backup { dir } => backup::make(&config, &dir),
        // Returned above, before the configuration was loaded.
        Command::Restore { .. } => Ok(()),
        Command::Verify => backup::verify(&config),
        Command::Payu { command } => payu::run(command),
        Command::Dunning { command } => dunning::run(&config, command),
        Command::Network { command } => dunning::export(&config, command),
        Command::Traffic { command } => traffic::run(&config, command),
        Command::Radius { command } => traffic::run_radius(&config, command),
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    let pool = open_database(&config, config.database.pool_size)?;
    let worker = ksef::worker(&config, None)?;
    launch(config, pool, Some(worker))
}

/// Database failures name the setting the operator has to look at. Once migrated, secrets
/// stored in plain text by an older version are sealed (`app::secrets_at_rest`).
pub(crate) fn open_database(config: &Config, pool_size: u32) -> anyhow::Result<db::Pool> {
    let pool = db::open(&config.database.url, pool_size)
        .map_err(|e| anyhow::anyhow!("EBOK_DATABASE_URL: {e}"))?;
    let mut conn = pool.get().context("no database connection")?;
    let sealed = crate::app::secrets_at_rest::seal_plaintext(&mut conn, &config.security.secrets)
        .context("sealing TOTP secrets and PPPoE passwords stored in plain text")?;
    if sealed != Default::default() {
        tracing::info!(
            totp_secrets = sealed.totp_secrets,
            pppoe_passwords = sealed.pppoe_passwords,
            "sealed secrets stored in plain text"
        );
    }
    // KOD II: the seller's KSeF Offline certificate, for whatever this process issues. One that
    // cannot be opened is said once and leaves invoices with KOD I only.
    match crate::app::ksef::offline::install_stored(&mut conn, &config.security.secrets) {
        Ok(Some(certificate)) => {
            tracing::info!(
                serial = certificate.serial(),
                "KSeF Offline certificate: KOD II on offline invoices"
            )
        }
        Ok(None) => {}
        Err(error) => tracing::error!(%error, "no KOD II"),
    }
    Ok(pool)
}

fn launch(
    config: Config,
    pool: db::Pool,
    ksef: Option<crate::web::ksef_worker::KsefWorker>,
) -> anyhow::Result<()> {
    let mut rocket = crate::build_rocket(config, pool)
        .map_err(|e| anyhow::anyhow!(e))?
        .attach(crate::web::dunning_worker::DunningWorker)
        .attach(crate::web::visits_worker::VisitReminders)
        .attach(crate::web::traffic_worker::TrafficRollup)
        .attach(crate::web::notices_worker::NoticesWorker);
    if let Some(worker) = ksef {
        rocket = rocket.attach(worker);
    }
    rocket::execute(async move { rocket.launch().await })
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("the web server stopped: {e}"))
}

fn public_address(config: &Config) -> String {
    let address: String = config
        .rocket
        .extract_inner("address")
        .unwrap_or_else(|_| "127.0.0.1".into());
    let port: u16 = config.rocket.extract_inner("port").unwrap_or(8000);
    format!("http://{address}:{port}")
}
