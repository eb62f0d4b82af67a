//! Copying and hashing files for backups: streamed (a PDF store can hold 100 GB), fsynced, and
//! never following what a half-finished write left behind (dot-files such as `.X.123.tmp`).

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::BackupError;
use super::manifest::Entry;
use crate::app::invoicing::lower_hex;

const CHUNK: usize = 64 * 1024;

/// Size and SHA-256 (lowercase hex) of a file, read in chunks.
pub fn hash_file(path: &Path) -> Result<(u64, String), BackupError> {
    let mut file = File::open(path).map_err(BackupError::io("read", path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(BackupError::io("read", path))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok((size, lower_hex(&hasher.finalize())))
}

/// Copies `from` to `to` (creating its folder), hashing on the way, and makes it durable.
pub fn copy_file(from: &Path, to: &Path) -> Result<(u64, String), BackupError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(BackupError::io("create", parent))?;
    }
    let mut source = File::open(from).map_err(BackupError::io("read", from))?;
    let mut target = File::create(to).map_err(BackupError::io("write", to))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let read = source
            .read(&mut buffer)
            .map_err(BackupError::io("read", from))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        target
            .write_all(&buffer[..read])
            .map_err(BackupError::io("write", to))?;
        size += read as u64;
    }
    target.sync_all().map_err(BackupError::io("write", to))?;
    Ok((size, lower_hex(&hasher.finalize())))
}

/// Every regular file under `root`, relative to it with forward slashes, sorted; dot-files
/// (temporary files of writes in progress) left out. A missing root has no files.
pub fn files_under(root: &Path) -> Result<Vec<String>, BackupError> {
    let mut found = Vec::new();
    if root.exists() {
        walk(root, "", &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, prefix: &str, found: &mut Vec<String>) -> Result<(), BackupError> {
    for entry in fs::read_dir(dir).map_err(BackupError::io("read", dir))? {
        let entry = entry.map_err(BackupError::io("read", dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry
            .file_type()
            .map_err(BackupError::io("read", &entry.path()))?;
        if kind.is_dir() {
            walk(&entry.path(), &relative, found)?;
        } else if kind.is_file() {
            found.push(relative);
        }
    }
    Ok(())
}

/// Copies every file under `from` into `backup/folder/…`, appending each to `entries`.
pub fn copy_tree(
    from: &Path,
    backup: &Path,
    folder: &str,
    entries: &mut Vec<Entry>,
) -> Result<(), BackupError> {
    for relative in files_under(from)? {
        let path = format!("{folder}/{relative}");
        let (size, sha256) = copy_file(&from.join(&relative), &backup.join(&path))?;
        entries.push(Entry { path, size, sha256 });
    }
    Ok(())
}

/// Makes a directory's entries (new files, renames) durable.
pub fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    File::open(dir)
        .and_then(|handle| handle.sync_all())
        .map_err(BackupError::io("sync", dir))
}

/// `path` inside the backup, from a manifest path with forward slashes. Refuses paths that
/// would leave the backup (`..`, absolute), so a doctored manifest cannot write elsewhere.
pub fn inside(root: &Path, manifest_path: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in manifest_path.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        path.push(part);
    }
    Some(path)
}
