//! `ebok backup DIR`: the database first (one consistent moment), then the files. Files are never
//! deleted and are written before the transaction that records them commits, so every file the
//! database snapshot names is already on disk when the copy of the folders starts.

use std::fs;
use std::path::{Path, PathBuf};

use super::files::{copy_file, copy_tree, hash_file, sync_dir};
use super::manifest::{self, Entry, Manifest};
use super::{BackupError, postgres_tools};
use crate::config::{KEY_FILES, StoragePlaces};
use crate::db::{self, DatabaseUrl, DbConn};

#[derive(Debug)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub files: usize,
    pub bytes: u64,
    pub invoices: usize,
    pub attachments: usize,
    pub keys_included: bool,
}

pub fn backup(
    conn: &mut DbConn,
    places: &StoragePlaces,
    target: &Path,
) -> Result<BackupSummary, BackupError> {
    let target_taken = target
        .read_dir()
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(target.exists());
    if target_taken {
        return Err(BackupError::TargetExists(target.display().to_string()));
    }
    let partial = partial_name(target);
    if partial.exists() {
        // Left by a backup that died: it never got its manifest and rename, so it is no backup.
        fs::remove_dir_all(&partial).map_err(BackupError::io("remove", &partial))?;
    }
    fs::create_dir_all(&partial).map_err(BackupError::io("create", &partial))?;
    match write_into(conn, places, &partial) {
        Ok(mut summary) => {
            // An empty directory given as the target is replaced by the finished backup.
            if target.exists() {
                fs::remove_dir(target).map_err(BackupError::io("replace", target))?;
            }
            fs::rename(&partial, target).map_err(BackupError::io("rename", &partial))?;
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                sync_dir(parent)?;
            }
            summary.path = target.to_path_buf();
            Ok(summary)
        }
        Err(error) => {
            let _ = fs::remove_dir_all(&partial);
            Err(error)
        }
    }
}

fn partial_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    target.with_file_name(format!(".{name}.partial"))
}

fn write_into(
    conn: &mut DbConn,
    places: &StoragePlaces,
    dir: &Path,
) -> Result<BackupSummary, BackupError> {
    let schema_version = db::backup::schema_version(conn)?;
    let mut entries = Vec::new();
    let database_dir = dir.join("database");
    fs::create_dir_all(&database_dir).map_err(BackupError::io("create", &database_dir))?;
    let (backend, database_file) = match &places.database_url {
        DatabaseUrl::Sqlite(_) => {
            let file = dir.join(manifest::SQLITE_DATABASE);
            db::backup::sqlite_snapshot(conn, &file)?;
            ("sqlite", manifest::SQLITE_DATABASE)
        }
        DatabaseUrl::Postgres(url) => {
            postgres_tools::dump(url, &dir.join(manifest::POSTGRES_ARCHIVE))?;
            ("postgres", manifest::POSTGRES_ARCHIVE)
        }
    };
    let file = dir.join(database_file);
    fs::File::open(&file)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io("write", &file))?;
    let (size, sha256) = hash_file(&file)?;
    entries.push(Entry {
        path: database_file.into(),
        size,
        sha256,
    });

    copy_tree(&places.invoices_dir, dir, "invoices", &mut entries)?;
    let invoices = entries.len() - 1;
    copy_tree(&places.attachments_dir, dir, "attachments", &mut entries)?;
    let attachments = entries.len() - 1 - invoices;

    let mut keys_included = false;
    for name in KEY_FILES {
        let key = places.data_dir.join(name);
        if key.is_file() {
            let path = format!("keys/{name}");
            let (size, sha256) = copy_file(&key, &dir.join(&path))?;
            restrict(&dir.join(&path))?;
            entries.push(Entry { path, size, sha256 });
            keys_included = true;
        }
    }

    let manifest = Manifest {
        format: manifest::FORMAT,
        created_at: chrono::Utc::now(),
        ebok_version: env!("CARGO_PKG_VERSION").into(),
        backend: backend.into(),
        schema_version,
        keys_included,
        files: entries,
    };
    for folder in ["database", "invoices", "attachments", "keys"] {
        let path = dir.join(folder);
        if path.exists() {
            sync_dir(&path)?;
        }
    }
    let manifest_path = dir.join(manifest::FILE_NAME);
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError::Tool(format!("cannot write the manifest: {e}")))?;
    fs::write(&manifest_path, json).map_err(BackupError::io("write", &manifest_path))?;
    fs::File::open(&manifest_path)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io("write", &manifest_path))?;
    sync_dir(dir)?;
    Ok(BackupSummary {
        path: dir.to_path_buf(),
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|e| e.size).sum(),
        invoices,
        attachments,
        keys_included,
    })
}

/// Key files are readable by their owner only, in the backup as in the data dir.
pub(super) fn restrict(path: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(BackupError::io("protect", path))?;
    }
    let _ = path;
    Ok(())
}
