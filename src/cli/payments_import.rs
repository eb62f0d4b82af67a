//! `ebok payments import FILE [--format mt940|csv] [--dry-run]`: the same preview and commit as
//! the staff panel's upload form, with the preview printed as a table.

use std::path::Path;

use anyhow::Context;

use crate::app::audit::Actor;
use crate::app::bank_import::{self, BatchView, Format, Upload};
use crate::app::clock;
use crate::db::DbConn;
use crate::domain::Money;

pub fn run(
    conn: &mut DbConn,
    file: &Path,
    format: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upload = Upload {
        file_name: &file_name,
        bytes: &bytes,
        format: format.and_then(Format::parse),
    };
    // The command line has no staff login; the audit trail says it came from the CLI.
    let actor = Actor::default();
    let now = clock::now();
    let batch_id = bank_import::preview(conn, &upload, &actor, now)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let view =
        bank_import::batch_view(conn, batch_id)?.context("the import just stored is missing")?;
    print_preview(&view);
    if dry_run {
        bank_import::discard(conn, batch_id, &actor, now)?;
        println!("Dry run: nothing was booked.");
        return Ok(());
    }
    let summary = bank_import::commit(conn, batch_id, &actor, now)?;
    println!(
        "Booked {} payments ({}); {} to assign by hand ({}) at /staff/platnosci/do-przypisania; \
         {} already imported; {} debits ignored.",
        summary.booked,
        Money::from_grosze(summary.booked_amount),
        summary.unmatched,
        Money::from_grosze(summary.unmatched_amount),
        summary.duplicates,
        summary.debits
    );
    Ok(())
}

fn print_preview(view: &BatchView) {
    println!(
        "{:>5}  {:<10}  {:>12}  {:<10}  {:<16}  {:>8}  title",
        "line", "date", "amount", "status", "why", "customer"
    );
    for row in &view.rows {
        let t = &row.transaction;
        let customer = row
            .customer_number
            .map(|n| n.to_string())
            .unwrap_or_default();
        println!(
            "{:>5}  {:<10}  {:>12}  {:<10}  {:<16}  {:>8}  {}",
            t.line_no,
            t.booked_on,
            Money::from_grosze(t.amount).to_string(),
            t.status,
            t.match_reason.as_deref().unwrap_or(""),
            customer,
            t.title
        );
    }
    println!(
        "{} matched ({}), {} unmatched ({}), {} already imported, {} debits.",
        view.matched,
        Money::from_grosze(view.matched_amount),
        view.unmatched,
        Money::from_grosze(view.unmatched_amount),
        view.duplicates,
        view.debits
    );
}
