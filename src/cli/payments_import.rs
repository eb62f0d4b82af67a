//! `ebok payments import FILE [--format …] [--encoding …] [--dry-run]`: the same preview and
//! commit as the staff panel's upload form, with the preview printed as a table.

use std::path::Path;

use anyhow::Context;

use crate::app::audit::Actor;
use crate::app::bank_import::{self, BatchView, Encoding, Format, Upload};
use crate::app::clock;
use crate::db::DbConn;
use crate::domain::Money;

pub struct Options<'a> {
    pub format: Option<&'a str>,
    pub encoding: Option<&'a str>,
    pub dry_run: bool,
}

pub fn run(conn: &mut DbConn, file: &Path, options: &Options<'_>) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upload = Upload {
        file_name: &file_name,
        bytes: &bytes,
        format: options.format.and_then(Format::parse),
        encoding: options.encoding.and_then(Encoding::parse),
    };
    // The command line has no staff login; the audit trail says it came from the CLI.
    let actor = Actor::default();
    let now = clock::now();
    let batch_id = bank_import::preview(conn, &upload, &actor, now)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let view =
        bank_import::batch_view(conn, batch_id)?.context("the import just stored is missing")?;
    print_preview(&view);
    if options.dry_run {
        bank_import::discard(conn, batch_id, &actor, now)?;
        println!("Dry run: nothing was booked.");
        return Ok(());
    }
    let summary = bank_import::commit(conn, batch_id, &actor, now)?;
    println!(
        "Booked {} payments ({}); {} to assign by hand ({}) at /staff/platnosci/do-przypisania; \
         {} held there as possible duplicates; {} already imported; {} debits ignored.",
        summary.booked,
        Money::from_grosze(summary.booked_amount),
        summary.unmatched,
        Money::from_grosze(summary.unmatched_amount),
        summary.held,
        summary.duplicates,
        summary.debits
    );
    Ok(())
}

fn print_preview(view: &BatchView) {
    let batch = &view.batch;
    println!(
        "{} ({}{}, {})",
        batch.file_name,
        batch.format,
        batch
            .layout
            .as_deref()
            .map(|l| format!(", {l}"))
            .unwrap_or_default(),
        batch.encoding
    );
    for skipped in &view.skipped {
        println!(
            "Skipped: account {} in {} ({} transactions, from line {}); only PLN is booked.",
            if skipped.account.is_empty() {
                "-"
            } else {
                &skipped.account
            },
            skipped.currency,
            skipped.transactions,
            skipped.line
        );
    }
    println!(
        "{:>5}  {:<10}  {:>12}  {:<10}  {:<16}  {:<24}  {:<28}  title",
        "line", "date", "amount", "status", "why", "customer", "payer"
    );
    for row in &view.rows {
        let t = &row.transaction;
        let customer = match (row.customer_number, row.customer_name.as_deref()) {
            (Some(number), Some(name)) => format!("{number} {name}"),
            (Some(number), None) => number.to_string(),
            _ => String::new(),
        };
        println!(
            "{:>5}  {:<10}  {:>12}  {:<10}  {:<16}  {:<24}  {:<28}  {}",
            t.line_no,
            t.booked_on,
            Money::from_grosze(t.amount).to_string(),
            t.status,
            t.match_reason.as_deref().unwrap_or(""),
            customer,
            t.payer_name.as_deref().unwrap_or(""),
            t.title
        );
    }
    println!(
        "{} matched ({}), {} unmatched ({}), {} possible duplicates held ({}), {} already imported, {} debits.",
        view.matched,
        Money::from_grosze(view.matched_amount),
        view.unmatched,
        Money::from_grosze(view.unmatched_amount),
        view.held,
        Money::from_grosze(view.held_amount),
        view.duplicates,
        view.debits
    );
}
