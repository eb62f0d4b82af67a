//! `ebok billing run --period YYYY-MM`: the monthly billing run with a progress bar and a
//! summary an operator can paste into a ticket.

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use std::sync::Arc;

use crate::app::audit::Actor;
use crate::app::billing::{self, BillingRunner, RunReport, RunTotals, RunWatch, Source};
use crate::app::invoicing::PdfStore;
use crate::app::service::{Documents, MailSetup, Mailing};
use crate::app::site;
use crate::config::Config;
use crate::domain::Money;
use crate::mail::MailTemplates;
use crate::pdf::PdfRenderer;

#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// Issue one invoice per customer for a billing period (a calendar month). Safe to repeat:
    /// customers who already have the period's invoice are skipped, so after a crash running
    /// it again finishes the rest.
    Run {
        /// The billing period, YYYY-MM (e.g. 2026-12).
        #[arg(long)]
        period: String,
        /// Customers per transaction (bounded memory; the write lock is held for one chunk).
        #[arg(long, default_value_t = billing::CHUNK_CUSTOMERS)]
        chunk_size: i64,
    },
}

pub fn run(config: &Config, command: BillingCommand) -> anyhow::Result<()> {
    match command {
        BillingCommand::Run { period, chunk_size } => run_period(config, &period, chunk_size),
    }
}

fn run_period(config: &Config, period: &str, chunk_size: i64) -> anyhow::Result<()> {
    if chunk_size < 1 {
        anyhow::bail!("--chunk-size must be at least 1");
    }
    let pool = super::open_database(config, 2)?;
    let renderer = PdfRenderer::shared().map_err(|e| anyhow::anyhow!("invoice fonts: {e}"))?;
    let templates = MailTemplates::load(&config.paths.templates_dir.join("mail"))
        .map_err(|e| anyhow::anyhow!(e))?;
    let site = {
        let mut conn = pool.get().context("no database connection")?;
        site::load(&mut conn).context("reading the seller")?
    };
    let runner = BillingRunner::new(
        pool,
        config.database.url.clone(),
        Documents {
            renderer,
            store: PdfStore::new(&config.paths.invoices_dir),
        },
        Mailing(Arc::new(MailSetup {
            templates,
            public_url: config.web.public_url.clone(),
            isp_name: site.isp_name,
        })),
    );
    let watch = Bar(std::sync::OnceLock::new());
    let report = runner.run(period, Source::Cli, &Actor::default(), chunk_size, &watch);
    if let Some((_, bar)) = watch.0.get() {
        bar.finish_and_clear();
    }
    let report = report.map_err(|e| match watch.0.get() {
        // Refused before it was recorded: the period is what the operator can fix.
        None => anyhow::anyhow!("--period {period}: {e}"),
        Some((run_id, _)) => anyhow::anyhow!("billing run {run_id} failed: {e}"),
    })?;
    println!("{}", summary(&report));
    Ok(())
}

/// The run's id and its progress bar, shown once the run is recorded and its size known.
struct Bar(std::sync::OnceLock<(i64, ProgressBar)>);

impl RunWatch for Bar {
    fn started(&self, run_id: i64, customers_total: i64) {
        let _ = self.0.set((run_id, progress_bar(customers_total)));
    }

    fn progress(&self, totals: &RunTotals) {
        if let Some((_, bar)) = self.0.get() {
            bar.set_position(totals.customers_done as u64);
            bar.set_message(format!("{} issued", totals.issued));
        }
    }
}

fn progress_bar(total: i64) -> ProgressBar {
    let bar = ProgressBar::new(total.max(0) as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "Billing {bar:40} {pos}/{len} customers, {msg} ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// The summary printed at the end; the same figures are stored on the run record.
pub fn summary(report: &RunReport) -> String {
    let totals = &report.totals;
    let seconds = report.elapsed.as_secs_f64();
    let skips = if totals.skip_reasons.is_empty() {
        "none".to_owned()
    } else {
        totals
            .skip_reasons
            .iter()
            .map(|(reason, count)| format!("{reason} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Billing run {run} for {period}: {customers} customers in {seconds:.1} s\n  \
         issued {issued} invoices, {gross} zł gross ({rate:.0} invoices/s)\n  \
         skipped {skipped}: {skips}\n  \
         PDF {pdf:.1} s (rendering and storing, all cores), database {db:.1} s (the two \
         overlap)",
        run = report.run_id,
        period = report.period,
        customers = totals.customers_done,
        issued = totals.issued,
        gross = Money::from_grosze(totals.total_gross).format_amount(),
        rate = totals.issued as f64 / seconds.max(0.001),
        skipped = totals.skipped,
        pdf = totals.pdf.as_secs_f64(),
        db = totals.db.as_secs_f64(),
    )
}
