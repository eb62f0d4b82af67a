//! Files kept beside the database (issued invoice PDFs, ticket attachments): written atomically
//! (temp file, rename, fsync of the file and its directory), or for a batch in place and made
//! durable by one flush before the batch records them, so a crash never leaves half a file
//! under a recorded name, and read back only when the SHA-256 recorded with the row still
//! matches. What the files are called is the caller's business (`invoicing::PdfStore`,
//! `tickets::AttachmentStore`); paths here are relative to the store's root, so the root can move.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} does not match its recorded hash")]
    HashMismatch { path: String },
}

impl FileStoreError {
    /// The disk (or the quota) is full: the operator must make room, nothing is wrong with the data.
    pub fn is_disk_full(&self) -> bool {
        match self {
            FileStoreError::Write { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ),
            _ => false,
        }
    }
}

/// When a written file must be on the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Before `put` returns (a file recorded right after).
    Now,
    /// After the next `flush` (a batch that flushes once before it records its files): written
    /// in place, for names no committed row holds yet.
    AtFlush,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// A digest as the lowercase hex every stored hash uses.
pub fn lower_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(target_os = "linux")]
fn sync_filesystem(any_file: &fs::File) -> std::io::Result<()> {
    rustix::fs::syncfs(any_file).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_any_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

impl FileStore {
    pub fn new(root: &Path) -> FileStore {
        FileStore {
            root: root.to_path_buf(),
        }
    }

    /// Writes `bytes` under `relative` (replacing what is there) and answers their SHA-256.
    pub fn put(
        &self,
        relative: &str,
        bytes: &[u8],
        durability: Durability,
    ) -> Result<String, FileStoreError> {
        let path = self.root.join(relative);
        let failure = |source| FileStoreError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(failure)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Without `syncfs` a flush cannot reach files written earlier: sync each one.
        let sync_each = durability == Durability::Now || !cfg!(target_os = "linux");
        if !sync_each {
            // A batch records its files only after `flush`, so until then no row names this one
            // and half of it is never served: it is written in place (a crash leaves it for the
            // batch's re-run to rewrite). A temp file and a rename were two changes of the
            // directory per file, the directory lock the rendering threads waited on (a third
            // of a billing run's CPU in the kernel, perf).
            let written = fs::write(&path, bytes);
            return written.map(|()| sha256_hex(bytes)).map_err(failure);
        }
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temp, &path)?;
            // The rename is durable only once the directory entry is.
            fs::File::open(dir)?.sync_all()?;
            Ok(())
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(failure(source));
        }
        Ok(sha256_hex(bytes))
    }

    /// Makes everything written with `Durability::AtFlush` durable (Linux: one `syncfs` of the
    /// store's filesystem instead of two syncs per file; elsewhere each file was synced).
    pub fn flush(&self) -> Result<(), FileStoreError> {
        let failure = |source| FileStoreError::Write {
            path: self.root.display().to_string(),
            source,
        };
        if cfg!(target_os = "linux") {
            let root = fs::File::open(&self.root).map_err(failure)?;
            sync_filesystem(&root).map_err(failure)?;
        }
        Ok(())
    }

    /// The stored file, if it still matches the hash recorded with it.
    pub fn read_verified(&self, relative: &str, sha256: &str) -> Result<Vec<u8>, FileStoreError> {
        let path = self.root.join(relative);
        let bytes = fs::read(&path).map_err(|source| FileStoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(FileStoreError::HashMismatch {
                path: path.display().to_string(),
            });
        }
        Ok(bytes)
    }

    pub fn remove(&self, relative: &str) -> std::io::Result<()> {
        fs::remove_file(self.root.join(relative))
    }

    pub fn absolute(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_read_back_only_while_its_hash_matches() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let first = store.put("a/b/one", b"first", Durability::Now).unwrap();
        let second = store
            .put("a/b/one", b"second", Durability::AtFlush)
            .unwrap();
        store.flush().unwrap();
        assert_eq!(store.read_verified("a/b/one", &second).unwrap(), b"second");
        assert!(matches!(
            store.read_verified("a/b/one", &first),
            Err(FileStoreError::HashMismatch { .. })
        ));
        assert!(matches!(
            store.read_verified("a/b/missing", &first),
            Err(FileStoreError::Read { .. })
        ));
        let names: Vec<String> = fs::read_dir(dir.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["one"], "no temporary files left");
    }
}
