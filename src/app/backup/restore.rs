//! `ebok restore DIR`: every file is checked against the manifest before anything is written,
//! the target must be empty unless the operator says `--force`, and the database is migrated
//! forward afterwards (a backup of an older version restores into a newer one).

use std::fs;
use std::path::{Path, PathBuf};

use super::files::{copy_file, files_under, hash_file, inside};
use super::make::restrict;
use super::manifest::{self, Manifest};
use super::{BackupError, postgres_tools};
use crate::config::{Environment, KEY_FILES, StoragePlaces};
use crate::db::{self, DatabaseUrl};

#[derive(Debug)]
pub struct RestoreSummary {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub invoices: usize,
    pub attachments: usize,
    pub keys_restored: bool,
    /// Migrations applied after loading, when the backup came from an older version.
    pub migrated: Vec<String>,
}

pub fn restore(
    places: &StoragePlaces,
    source: &Path,
    force: bool,
) -> Result<RestoreSummary, BackupError> {
    let manifest = read_manifest(source)?;
    check_files(source, &manifest)?;
    let configured = match places.database_url {
        DatabaseUrl::Sqlite(_) => "sqlite",
        DatabaseUrl::Postgres(_) => "postgres",
    };
    if manifest.backend != configured {
        return Err(BackupError::BackendMismatch {
            backup: manifest.backend.clone(),
            configured: configured.into(),
        });
    }
    if !force {
        check_empty(places)?;
    }

    load_database(places, source, force)?;
    let invoices = copy_folder(source, &manifest, "invoices", &places.invoices_dir)?;
    let attachments = copy_folder(source, &manifest, "attachments", &places.attachments_dir)?;
    // Production takes its keys from the configuration; writing files would not be read.
    let keys_restored = places.environment == Environment::Development
        && copy_folder(source, &manifest, "keys", &places.data_dir)? > 0;
    if keys_restored {
        for name in KEY_FILES {
            let key = places.data_dir.join(name);
            if key.exists() {
                restrict(&key)?;
            }
        }
    }

    let mut conn =
        db::connect(&places.database_url).map_err(|e| BackupError::Database(e.to_string()))?;
    let migrated = db::run_migrations(&mut conn).map_err(BackupError::Database)?;
    Ok(RestoreSummary {
        created_at: manifest.created_at,
        invoices,
        attachments,
        keys_restored,
        migrated,
    })
}

fn read_manifest(source: &Path) -> Result<Manifest, BackupError> {
    let not_a_backup =
        |reason: String| BackupError::NotABackup(source.display().to_string(), reason);
    let bytes =
        fs::read(source.join(manifest::FILE_NAME)).map_err(|e| not_a_backup(e.to_string()))?;
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|e| not_a_backup(e.to_string()))?;
    if manifest.format != manifest::FORMAT {
        return Err(not_a_backup(format!(
            "format {} is not one this version reads",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// The whole backup against its manifest, before anything is touched; names the first bad file.
fn check_files(source: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let damaged = |path: &str, problem: &str| BackupError::Damaged {
        path: path.into(),
        problem: problem.into(),
    };
    let database = match manifest.backend.as_str() {
        "sqlite" => manifest::SQLITE_DATABASE,
        _ => manifest::POSTGRES_ARCHIVE,
    };
    if !manifest.files.iter().any(|entry| entry.path == database) {
        return Err(damaged(database, "is missing from the manifest"));
    }
    for entry in &manifest.files {
        let path = inside(source, &entry.path)
            .ok_or_else(|| damaged(&entry.path, "is not a path inside the backup"))?;
        if !path.is_file() {
            return Err(damaged(&entry.path, "is missing"));
        }
        let (size, sha256) = hash_file(&path)?;
        if size != entry.size || sha256 != entry.sha256 {
            return Err(damaged(
                &entry.path,
                "does not match its SHA-256 in the manifest",
            ));
        }
    }
    Ok(())
}

fn check_empty(places: &StoragePlaces) -> Result<(), BackupError> {
    match &places.database_url {
        DatabaseUrl::Sqlite(path) => {
            if path.exists() && fs::metadata(path).map(|m| m.len() > 0).unwrap_or(true) {
                return Err(BackupError::NotEmpty(format!(
                    "the database {}",
                    path.display()
                )));
            }
        }
        DatabaseUrl::Postgres(_) => {
            let mut conn = db::connect(&places.database_url)
                .map_err(|e| BackupError::Database(e.to_string()))?;
            if !db::backup::is_empty(&mut conn)? {
                return Err(BackupError::NotEmpty(format!(
                    "the database {}",
                    places.database_url
                )));
            }
        }
    }
    for dir in [&places.invoices_dir, &places.attachments_dir] {
        if !files_under(dir)?.is_empty() {
            return Err(BackupError::NotEmpty(dir.display().to_string()));
        }
    }
    let key_file = KEY_FILES
        .iter()
        .find(|name| places.data_dir.join(name).exists());
    if let (Environment::Development, Some(name)) = (places.environment, key_file) {
        return Err(BackupError::NotEmpty(format!(
            "{} (it holds the key file {name})",
            places.data_dir.display()
        )));
    }
    Ok(())
}

fn load_database(places: &StoragePlaces, source: &Path, force: bool) -> Result<(), BackupError> {
    match &places.database_url {
        DatabaseUrl::Sqlite(path) => {
            let staged = staged_name(path);
            copy_file(&source.join(manifest::SQLITE_DATABASE), &staged)?;
            if force {
                // The journal of the database being replaced must not be replayed onto the copy.
                for suffix in ["-wal", "-shm"] {
                    let journal = PathBuf::from(format!("{}{suffix}", path.display()));
                    if journal.exists() {
                        fs::remove_file(&journal).map_err(BackupError::io("remove", &journal))?;
                    }
                }
            }
            fs::rename(&staged, path).map_err(BackupError::io("rename", &staged))?;
        }
        DatabaseUrl::Postgres(url) => {
            if force {
                let mut conn = db::connect(&places.database_url)
                    .map_err(|e| BackupError::Database(e.to_string()))?;
                db::backup::clear_postgres(&mut conn)?;
            }
            postgres_tools::restore(url, &source.join(manifest::POSTGRES_ARCHIVE))?;
        }
    }
    Ok(())
}

fn staged_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ebok.sqlite3".into());
    path.with_file_name(format!(".{name}.restoring"))
}

/// Copies the manifest's files under `folder` into `target`; returns how many.
fn copy_folder(
    source: &Path,
    manifest: &Manifest,
    folder: &str,
    target: &Path,
) -> Result<usize, BackupError> {
    let mut copied = 0;
    for entry in manifest.under(folder) {
        let relative = &entry.path[folder.len() + 1..];
        let from = inside(source, &entry.path).ok_or_else(|| BackupError::Damaged {
            path: entry.path.clone(),
            problem: "is not a path inside the backup".into(),
        })?;
        let to = inside(target, relative).ok_or_else(|| BackupError::Damaged {
            path: entry.path.clone(),
            problem: "is not a path inside the backup".into(),
        })?;
        copy_file(&from, &to)?;
        copied += 1;
    }
    Ok(copied)
}
