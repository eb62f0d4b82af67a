//! `manifest.json`: what a backup holds, file by file, with sizes and SHA-256.

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";
pub const FORMAT: u32 = 1;
pub const SQLITE_DATABASE: &str = "database/ebok.sqlite3";
pub const POSTGRES_ARCHIVE: &str = "database/ebok.pgdump";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub ebok_version: String,
    /// `sqlite` or `postgres`: a backup restores into the same kind of database.
    pub backend: String,
    /// The newest migration the database had; a restore migrates forward from it.
    pub schema_version: Option<String>,
    /// False when the keys live in the configuration (production), not in the data dir.
    pub keys_included: bool,
    pub files: Vec<Entry>,
}

/// One file, by its path inside the backup (forward slashes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    /// Files under one top-level folder of the backup (`invoices`, `keys`, …).
    pub fn under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.files
            .iter()
            .filter(move |entry| entry.path.split('/').next() == Some(folder))
    }
}
