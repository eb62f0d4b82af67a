//! Migrations that cannot run while e-BOK serves. Such a migration says so in its `up.sql`
//! (`-- ebok:offline: <why>`, collected by `build.rs`); on a database that is already in use,
//! opening it for serving refuses to apply one and names it, so an operator upgrading one node
//! of two learns it before anything changes, not from a broken rule afterwards. A new, empty
//! database has nobody serving it, so its migrations all run.

use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::MigrationHarness;

use super::{DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, one_line};

include!(concat!(env!("OUT_DIR"), "/offline_migrations.rs"));

/// A pending migration that needs every node stopped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineMigration {
    pub name: String,
    pub reason: String,
}

/// The offline migrations still to apply on a database that already has applied migrations;
/// empty for a new database.
pub fn pending_on_database_in_use(conn: &mut DbConn) -> Result<Vec<OfflineMigration>, String> {
    let (applied, pending) = match conn {
        DbConn::Sqlite(c) => state(c, SQLITE_MIGRATIONS)?,
        DbConn::Pg(c) => state(c, POSTGRES_MIGRATIONS)?,
    };
    if applied == 0 {
        return Ok(Vec::new());
    }
    Ok(pending
        .into_iter()
        .filter_map(|name| {
            OFFLINE_MIGRATIONS
                .iter()
                .find(|(offline, _)| *offline == name)
                .map(|(_, reason)| OfflineMigration {
                    name,
                    reason: (*reason).to_owned(),
                })
        })
        .collect())
}

/// How many migrations the database has applied, and the names of those it has not.
fn state<DB, C>(
    conn: &mut C,
    source: diesel_migrations::EmbeddedMigrations,
) -> Result<(usize, Vec<String>), String>
where
    DB: diesel::backend::Backend,
    C: MigrationHarness<DB>,
    diesel_migrations::EmbeddedMigrations: MigrationSource<DB>,
{
    let applied = conn
        .applied_migrations()
        .map_err(|e| one_line(&e.to_string()))?
        .len();
    let pending = conn
        .pending_migrations(source)
        .map_err(|e| one_line(&e.to_string()))?
        .iter()
        .map(|migration| Migration::<DB>::name(migration.as_ref()).to_string())
        .collect();
    Ok((applied, pending))
}

/// The sentence an operator reads: which migrations, why, and what to do.
pub fn refusal(offline: &[OfflineMigration]) -> String {
    let list = offline
        .iter()
        .map(|m| format!("{} ({})", m.name, m.reason))
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "this upgrade has migrations that cannot run while e-BOK serves: {list}. Stop every \
         e-BOK node on this database, run `ebok migrate --offline`, then start the nodes again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subscription_periods_backfill_is_marked_offline_with_its_reason() {
        let (name, reason) = OFFLINE_MIGRATIONS
            .iter()
            .find(|(name, _)| name.ends_with("_subscription_periods"))
            .expect("marked in both backends' up.sql");
        assert_eq!(*name, "2026-12-05-100001_subscription_periods");
        assert!(reason.contains("billed once"), "{reason}");
    }
}
