//! `ebok backup DIR`, `ebok restore DIR [--force]`, `ebok verify`: the operator's side of
//! `app::backup`, with summaries a person reads.

use std::path::Path;

use anyhow::Context;

use crate::app::backup;
use crate::config::{Config, StoragePlaces};

pub fn make(config: &Config, target: &Path) -> anyhow::Result<()> {
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let places = Config::storage_places()?;
    let summary = backup::backup(&mut conn, &places, target)?;
    println!(
        "Backup written to {}: the database, {} invoice files, {} attachments, {} files and {} in all.",
        summary.path.display(),
        summary.invoices,
        summary.attachments,
        summary.files,
        human_size(summary.bytes)
    );
    if summary.keys_included {
        println!("It holds the keys (keys/): keep it where only administrators can read it.");
    } else {
        println!(
            "The keys are configured outside the data dir (EBOK_PESEL_KEY, EBOK_ENCRYPTION_KEY, \
             ROCKET_SECRET_KEY): keep a copy of them apart; without the PESEL key registration \
             cannot match contracts."
        );
    }
    Ok(())
}

/// Runs before the full configuration is loaded: that would create fresh keys in the empty
/// data dir the backup's keys are meant for.
pub fn restore(places: &StoragePlaces, source: &Path, force: bool) -> anyhow::Result<()> {
    let summary = backup::restore(places, source, force)?;
    println!(
        "Restored the backup of {}: the database, {} invoice files, {} attachments{}.",
        summary.created_at.format("%Y-%m-%d %H:%M UTC"),
        summary.invoices,
        summary.attachments,
        if summary.keys_restored {
            ", the keys"
        } else {
            ""
        }
    );
    if !summary.migrated.is_empty() {
        println!(
            "The database was migrated forward by {} migrations.",
            summary.migrated.len()
        );
    }
    println!("Run `ebok verify` to check every document against its hash.");
    Ok(())
}

pub fn verify(config: &Config) -> anyhow::Result<()> {
    let pool = super::open_database(config, 1)?;
    let mut conn = pool.get().context("no database connection")?;
    let places = Config::storage_places()?;
    let report = backup::verify(&mut conn, &places)?;
    println!("Invoice PDFs checked:        {}", report.invoices_checked);
    println!(
        "Invoices without a PDF file: {}",
        report.invoices_without_file
    );
    println!(
        "Ticket attachments checked:  {}",
        report.attachments_checked
    );
    println!("FA(3) documents checked:     {}", report.xml_checked);
    println!(
        "Interest notes checked:      {}",
        report.interest_notes_checked
    );
    println!("Numbering sequences checked: {}", report.sequences_checked);
    for problem in &report.problems {
        println!("PROBLEM: {problem}");
    }
    if report.problem_count > report.problems.len() {
        println!(
            "… and {} more",
            report.problem_count - report.problems.len()
        );
    }
    if report.is_clean() {
        println!("Everything matches.");
        Ok(())
    } else {
        anyhow::bail!("verify found {} problems", report.problem_count)
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}
