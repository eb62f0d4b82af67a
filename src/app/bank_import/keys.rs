//! What makes a bank transaction the same one again. The bank's own reference (`:61:` after
//! `//`, a CSV export's transaction number) is unique per transaction: seeing it again is a
//! certain duplicate. Without one, a line is keyed on everything it says (the account it was
//! sent to, date, amount, the payer's reference, title) and how many identical lines came
//! before it in the file, so two real transfers stay two while the same file imported again
//! gives the same keys. Payers repeat their own reference and title every month, so such a key
//! seen before in *another* file is only a possible duplicate: it is held for staff, never
//! dropped.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::hex;
use crate::db::{self, DbConn};
use crate::domain::bank_statement::StatementLine;

const REFERENCE_PREFIX: &str = "ref:";

/// Whether a line was booked before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    New,
    /// Its bank reference was booked, it repeats one in this file, or this very file was
    /// imported before.
    Duplicate,
    /// Something alike was booked, without a bank reference to prove it is the same.
    Possibly,
}

pub(super) fn is_bank_reference(key: &str) -> bool {
    key.starts_with(REFERENCE_PREFIX)
}

/// The idempotency key of each line, in order.
pub fn idempotency_keys(lines: &[StatementLine]) -> Vec<String> {
    let mut repeats: HashMap<String, usize> = HashMap::new();
    lines
        .iter()
        .map(|line| match &line.bank_reference {
            Some(reference) => format!("{REFERENCE_PREFIX}{reference}"),
            None => {
                // Without a payer's reference the material is what keys had before it was
                // added, so files imported then are still recognised.
                let mut material = format!(
                    "{}|{}|{}|{}",
                    line.account_to.as_deref().unwrap_or(""),
                    line.booked_on,
                    line.amount.grosze(),
                    line.title
                );
                if let Some(reference) = &line.customer_reference {
                    material.push_str("|payer-ref:");
                    material.push_str(reference);
                }
                let n = repeats.entry(material.clone()).or_default();
                let key = format!("{material}|{n}");
                *n += 1;
                format!("sha256:{}", hex(&Sha256::digest(key.as_bytes())))
            }
        })
        .collect()
}

/// The key of each line and whether it was seen before.
pub(super) fn classify(
    conn: &mut DbConn,
    lines: &[StatementLine],
    file_sha256: &str,
) -> diesel::QueryResult<Vec<(String, Seen)>> {
    let keys = idempotency_keys(lines);
    // Before payers' references were told from banks', a payer's reference was keyed as a bank
    // reference; a line booked that way may come again.
    let legacy: Vec<Option<String>> = lines
        .iter()
        .map(|l| match (&l.bank_reference, &l.customer_reference) {
            (None, Some(reference)) => Some(format!("{REFERENCE_PREFIX}{reference}")),
            _ => None,
        })
        .collect();
    let mut wanted: Vec<String> = keys.clone();
    wanted.extend(legacy.iter().flatten().cloned());
    let booked: HashSet<String> = db::bank_import::committed_keys(conn, &wanted)?
        .into_iter()
        .collect();
    let same_file = db::bank_import::file_committed_before(conn, file_sha256)?;
    let mut in_file = HashSet::new();
    Ok(keys
        .into_iter()
        .zip(legacy)
        .map(|(key, legacy)| {
            let first_time = in_file.insert(key.clone());
            let seen = if !first_time
                || (booked.contains(&key) && (is_bank_reference(&key) || same_file))
            {
                Seen::Duplicate
            } else if booked.contains(&key) || legacy.is_some_and(|l| booked.contains(&l)) {
                Seen::Possibly
            } else {
                Seen::New
            };
            (key, seen)
        })
        .collect())
}
