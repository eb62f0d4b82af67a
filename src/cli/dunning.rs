//! `ebok dunning run [--dry-run]` and `ebok network export --format ip-list|ipset`.

use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;

use crate::app::dunning::{self, ExportFormat, RunReport};
use crate::app::mail_queue::Outgoing;
use crate::app::{clock, site};
use crate::config::Config;
use crate::domain::dunning::StepKind;
use crate::mail::MailTemplates;

#[derive(Debug, Subcommand)]
pub enum DunningCommand {
    /// Take the dunning steps due today (reminders, demands, warning page, limitation) and queue
    /// their mail. Safe to repeat: each step is taken once per invoice.
    Run {
        /// Print who would get what; take nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Print the endpoints dunning flagged, for the routers: `ip-list` (one address a line) or
    /// `ipset` (an `ipset restore` file with the sets ebok-warning and ebok-block).
    Export {
        #[arg(long, value_parser = ["ip-list", "ipset"], default_value = "ip-list")]
        format: String,
    },
}

pub fn run(config: &Config, command: DunningCommand) -> anyhow::Result<()> {
    let DunningCommand::Run { dry_run } = command;
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let templates = MailTemplates::load(&config.paths.templates_dir.join("mail"))
        .map_err(|e| anyhow::anyhow!(e))?;
    let site = site::load(&mut conn).context("reading the seller")?;
    let outgoing = Outgoing {
        templates: &templates,
        public_url: &config.web.public_url,
        isp_name: &site.isp_name,
    };
    let started = Instant::now();
    let report = dunning::run(&mut conn, &outgoing, clock::today(), clock::now(), dry_run)
        .context("the dunning run failed")?;
    print!("{}", table(&report, dry_run));
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn export(config: &Config, command: NetworkCommand) -> anyhow::Result<()> {
    let NetworkCommand::Export { format } = command;
    let format = match format.as_str() {
        "ipset" => ExportFormat::Ipset,
        _ => ExportFormat::IpList,
    };
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    print!("{}", dunning::network_export(&mut conn, format)?);
    Ok(())
}

fn step_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Reminder => "przypomnienie",
        StepKind::FormalDemand => "wezwanie do zapłaty",
        StepKind::WarningPage => "strona z ostrzeżeniem",
        StepKind::Limitation => "ograniczenie usługi",
        StepKind::PreCourtDemand => "wezwanie przedsądowe",
    }
}

/// The run as a table an operator can read or paste into a ticket.
pub fn table(report: &RunReport, dry_run: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:>9}  {:<28}  {:<20}  {:>10}  {:<22}  {:>12}  {:>10}  {:>10}\n",
        "klient", "nazwa", "faktura", "termin", "krok", "do zapłaty", "odsetki", "nowy termin"
    ));
    for p in &report.planned {
        let name: String = p.customer_name.chars().take(28).collect();
        out.push_str(&format!(
            "{:>9}  {:<28}  {:<20}  {:>10}  {:<22}  {:>12}  {:>10}  {:>10}\n",
            p.customer_number,
            name,
            p.invoice_number,
            p.due_date.format("%d.%m.%Y").to_string(),
            step_label(p.step.kind),
            p.outstanding.to_string(),
            p.interest.to_string(),
            p.deadline
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_else(|| "—".into()),
        ));
    }
    out.push_str(&format!(
        "{} {}; klientów sprawdzonych: {}, wstrzymanych: {}, z reklamacją w toku: {}, poniżej progu: {}, zapłacone w międzyczasie: {}, wykonane przez inny proces: {}\n",
        if dry_run { "Do wykonania (próba, nic nie zapisano):" } else { "Wykonane kroki:" },
        report.planned.len(),
        report.customers_checked,
        report.paused,
        report.complaints,
        report.below_minimum,
        report.paid_meanwhile,
        report.taken_elsewhere,
    ));
    for problem in &report.problems {
        out.push_str(&format!("pominięto: {problem}\n"));
    }
    out
}
