//! Issued invoice PDFs on disk: `invoices/YYYY/MM/<number>.pdf`, written atomically (temp file,
//! fsync, rename) so a crash never leaves half a file under an invoice's name, and read back only
//! after the stored SHA-256 is checked.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct PdfStore {
    root: PathBuf,
    /// Every `write` waits for `flush` (see `deferring`).
    deferred: bool,
}

/// Where a PDF went and what it hashed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPdf {
    /// Relative to the store's root, so the root can move (e.g. onto shared storage).
    pub relative_path: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
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

pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// A digest as the lowercase hex every stored hash uses.
pub fn lower_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flush {
    Now,
    Later,
}

#[cfg(target_os = "linux")]
fn sync_filesystem(any_file: &fs::File) -> std::io::Result<()> {
    rustix::fs::syncfs(any_file).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_any_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Invoice numbers contain slashes; file names cannot.
fn file_name(number: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.pdf")
}

impl PdfStore {
    pub fn new(root: &Path) -> PdfStore {
        PdfStore {
            root: root.to_path_buf(),
            deferred: false,
        }
    }

    /// A store whose every `write` behaves as `write_unflushed`, for a bulk writer that calls
    /// `flush` before each commit (the demo seeder, which issues hundreds of thousands).
    pub fn deferring(root: &Path) -> PdfStore {
        PdfStore {
            root: root.to_path_buf(),
            deferred: true,
        }
    }

    /// Stores one PDF durably: temp file, fsync, rename, fsync of the directory. For an invoice
    /// issued on its own, recorded right after.
    pub fn write(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
    ) -> Result<StoredPdf, StorageError> {
        let flush = if self.deferred {
            Flush::Later
        } else {
            Flush::Now
        };
        self.store(issue_date, number, bytes, flush)
    }

    /// Stores one PDF of a batch without waiting for the disk (temp file, rename). The batch
    /// calls [`PdfStore::flush`] once before it records any of its files as stored: one
    /// filesystem sync instead of two per file, which is most of a billing run's time
    /// otherwise. A crash before the flush can leave an empty file under a number that was
    /// never committed; the re-run hands the number out again and rewrites it.
    pub fn write_unflushed(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
    ) -> Result<StoredPdf, StorageError> {
        self.store(issue_date, number, bytes, Flush::Later)
    }

    /// Makes everything written with `write_unflushed` durable (Linux: `syncfs` of the store's
    /// filesystem; elsewhere every file was already synced as it was written).
    pub fn flush(&self) -> Result<(), StorageError> {
        let failure = |source| StorageError::Write {
            path: self.root.display().to_string(),
            source,
        };
        if cfg!(target_os = "linux") {
            let root = fs::File::open(&self.root).map_err(failure)?;
            sync_filesystem(&root).map_err(failure)?;
        }
        Ok(())
    }

    fn store(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
        flush: Flush,
    ) -> Result<StoredPdf, StorageError> {
        let relative = format!(
            "{:04}/{:02}/{}",
            issue_date.year(),
            issue_date.month(),
            file_name(number)
        );
        let path = self.root.join(&relative);
        let failure = |source| StorageError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(failure)?;
        let temp = dir.join(format!(".{}.{}.tmp", file_name(number), std::process::id()));
        let sync_each = flush == Flush::Now || !cfg!(target_os = "linux");
        let written = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(bytes)?;
            if sync_each {
                file.sync_all()?;
            }
            fs::rename(&temp, &path)?;
            if sync_each {
                // The rename is durable only once the directory entry is.
                fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(failure(source));
        }
        Ok(StoredPdf {
            relative_path: relative,
            sha256: sha256_hex(bytes),
        })
    }

    /// The stored file, if it still matches the hash recorded at issue time.
    pub fn read_verified(
        &self,
        relative_path: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, StorageError> {
        let path = self.root.join(relative_path);
        let bytes = fs::read(&path).map_err(|source| StorageError::Read {
            path: path.display().to_string(),
            source,
        })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(StorageError::HashMismatch {
                path: path.display().to_string(),
            });
        }
        Ok(bytes)
    }

    pub fn absolute(&self, relative_path: &str) -> PathBuf {
        self.root.join(relative_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfs_land_under_year_and_month_and_verify_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = PdfStore::new(dir.path());
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let stored = store
            .write(date, "FV/2026/11/000001", b"%PDF-1.7 test")
            .unwrap();
        assert_eq!(stored.relative_path, "2026/11/FV_2026_11_000001.pdf");
        assert_eq!(
            store
                .read_verified(&stored.relative_path, &stored.sha256)
                .unwrap(),
            b"%PDF-1.7 test"
        );
        fs::write(store.absolute(&stored.relative_path), b"tampered").unwrap();
        assert!(matches!(
            store.read_verified(&stored.relative_path, &stored.sha256),
            Err(StorageError::HashMismatch { .. })
        ));
        assert!(
            fs::read_dir(dir.path().join("2026/11")).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
        );
    }

    #[test]
    fn a_batch_written_unflushed_is_complete_after_one_flush() {
        let dir = tempfile::tempdir().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let explicit = PdfStore::new(dir.path());
        let deferring = PdfStore::deferring(dir.path());
        let first = explicit
            .write_unflushed(date, "FV/2026/12/000001", b"%PDF one")
            .unwrap();
        let second = deferring
            .write(date, "FV/2026/12/000002", b"%PDF two")
            .unwrap();
        explicit.flush().unwrap();
        for (stored, bytes) in [(&first, &b"%PDF one"[..]), (&second, &b"%PDF two"[..])] {
            assert_eq!(
                explicit
                    .read_verified(&stored.relative_path, &stored.sha256)
                    .unwrap(),
                bytes
            );
        }
        let names: Vec<String> = fs::read_dir(dir.path().join("2026/12"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
    }
}
