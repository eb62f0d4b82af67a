//! Backups an operator can trust: `ebok backup DIR` while the portal serves, `ebok restore DIR`
//! into an empty data dir, `ebok verify` to prove every stored document against its hash and every
//! numbering series free of gaps.
//!
//! A backup is a directory: `database/` (a SQLite snapshot or a `pg_dump` archive), `invoices/`,
//! `attachments/`, `keys/` (the embedded default's key files, kept apart: whoever holds them can
//! test PESEL numbers against the stored hashes and unseal TOTP secrets), and `manifest.json` with every
//! file's size and SHA-256. It is written under a temporary name and renamed at the end, the
//! manifest last, so a backup that did not finish never looks complete.

mod files;
mod make;
pub mod manifest;
mod postgres_tools;
mod restore;
mod verify;

pub use make::{BackupSummary, backup};
pub use restore::{RestoreSummary, restore};
pub use verify::{VerifyReport, verify};

/// What went wrong, in one sentence an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup goes into a new directory and never overwrites one")]
    TargetExists(String),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("the database: {0}")]
    Database(String),
    #[error("{0}")]
    Tool(String),
    #[error("{0} is not a complete e-BOK backup: manifest.json is missing or unreadable ({1})")]
    NotABackup(String, String),
    #[error("the backup is damaged: {path} {problem}; nothing was restored")]
    Damaged { path: String, problem: String },
    #[error(
        "the backup was taken from {backup} but EBOK_DATABASE_URL names a {configured} database"
    )]
    BackendMismatch { backup: String, configured: String },
    #[error(
        "{0} is not empty; restore into an empty data dir, or add --force to replace what is there"
    )]
    NotEmpty(String),
}

impl BackupError {
    fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> BackupError {
        let path = path.display().to_string();
        move |source| BackupError::Io {
            action,
            path,
            source,
        }
    }
}

impl From<diesel::result::Error> for BackupError {
    fn from(error: diesel::result::Error) -> BackupError {
        BackupError::Database(error.to_string())
    }
}
